package dev.wick.checkpoint;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * safetensors: exact bytes for the reference implementation's documented examples, the reference
 * writer's layout, round trips, a cross-check against an independent implementation of the spec in
 * Python (the {@code safetensors} package is not installed here, see safetensors_spec.py), and the
 * reader's validation rules on hand-built hostile files.
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    // ------------------------------------------------------------------ exact bytes

    /** The examples in the reference implementation's tests: header lengths 64, 72, 8 and 40. */
    @Test
    void writerProducesTheReferenceBytes() throws IOException {
        try (Scope s = Scope.open()) {
            byte[] data = floats(0, 1, 2, 3, 4, 5);
            Path f = dir.resolve("a.safetensors");
            SafeTensors.save(Map.of("attn.0", Tensor.fromBytes(data, DType.FLOAT32, 1, 2, 3)), f);
            assertArrayEquals(file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", data), Files.readAllBytes(f));
            assertEquals(64, Files.readAllBytes(f)[0]);

            SafeTensors.save(Map.of("attn0", Tensor.fromBytes(data, DType.FLOAT32, 1, 1, 2, 3)), f);
            assertArrayEquals(file("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", data), Files.readAllBytes(f));
            assertEquals(72, Files.readAllBytes(f)[0]);

            SafeTensors.save(Map.of(), f);
            assertArrayEquals(file("{}      ", new byte[0]), Files.readAllBytes(f));

            SafeTensors.save(Map.of(), Map.of("framework", "pt"), f);
            assertArrayEquals(file("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new byte[0]), Files.readAllBytes(f));
            assertEquals(Map.of("framework", "pt"), SafeTensors.metadata(f));
        }
    }

    /** The reference writer orders by descending dtype alignment, then by name. */
    @Test
    void writerOrdersByDtypeAlignmentThenName() throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("b", Tensor.zeros(DType.FLOAT32, 3));
            m.put("a", Tensor.zeros(DType.FLOAT32, 1));
            m.put("d", Tensor.zeros(DType.BOOL, 3));
            m.put("c", Tensor.zeros(DType.INT64, 1));
            m.put("e", Tensor.zeros(DType.BFLOAT16, 1));
            m.put("f", Tensor.zeros(DType.FLOAT16, 1));
            m.put("g", Tensor.zeros(DType.UINT8, 1));
            m.put("h", Tensor.zeros(DType.INT8, 1));
            m.put("i", Tensor.zeros(DType.FLOAT64, 1));
            m.put("j", Tensor.zeros(DType.INT32, 1));
            m.put("k", Tensor.zeros(DType.INT16, 1));
            m.put("\u00e9", Tensor.zeros(DType.FLOAT32, 1));  // sorts after ASCII by UTF-8 bytes
            Path f = dir.resolve("order.safetensors");
            SafeTensors.save(m, f);
            List<String> order = new ArrayList<>();
            try (var ch = java.nio.channels.FileChannel.open(f)) {
                SafeTensors.Header h = SafeTensors.readHeader(ch, f.toString());
                for (SafeTensors.Info i : h.tensors()) {
                    order.add(i.name());
                    assertEquals(0, (h.dataStart() + i.begin()) % i.type().itemSize, i.name() + " is aligned");
                }
                assertEquals(0, h.dataStart() % 8);
            }
            assertEquals(List.of("c", "i", "a", "b", "\u00e9", "j", "e", "f", "k", "h", "g", "d"), order);
        }
    }

    @Test
    void everyDtypeRoundTripsBitExactly() throws IOException {
        try (Scope s = Scope.open()) {
            Random r = new Random(5);
            Map<String, Tensor> m = new LinkedHashMap<>();
            Map<String, byte[]> bytes = new LinkedHashMap<>();
            for (DType d : DType.values()) {
                byte[] b = new byte[12 * d.itemSize()];
                r.nextBytes(b);
                if (d == DType.BOOL) for (int i = 0; i < b.length; i++) b[i] &= 1;
                m.put(d.torchName(), Tensor.fromBytes(b, d, 3, 4));
                bytes.put(d.torchName(), b);
            }
            m.put("scalar", Tensor.scalar(1.5));
            m.put("empty", Tensor.zeros(0, 5));
            m.put("noncontiguous", Tensor.arange(0.0, 6.0, 1.0).view(2, 3).t());
            Path f = dir.resolve("all.safetensors");
            SafeTensors.save(m, Map.of("k", "v\u00e9\n\"", "empty", ""), f);
            Map<String, Tensor> back = SafeTensors.load(f);
            assertEquals(new TreeMap<>(m).keySet(), new TreeMap<>(back).keySet());
            for (DType d : DType.values()) {
                Tensor t = back.get(d.torchName());
                assertEquals(d, t.dtype());
                assertArrayEquals(new long[]{3, 4}, t.shape());
                assertArrayEquals(bytes.get(d.torchName()), t.toBytes(), d.torchName());
            }
            assertArrayEquals(new long[0], back.get("scalar").shape());
            assertArrayEquals(new long[]{0, 5}, back.get("empty").shape());
            assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, back.get("noncontiguous").toFloatArray());
            assertEquals(Map.of("k", "v\u00e9\n\"", "empty", ""), SafeTensors.metadata(f));
        }
    }

    // ------------------------------------------------------------------ Python, from the spec

    @Test
    void pythonSpecImplementationAgreesBothWays() throws IOException {
        Python.assume();
        Path fromPython = dir.resolve("python.safetensors");
        Python.script("safetensors_spec.py", "write", fromPython.toString());
        Path fromJava = dir.resolve("java.safetensors");
        List<String> javaDescription;
        try (Scope s = Scope.open()) {
            Map<String, Tensor> loaded = SafeTensors.load(fromPython);
            Describe.assertSame(Python.lines(dir.resolve("python.safetensors.txt")),
                    Describe.describe(new TreeMap<>(loaded), false), "Python-written safetensors read by Wick");
            assertEquals(Map.of("format", "pt", "note", "caf\u00e9"), SafeTensors.metadata(fromPython));

            Map<String, Object> built = TorchFilesPythonTest.javaBuiltValues();
            Map<String, Tensor> tensors = new TreeMap<>();
            built.forEach((k, v) -> { if (v instanceof Tensor t && !k.equals("grad")) tensors.put(k, t); });
            javaDescription = Describe.describe(tensors, false);
            SafeTensors.save(tensors, Map.of("who", "wick"), fromJava);
        }
        Python.script("safetensors_spec.py", "read", fromJava.toString());
        Describe.assertSame(javaDescription, Python.lines(dir.resolve("java.safetensors.read.txt")), "Wick-written safetensors read by the spec reader");
        String header = Files.readString(dir.resolve("java.safetensors.header.json"));
        assertTrue(header.contains("\"metadata\": {\"who\": \"wick\"}"), header);
        assertTrue(header.startsWith("{\"order\": [\"__metadata__\", \"t_int64\", \"t_float64\""), header);
    }

    // ------------------------------------------------------------------ hostile files

    private String refused(byte[] content) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        try (Scope s = Scope.open()) {
            return assertThrows(CheckpointFormatException.class, () -> SafeTensors.load(f)).getMessage();
        }
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }

    private static final byte[] EIGHT = new byte[8];

    @Test
    void headerLengthsBeyondTheLimitOrTheFileAreRefused() throws IOException {
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array();
        assertContains(refused(huge), "header length 1152921504606846976 exceeds the limit of 100000000 bytes");
        byte[] neg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        assertContains(refused(neg), "header length 18446744073709551615 exceeds the limit");
        byte[] past = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        assertContains(refused(past), "header length 1000 runs past the end of the file (16 bytes)");
        byte[] limit = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001).array();
        assertContains(refused(limit), "exceeds the limit");
        assertContains(refused(new byte[5]), "too short for the 8-byte header length");
    }

    @Test
    void offsetsMustTileTheDataExactly() throws IOException {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
        assertContains(refused(file(String.format(two, 0, 4, 2, 6), EIGHT)), "tensor 'b' has data_offsets [2, 6] but the previous tensor ends at 4 (overlap)");
        assertContains(refused(file(String.format(two, 0, 4, 0, 4), EIGHT)), "(overlap)");
        assertContains(refused(file(String.format(two, 0, 4, 6, 10), new byte[10])), "tensor 'b' has data_offsets [6, 10] but the previous tensor ends at 4 (gap)");
        assertContains(refused(file(String.format(two, 0, 4, 4, 8), new byte[12])), "the tensors cover 8 bytes of data but the file holds 12");
        assertContains(refused(file(String.format(two, 0, 4, 4, 8), new byte[6])), "the tensors cover 8 bytes of data but the file holds 6");
        assertContains(refused(file(String.format(two, 4, 8, 8, 12), new byte[12])), "tensor 'a' has data_offsets [4, 8] but the previous tensor ends at 0 (gap)");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[0])), "(gap)");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", EIGHT)), "needs 12 bytes but its data_offsets span 8");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", EIGHT)), "overflows 64 bits");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551615]}}", EIGHT)), "beyond 2^63-1");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,-8]}}", EIGHT)), "non-negative integers");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}", EIGHT)), "non-negative integers");
        assertContains(refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", EIGHT)), "two integers");
    }

    @Test
    void headersThatAreNotValidJsonObjectsOrUseUnknownDtypesAreRefused() throws IOException {
        assertContains(refused(file("{\"a\":{\"dtype\":\"X9\",\"shape\":[2],\"data_offsets\":[0,8]}}", EIGHT)), "unknown dtype 'X9'");
        assertContains(refused(file("{\"a\":{\"dtype\":\"U16\",\"shape\":[4],\"data_offsets\":[0,8]}}", EIGHT)), "dtype U16, which Wick does not support");
        assertContains(refused(file("[1,2]   ", new byte[0])), "does not start with '{'");
        assertContains(refused(file("{\"a\":1,}", new byte[0])), "not valid JSON");
        assertContains(refused(file("{\"a\":{},\"a\":{}}", new byte[0])), "duplicate key \"a\"");
        assertContains(refused(file("{\"__metadata__\":{\"k\":1}}", new byte[0])), "__metadata__ value of 'k' is not a string");
        assertContains(refused(file("{\"a\":5}", new byte[0])), "entry 'a' is not an object");
        byte[] notUtf8 = file("{\"a\":\"x\"}", new byte[0]);
        notUtf8[13] = (byte) 0xC3;
        assertContains(refused(notUtf8), "not valid UTF-8");
        String deep = "{\"__metadata__\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertContains(refused(file(deep, new byte[0])), "nests deeper than 64 levels");
    }

    @Test
    void writerRejectsReservedNamesAndNonTensors() {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("__metadata__", Tensor.zeros(1));
            assertContains(assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(m, dir.resolve("x.safetensors"))).getMessage(),
                    "'__metadata__' is reserved");
            Map<String, Tensor> n = new LinkedHashMap<>();
            n.put("w", null);
            assertContains(assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(n, dir.resolve("x.safetensors"))).getMessage(),
                    "Value of 'w' is not a tensor");
            assertFalse(Files.exists(dir.resolve("x.safetensors")));
        }
    }

    @Test
    void headerOnlyReadDoesNotNeedTheData() throws IOException {
        // metadata() validates the whole header (offsets vs. file size) but reads no tensor data.
        byte[] good = file("{\"__metadata__\":{\"epoch\":\"3\"},\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", EIGHT);
        Path f = dir.resolve("m.safetensors");
        Files.write(f, good);
        assertEquals(Map.of("epoch", "3"), SafeTensors.metadata(f));
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        assertThrows(CheckpointFormatException.class, () -> SafeTensors.metadata(f));
    }
}
