package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.wick.internal.Json;

/** Reads golden values written by src/test/resources/golden/make_tensor_golden.py. */
final class Golden {
    final Map<String, Object> all;

    Golden(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            all = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> entry(String name) {
        Object e = all.get(name);
        assertNotNull(e, "no golden entry " + name);
        return (Map<String, Object>) e;
    }

    /** Asserts shape, dtype and values (relative tolerance, exact when tol == 0). */
    @SuppressWarnings("unchecked")
    void check(String name, Tensor actual, double tol) {
        Map<String, Object> e = entry(name);
        List<Object> shape = (List<Object>) e.get("shape");
        long[] expShape = shape.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
        assertArrayEquals(expShape, actual.shape(), name + ": shape");
        assertEquals(DType.parse((String) e.get("dtype")), actual.dtype(), name + ": dtype");
        List<Object> vals = (List<Object>) e.get("values");
        double[] got = actual.toDoubleArray();
        assertEquals(vals.size(), got.length, name + ": numel");
        for (int i = 0; i < got.length; i++) {
            double exp = ((Number) vals.get(i)).doubleValue();
            if (Double.isNaN(exp)) { assertTrue(Double.isNaN(got[i]), name + "[" + i + "]"); continue; }
            double err = Math.abs(got[i] - exp);
            assertTrue(err <= tol * Math.max(1.0, Math.abs(exp)), name + "[" + i + "]: expected " + exp + " got " + got[i]);
        }
    }

    void checkAll(String name, List<Tensor> parts, double tol) {
        for (int k = 0; k < parts.size(); k++) check(name + "." + k, parts.get(k), tol);
    }

    @SuppressWarnings("unchecked")
    String string(String key) { return (String) ((Map<String, Object>) all.get("__strings__")).get(key); }
}
