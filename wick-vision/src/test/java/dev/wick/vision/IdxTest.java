package dev.wick.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

class IdxTest {
    @TempDir Path dir;

    private static byte[] header(int type, int... dims) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0); b.write(0); b.write(type); b.write(dims.length);
        for (int d : dims) { b.write(d >>> 24); b.write(d >>> 16); b.write(d >>> 8); b.write(d); }
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) { g.write(data); }
        return b.toByteArray();
    }

    private static IOException readFails(byte[] file, String name) {
        return assertThrows(IOException.class, () -> { try (Scope s = Scope.open()) { Idx.read(new ByteArrayInputStream(file), name); } });
    }

    @Test
    void decodesBigEndianValuesOfEveryTypeFromHandWrittenBytes() throws IOException {
        try (Scope s = Scope.open()) {
            byte[] u8 = concat(header(0x08, 2, 3), new byte[]{0, 1, 2, (byte) 200, (byte) 254, (byte) 255});
            Tensor t = Idx.read(new ByteArrayInputStream(u8), "u8");
            assertEquals(DType.UINT8, t.dtype());
            assertArrayEquals(new long[]{2, 3}, t.shape());
            assertArrayEquals(new long[]{0, 1, 2, 200, 254, 255}, t.toLongArray());

            byte[] i8 = concat(header(0x09, 2), new byte[]{(byte) -3, 127});
            assertArrayEquals(new long[]{-3, 127}, Idx.read(new ByteArrayInputStream(i8), "i8").toLongArray());

            byte[] i16 = concat(header(0x0B, 2), new byte[]{0x01, 0x02, (byte) 0xFF, (byte) 0xFE});
            Tensor s16 = Idx.read(new ByteArrayInputStream(i16), "i16");
            assertEquals(DType.INT16, s16.dtype());
            assertArrayEquals(new long[]{258, -2}, s16.toLongArray());

            byte[] i32 = concat(header(0x0C, 1), new byte[]{0x01, 0x02, 0x03, 0x04});
            assertArrayEquals(new long[]{0x01020304}, Idx.read(new ByteArrayInputStream(i32), "i32").toLongArray());

            byte[] f32 = concat(header(0x0D, 1), new byte[]{0x3F, (byte) 0xC0, 0, 0});          // 1.5f
            assertArrayEquals(new float[]{1.5f}, Idx.read(new ByteArrayInputStream(f32), "f32").toFloatArray());

            byte[] f64 = concat(header(0x0E, 1, 1), new byte[]{(byte) 0xC0, 0x09, 0x21, (byte) 0xFB, 0x54, 0x44, 0x2D, 0x18});   // -pi
            Tensor d = Idx.read(new ByteArrayInputStream(f64), "f64");
            assertEquals(DType.FLOAT64, d.dtype());
            assertEquals(-Math.PI, d.item(), 0.0);

            // gzip is recognised by content, whatever the name
            Tensor g = Idx.read(new ByteArrayInputStream(gzip(i16)), "no-extension");
            assertArrayEquals(new long[]{258, -2}, g.toLongArray());
        }
    }

    @Test
    void writeThenReadRoundTripsEveryDtypePlainAndGzipped() throws IOException {
        try (Scope s = Scope.open()) {
            Tensor base = Tensor.arange(-60, 60, 1).view(2, 3, 4, 5);   // int64 [2, 3, 4, 5]
            for (DType d : new DType[]{DType.UINT8, DType.INT8, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64}) {
                Tensor t = d == DType.UINT8 ? base.add(60L).to(d) : d.isFloatingPoint() ? base.to(d).div(7.0) : base.to(d);
                for (String name : new String[]{"t-" + d.torchName(), "t-" + d.torchName() + ".gz"}) {
                    Path p = dir.resolve(name);
                    Idx.write(t, p);
                    Tensor back = Idx.read(p);
                    assertEquals(d, back.dtype(), name);
                    assertTrue(back.equal(t), name + " round trip");
                }
            }
            assertEquals(0x1f, Files.readAllBytes(dir.resolve("t-int16.gz"))[0] & 0xff, "a .gz name is written gzipped");
            assertEquals(0, Files.readAllBytes(dir.resolve("t-int16"))[0], "a plain name is written plain");
            // a big-endian file: the int16 value 258 is stored as 01 02
            Idx.write(Tensor.of(new long[]{258}).to(DType.INT16), dir.resolve("one"));
            byte[] raw = Files.readAllBytes(dir.resolve("one"));
            assertArrayEquals(new byte[]{0, 0, 0x0B, 1, 0, 0, 0, 1, 0x01, 0x02}, raw);
        }
    }

    @Test
    void truncatedDataNamesTheFileAndBothSizes() throws IOException {
        byte[] file = concat(header(0x08, 60000, 28, 28), new byte[1000]);
        assertEquals("IDX file train-images-idx3-ubyte.gz: expected 47040000 bytes of data, found 1000",
                readFails(file, "train-images-idx3-ubyte.gz").getMessage());
        // the same, compressed: the stream ends cleanly but early
        assertEquals("IDX file x.gz: expected 47040000 bytes of data, found 1000",
                readFails(gzip(file), "x.gz").getMessage());
        // a gzip stream cut in the middle
        byte[] gz = gzip(concat(header(0x08, 100, 100), new byte[10000]));
        IOException e = readFails(Arrays.copyOf(gz, gz.length - 10), "cut.gz");
        assertTrue(e.getMessage().startsWith("IDX file cut.gz: expected 10000 bytes of data, found "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(the gzip stream ends early)"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() {
        byte[] file = concat(header(0x08, 2, 2), new byte[7]);
        assertEquals("IDX file t: expected 4 bytes of data, found 7", readFails(file, "t").getMessage());
    }

    @Test
    void badHeadersAreRejectedWithTheReason() throws IOException {
        assertEquals("IDX file h: expected a 4-byte magic number, found 2 bytes", readFails(new byte[]{0, 0}, "h").getMessage());
        String m = readFails(concat(new byte[]{0x50, 0x4B, 0x03, 0x04}, new byte[20]), "zip").getMessage();
        assertTrue(m.startsWith("IDX file zip: bad magic number 0x504B0304"), m);
        m = readFails(header(0x0A, 3), "t").getMessage();
        assertTrue(m.startsWith("IDX file t: unknown type code 0x0A"), m);
        m = readFails(header(0x08), "t").getMessage();
        assertTrue(m.contains("declares 0 dimensions"), m);
        assertEquals("IDX file t: header declares 3 dimensions (12 bytes of sizes) but only 6 bytes follow the magic number",
                readFails(Arrays.copyOf(header(0x08, 1, 2, 3), 10), "t").getMessage());
        m = readFails(concat(new byte[]{0x1f, (byte) 0x8b, 8, 0}, new byte[30]), "garbage.gz").getMessage();
        assertTrue(m.startsWith("IDX file garbage.gz: corrupt gzip data"), m);
    }

    @Test
    void writeRejectsWhatIdxCannotHold() {
        try (Scope s = Scope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.write(Tensor.zeros(DType.INT64, 2), dir.resolve("x")));
            assertTrue(e.getMessage().contains("IDX cannot hold torch.int64"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Idx.write(Tensor.scalar(1.0), dir.resolve("x")));
            assertTrue(e.getMessage().contains("1 to 255 dimensions"), e.getMessage());
        }
    }
}
