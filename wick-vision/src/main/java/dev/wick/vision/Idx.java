package dev.wick.vision;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import org.bytedeco.javacpp.BytePointer;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
 *
 * <pre>{@code
 * Tensor images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // uint8 [60000, 28, 28]
 * }</pre>
 *
 * <p>The format: a 4-byte magic number {@code 0x00 0x00 T N} where {@code T} is the element type
 * ({@code 0x08} uint8, {@code 0x09} int8, {@code 0x0B} int16, {@code 0x0C} int32, {@code 0x0D}
 * float32, {@code 0x0E} float64) and {@code N} the number of dimensions; then {@code N} big-endian
 * 32-bit sizes; then the elements, big-endian, row-major. A file is decoded in one pass straight into
 * one tensor of that dtype and shape. Gzip is recognised by its magic bytes, not by the file name.
 *
 * <p>Every structural problem is an {@link IOException} naming the file and what was wrong: an unknown
 * type code, a header cut short, or a data section of the wrong length
 * ({@code IDX file train-images-idx3-ubyte.gz: expected 47040000 bytes of data, found 1000}).
 * Unlike torchvision's reader, trailing bytes after the data are an error too.
 */
public final class Idx {
    private static final int CHUNK = 1 << 20;   // a multiple of every element size

    private Idx() {}

    /** Reads an IDX file (plain or gzip); the tensor belongs to the current scope. */
    public static Tensor read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        }
    }

    /**
     * Reads an IDX stream (plain or gzip) to its end; {@code name} is used in error messages. The stream
     * is not closed.
     */
    public static Tensor read(InputStream raw, String name) throws IOException {
        try {
            return readStream(raw, name);
        } catch (ZipException e) {
            throw new IOException("IDX file " + name + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new IOException("IDX file " + name + ": the gzip stream ends inside the IDX header", e);
        }
    }

    private static Tensor readStream(InputStream raw, String name) throws IOException {
        InputStream in = maybeGunzip(raw);
        byte[] head = new byte[4];
        int got = in.readNBytes(head, 0, 4);
        if (got < 4) throw new IOException("IDX file " + name + ": expected a 4-byte magic number, found " + got + " bytes");
        if (head[0] != 0 || head[1] != 0)
            throw new IOException("IDX file " + name + ": bad magic number 0x" + hex(head)
                    + " (an IDX file starts with two zero bytes, a type code and the number of dimensions)");
        DType dtype = dtypeOf(head[2] & 0xff, name);
        int ndim = head[3] & 0xff;
        if (ndim == 0) throw new IOException("IDX file " + name + ": the magic number 0x" + hex(head) + " declares 0 dimensions (must be at least 1)");
        byte[] dims = new byte[4 * ndim];
        got = in.readNBytes(dims, 0, dims.length);
        if (got < dims.length)
            throw new IOException("IDX file " + name + ": header declares " + ndim + " dimensions (" + dims.length
                    + " bytes of sizes) but only " + got + " bytes follow the magic number");
        long[] shape = new long[ndim];
        long numel = 1;
        for (int d = 0; d < ndim; d++) {
            shape[d] = Integer.toUnsignedLong(((dims[4 * d] & 0xff) << 24) | ((dims[4 * d + 1] & 0xff) << 16)
                    | ((dims[4 * d + 2] & 0xff) << 8) | (dims[4 * d + 3] & 0xff));
            try {
                numel = Math.multiplyExact(numel, shape[d]);
            } catch (ArithmeticException e) {
                throw new IOException("IDX file " + name + ": sizes " + Arrays.toString(shape) + " hold too many elements");
            }
        }
        long expected;
        try {
            expected = Math.multiplyExact(numel, dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new IOException("IDX file " + name + ": sizes " + Arrays.toString(shape) + " hold too many bytes");
        }
        Tensor out = Tensor.empty(dtype, shape);
        try {
            readData(in, out, expected, dtype.itemSize(), name);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static void readData(InputStream in, Tensor out, long expected, int itemSize, String name) throws IOException {
        BytePointer base = expected == 0 ? null : new BytePointer(out.unwrap().data_ptr());
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(expected, 1))];
        long done = 0;
        try {
            while (done < expected) {
                int want = (int) Math.min(chunk.length, expected - done);
                int n = in.readNBytes(chunk, 0, want);
                if (n > 0) {
                    if (itemSize > 1) swapToLittleEndian(chunk, n - n % itemSize, itemSize);
                    base.position(done).put(chunk, 0, n);
                    done += n;
                }
                if (n < want) throw truncated(name, expected, done, "");
            }
        } catch (EOFException e) {
            // GZIPInputStream reports a compressed stream cut short as an EOFException
            throw truncated(name, expected, done, " (the gzip stream ends early)");
        } catch (ZipException e) {
            throw new IOException("IDX file " + name + ": corrupt gzip data after " + done + " bytes of data (" + e.getMessage() + ")", e);
        }
        long extra;
        try {
            extra = in.transferTo(OutputStream.nullOutputStream());
        } catch (ZipException e) {
            throw new IOException("IDX file " + name + ": corrupt gzip data after the IDX data (" + e.getMessage() + ")", e);
        }
        if (extra > 0)
            throw new IOException("IDX file " + name + ": expected " + expected + " bytes of data, found " + (expected + extra));
    }

    private static IOException truncated(String name, long expected, long found, String why) {
        return new IOException("IDX file " + name + ": expected " + expected + " bytes of data, found " + found + why);
    }

    private static void swapToLittleEndian(byte[] b, int n, int size) {
        for (int i = 0; i < n; i += size) {
            for (int lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) return new GZIPInputStream(in, 1 << 16);
        return in;
    }

    /**
     * Writes {@code t} as an IDX file, gzip-compressed when the name ends in {@code .gz}. Supports the
     * dtypes the format has: uint8, int8, int16, int32, float32, float64.
     */
    public static void write(Tensor t, Path file) throws IOException {
        int code = typeCode(t.dtype());
        long[] shape = t.shape();
        if (shape.length == 0 || shape.length > 255)
            throw new IllegalArgumentException("IDX holds 1 to 255 dimensions, got shape " + Arrays.toString(shape));
        for (long s : shape)
            if (s > 0xffffffffL) throw new IllegalArgumentException("IDX sizes are 32-bit, got shape " + Arrays.toString(shape));
        boolean gz = file.getFileName().toString().endsWith(".gz");
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) : raw) {
            out.write(new byte[]{0, 0, (byte) code, (byte) shape.length});
            for (long s : shape) out.write(new byte[]{(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s});
            byte[] data;
            try (Scope s = Scope.open()) {
                data = t.toBytes();
            }
            int size = t.dtype().itemSize();
            if (size > 1) swapToLittleEndian(data, data.length, size);   // the swap is its own inverse
            out.write(data);
        }
    }

    private static DType dtypeOf(int code, String name) throws IOException {
        switch (code) {
            case 0x08: return DType.UINT8;
            case 0x09: return DType.INT8;
            case 0x0B: return DType.INT16;
            case 0x0C: return DType.INT32;
            case 0x0D: return DType.FLOAT32;
            case 0x0E: return DType.FLOAT64;
            default:
                throw new IOException("IDX file " + name + ": unknown type code 0x" + String.format("%02X", code)
                        + " (expected 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64)");
        }
    }

    private static int typeCode(DType d) {
        switch (d) {
            case UINT8: return 0x08;
            case INT8: return 0x09;
            case INT16: return 0x0B;
            case INT32: return 0x0C;
            case FLOAT32: return 0x0D;
            case FLOAT64: return 0x0E;
            default: throw new IllegalArgumentException("IDX cannot hold " + d + " (supported: uint8, int8, int16, int32, float32, float64)");
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02X", x & 0xff));
        return sb.toString();
    }
}
