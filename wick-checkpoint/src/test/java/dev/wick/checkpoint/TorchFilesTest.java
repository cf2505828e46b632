package dev.wick.checkpoint;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java -> file -> Java, and the layout of the files written (no Python needed). */
class TorchFilesTest {
    @TempDir
    Path dir;

    @Test
    void plainValuesRoundTripWithTheirPythonTypes() throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("int", 7);
        v.put("short", (short) -2);
        v.put("long", Long.MAX_VALUE);
        v.put("big", BigInteger.TWO.pow(100).negate());
        v.put("float", 0.1f);
        v.put("double", -0.0);
        v.put("nan", Double.NaN);
        v.put("str", "\u4e2d\uD83D\uDE00");
        v.put("bytes", new byte[]{0, -1, -128});
        v.put("none", null);
        v.put("tuple", PyTuple.of(1L, PyTuple.of(), PyTuple.of("a", "b", "c", "d")));
        Map<Object, Object> keys = new LinkedHashMap<>();
        keys.put(3L, "int key");
        keys.put(PyTuple.of(1L, "x"), "tuple key");
        keys.put(null, "None key");
        v.put("keys", keys);
        List<Object> shared = new ArrayList<>(List.of(1L, 2L));
        v.put("shared", List.of(shared, shared));
        PyOrderedDict od = new PyOrderedDict();
        od.put("b", 1L);
        od.put("a", 2L);
        od.attributes().put("_metadata", new PyOrderedDict(Map.of("", Map.of("version", 1L))));
        v.put("od", od);

        Path f = dir.resolve("plain.pt");
        TorchFiles.save(v, f);
        Map<?, ?> back = (Map<?, ?>) TorchFiles.load(f);
        assertEquals(new ArrayList<>(v.keySet()), new ArrayList<>(back.keySet()));
        assertEquals(7L, back.get("int"));
        assertEquals(-2L, back.get("short"));
        assertEquals(Long.MAX_VALUE, back.get("long"));
        assertEquals(BigInteger.TWO.pow(100).negate(), back.get("big"));
        assertEquals((double) 0.1f, back.get("float"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back.get("double")));
        assertTrue(Double.isNaN((Double) back.get("nan")));
        assertEquals("\u4e2d\uD83D\uDE00", back.get("str"));
        assertArrayEquals(new byte[]{0, -1, -128}, (byte[]) back.get("bytes"));
        assertTrue(back.containsKey("none"));
        assertNull(back.get("none"));
        assertEquals(v.get("tuple"), back.get("tuple"));
        assertEquals(keys, back.get("keys"));
        List<?> sharedBack = (List<?>) back.get("shared");
        assertSame(sharedBack.get(0), sharedBack.get(1), "a list reached twice is one list after loading");
        PyOrderedDict odBack = assertInstanceOf(PyOrderedDict.class, back.get("od"));
        assertEquals(List.of("b", "a"), new ArrayList<>(odBack.keySet()));
        assertEquals(od.attributes(), odBack.attributes());
        assertEquals(LinkedHashMap.class, ((PyOrderedDict) odBack.attributes().get("_metadata")).get("").getClass());
    }

    @Test
    void tensorsRoundTripWithDtypeShapeGradFlagAndSharing() throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (DType d : DType.values()) {
                byte[] b = new byte[6 * d.itemSize()];
                for (int i = 0; i < b.length; i++) b[i] = (byte) (d == DType.BOOL ? i & 1 : i * 37 + 1);
                v.put(d.torchName(), Tensor.fromBytes(b, d, 2, 3));
            }
            Tensor t = Tensor.arange(0.0, 12.0, 1.0).view(3, 4).t();   // non-contiguous
            v.put("t", t);
            v.put("again", t);
            v.put("scalar", Tensor.scalar(4.25));
            v.put("grad", Tensor.zeros(2).requiresGrad(true));
            v.put("dtype", DType.BFLOAT16);
            Path f = dir.resolve("t.pt");
            TorchFiles.save(v, f);
            Map<?, ?> back = (Map<?, ?>) TorchFiles.load(f);
            for (DType d : DType.values()) {
                Tensor a = (Tensor) v.get(d.torchName()), b = (Tensor) back.get(d.torchName());
                assertEquals(d, b.dtype());
                assertArrayEquals(a.shape(), b.shape());
                assertArrayEquals(a.toBytes(), b.toBytes(), d.torchName());
            }
            Tensor tb = (Tensor) back.get("t");
            assertArrayEquals(new long[]{4, 3}, tb.shape());
            assertArrayEquals(t.toFloatArray(), tb.toFloatArray());
            assertSame(tb, back.get("again"), "one tensor object saved twice loads as one object");
            assertEquals(4.25f, ((Tensor) back.get("scalar")).itemFloat());
            assertTrue(((Tensor) back.get("grad")).requiresGrad());
            assertEquals(DType.BFLOAT16, back.get("dtype"));
        }
    }

    @Test
    void writtenArchivesHaveTorchSaveLayoutWithAlignedStorages() throws IOException {
        Path f = dir.resolve("layout.pt");
        try (Scope s = Scope.open()) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (int i = 0; i < 12; i++) v.put("w" + i, Tensor.zeros(i + 1));
            TorchFiles.save(v, f);
        }
        List<String> names = new ArrayList<>();
        try (ZipReader z = ZipReader.open(f)) {
            for (ZipReader.Entry e : z.entries()) {
                names.add(e.name());
                if (e.name().startsWith("archive/data/")) assertEquals(0, e.dataOffset() % 64, e.name() + " is 64-byte aligned");
            }
            assertEquals("3\n", new String(z.read(z.entry("archive/version"))));
            assertEquals("little", new String(z.read(z.entry("archive/byteorder"))));
            assertEquals("1\n", new String(z.read(z.entry("archive/.wick/format_version"))));
        }
        assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/data/10", "archive/data/11",
                "archive/data/2", "archive/data/3", "archive/data/4", "archive/data/5", "archive/data/6", "archive/data/7", "archive/data/8",
                "archive/data/9", "archive/version", "archive/.wick/format_version"), names);
    }

    @Test
    void zip64ArchivesAreReadToo() throws IOException {
        Path f = dir.resolve("z64.pt");
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.arange(0.0, 5.0, 1.0);
            TorchFiles.save(Map.of("w", w, "n", 5L), f, WickTensors.INSTANCE, true);
            Map<?, ?> back = (Map<?, ?>) TorchFiles.load(f);
            assertArrayEquals(w.toFloatArray(), ((Tensor) back.get("w")).toFloatArray());
            assertEquals(5L, back.get("n"));
        }
        byte[] b = Files.readAllBytes(f);
        assertEquals(0x06064b50, java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(b.length - 22 - 20 - 56));
    }

    @Test
    void loadedTensorsBelongToTheOpenScope() throws IOException {
        Path f = dir.resolve("s.pt");
        try (Scope s = Scope.open()) {
            TorchFiles.save(Map.of("a", Tensor.zeros(3), "b", Tensor.ones(2)), f);
        }
        Tensor a;
        try (Scope s = Scope.open()) {
            int before = s.ownedCount();
            Map<?, ?> m = (Map<?, ?>) TorchFiles.load(f);
            a = (Tensor) m.get("a");
            assertEquals(before + 2, s.ownedCount(), "two views; the storage tensors were freed by the loader");
        }
        assertTrue(!a.isAlive(), "freed with the scope");
    }
}
