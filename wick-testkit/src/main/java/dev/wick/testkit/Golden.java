package dev.wick.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.wick.internal.Json;
import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Golden values that PyTorch wrote (each module's {@code src/test/resources/golden/.../make_golden.py}),
 * and the comparisons the tests make with them.
 *
 * <pre>{@code
 * Map<String, Object> g = Golden.load("/golden/loss/losses.json");
 * Tensor x = Golden.tensor(g.get("input"));                  // {"shape": [2, 3], "dtype": "float32", "data": [...]}
 * Golden.assertClose("output", g.get("output"), model.forward(x), Tolerance.relative(1e-5).plusOfScale(1e-6));
 * }</pre>
 *
 * <p>A file is read with Wick's JSON reader ({@link Json#parse}: numbers as {@code Long} or
 * {@code Double}, Python's {@code NaN}/{@code Infinity} accepted). A tensor entry is an object with
 * {@code "shape"}, {@code "dtype"} (a torch name such as {@code "float32"}) and its flat values in
 * row-major order under {@code "values"} (or {@code "data"}, as some scripts name it).
 */
public final class Golden {
    private Golden() {}

    // ------------------------------------------------------------------ files

    /** The JSON object in the class-path resource {@code resource} (an absolute path such as {@code "/golden/x.json"}). */
    public static Map<String, Object> load(String resource) {
        Object v = loadValue(resource);
        if (!(v instanceof Map)) throw new IllegalStateException("Golden file " + resource + " does not hold a JSON object");
        return map(v);
    }

    /** The JSON value (object, array, ...) in the class-path resource {@code resource}. */
    public static Object loadValue(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("Missing test resource " + resource + " (run its make_golden.py)");
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Golden file " + resource + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ JSON values

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object json) { return (Map<String, Object>) json; }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object json) { return (List<Object>) json; }

    /** A JSON array of numbers as longs. */
    public static long[] longs(Object json) {
        List<Object> l = list(json);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).longValue();
        return out;
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(Object json) {
        List<Object> l = list(json);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
        return out;
    }

    /** A JSON array of numbers as floats (each double rounded to the nearest float). */
    public static float[] floats(Object json) {
        List<Object> l = list(json);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) ((Number) l.get(i)).doubleValue();
        return out;
    }

    // ------------------------------------------------------------------ tensor entries

    /** A tensor entry's shape. */
    public static long[] shape(Object entry) { return longs(field(entry, "shape")); }

    /** A tensor entry's dtype. */
    public static DType dtype(Object entry) { return DType.parse((String) field(entry, "dtype")); }

    /** A tensor entry's flat values as doubles ({@code true}/{@code false} as 1/0). */
    public static double[] values(Object entry) {
        List<Object> l = list(valuesField(entry));
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i) instanceof Boolean b ? (b ? 1 : 0) : ((Number) l.get(i)).doubleValue();
        return out;
    }

    /**
     * The tensor a golden entry describes, made in the current scope: float32 values rounded from the
     * JSON doubles, float64 as read, int64 exactly, bool from {@code true}/{@code false}, other dtypes
     * converted from the doubles. A shape {@code []} gives a 0-dim tensor.
     */
    public static Tensor tensor(Object entry) {
        long[] shape = shape(entry);
        DType dtype = dtype(entry);
        List<Object> data = list(valuesField(entry));
        long[] dims = shape.length == 0 ? new long[]{data.size()} : shape;
        Tensor t;
        switch (dtype) {
            case FLOAT32 -> t = Tensor.of(floats(data), dims);
            case FLOAT64 -> t = Tensor.of(doubles(data), dims);
            case INT64 -> t = Tensor.of(longs(data), dims);
            case BOOL -> {
                boolean[] b = new boolean[data.size()];
                for (int i = 0; i < b.length; i++) b[i] = data.get(i) instanceof Boolean v ? v : ((Number) data.get(i)).doubleValue() != 0;
                t = Tensor.of(b, dims);
            }
            default -> t = Tensor.of(values(entry), dims).to(dtype);
        }
        return shape.length == 0 ? t.reshape() : t;
    }

    private static Object field(Object entry, String key) {
        Object v = map(entry).get(key);
        if (v == null) throw new IllegalStateException("Golden entry has no '" + key + "' (keys: " + map(entry).keySet() + ")");
        return v;
    }

    private static Object valuesField(Object entry) {
        Map<String, Object> m = map(entry);
        return field(entry, m.containsKey("values") ? "values" : "data");
    }

    // ------------------------------------------------------------------ comparisons

    /**
     * How closely a tensor matched: the largest error relative to its golden value (over the values of
     * magnitude at least 1e-3 of the tensor's largest, so near-zero values do not dominate), and the
     * largest error relative to the tensor's largest magnitude ({@code normwise}).
     */
    public record Agreement(double worstRelative, double normwise) {}

    /**
     * Asserts that {@code actual} has the entry's shape and dtype and every value within {@code tol}
     * of the entry's; a failure names {@code what}, the flat index and both values.
     */
    public static Agreement assertClose(String what, Object expectedEntry, Tensor actual, Tolerance tol) {
        if (actual == null) fail(what + ": tensor is null (no gradient?)");
        assertArrayEquals(shape(expectedEntry), actual.shape(), what + ": shape");
        assertEquals(dtype(expectedEntry), actual.dtype(), what + ": dtype");
        return assertClose(what, values(expectedEntry), actual.toDoubleArray(), tol);
    }

    /** Asserts equal lengths and {@code actual[i]} within {@code tol} of {@code expected[i]} for every i. */
    public static Agreement assertClose(String what, double[] expected, double[] actual, Tolerance tol) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        int bad = 0;
        StringBuilder first = new StringBuilder();
        double worst = 0, worstAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i], d = Math.abs(a - e);
            if (!tol.accepts(e, a, scale)) {
                if (bad++ < 5) first.append(String.format("%n  %s[%d]: expected %s but got %s (diff %.3g, allowed %.3g)", what, i, e, a, d, tol.bound(e, scale)));
                continue;
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) continue;
            if (e != 0 && Math.abs(e) >= 1e-3 * scale) worst = Math.max(worst, d / Math.abs(e));
            worstAbs = Math.max(worstAbs, d);
        }
        if (bad > 0) fail(what + ": " + bad + " of " + expected.length + " values differ beyond " + tol + " (max|E| = " + scale + ")" + first);
        return new Agreement(worst, scale > 0 ? worstAbs / scale : 0);
    }

    /** Asserts {@code actual} within {@code tol} of the golden scalar {@code expected} (a tensor of its own: max|E| = |expected|). */
    public static void assertClose(String what, double expected, double actual, Tolerance tol) {
        if (!tol.accepts(expected, actual, Math.abs(expected)))
            fail(what + ": expected " + expected + " but got " + actual + " (diff " + Math.abs(actual - expected) + ", allowed " + tol + ")");
    }

    /**
     * Checks a large tensor against its digest {@code {"shape", "head", "sum", "abs_sum"}}: the shape;
     * the first values bit for bit when {@code exact} (and the tensor is float32), else within
     * {@code rtol·|e| + rtol·max|E|}; the sum and the sum of magnitudes (computed in float64) within
     * {@code rtol} of the golden sum of magnitudes (a sum can cancel to near zero).
     */
    public static void assertDigest(String what, Object digest, Tensor actual, boolean exact, double rtol) {
        Map<String, Object> d = map(digest);
        assertArrayEquals(longs(d.get("shape")), actual.shape(), what + ": shape");
        double[] head = doubles(d.get("head"));
        double[] a;
        try (Tensor flat = actual.detach().flatten(); Tensor h = flat.slice(0, 0, head.length)) {
            a = h.toDoubleArray();
        }
        if (exact && actual.dtype() == DType.FLOAT32) {
            float[] hf = new float[head.length], af = new float[a.length];
            for (int i = 0; i < head.length; i++) { hf[i] = (float) head[i]; af[i] = (float) a[i]; }
            assertBitEqual(what + " (head)", hf, af);
        } else {
            assertClose(what + " (head)", head, a, Tolerance.relative(rtol).plusOfScale(rtol));
        }
        double sum, absSum;
        try (Tensor d64 = actual.detach().toDouble(); Tensor s = d64.sum(); Tensor ab = d64.abs(); Tensor as = ab.sum()) {
            sum = s.item();
            absSum = as.item();
        }
        double eAbs = ((Number) d.get("abs_sum")).doubleValue();
        double eSum = ((Number) d.get("sum")).doubleValue();
        if (Math.abs(sum - eSum) > rtol * eAbs + 1e-30) fail(what + ": sum expected " + eSum + " got " + sum + " (abs sum " + eAbs + ")");
        if (Math.abs(absSum - eAbs) > rtol * eAbs + 1e-30) fail(what + ": abs sum expected " + eAbs + " got " + absSum);
    }

    /** Asserts the entry's shape and float32 values bit for bit ({@code -0.0} differs from {@code 0.0}). */
    public static void assertBitEqual(String what, Object expectedEntry, Tensor actual) {
        assertArrayEquals(shape(expectedEntry), actual.shape(), what + ": shape");
        assertBitEqual(what, floats(valuesField(expectedEntry)), actual.toFloatArray());
    }

    /** Asserts equal lengths and {@code expected[i]} and {@code actual[i]} the same float bit for bit (NaNs are equal). */
    public static void assertBitEqual(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i]))
                fail(what + "[" + i + "]: expected " + expected[i] + " but got " + actual[i] + " (bit for bit; first values expected "
                        + Arrays.toString(Arrays.copyOf(expected, Math.min(4, expected.length))) + ", got "
                        + Arrays.toString(Arrays.copyOf(actual, Math.min(4, actual.length))) + ")");
        }
    }
}
