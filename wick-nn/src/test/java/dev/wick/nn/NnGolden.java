package dev.wick.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/** Reads the reference files that make_golden.py wrote (a minimal JSON reader) and compares tensors. */
public final class NnGolden {
    private NnGolden() {}

    /** Parses {@code /golden/<name>} from the test class path. */
    public static Object load(String name) {
        try (InputStream in = NnGolden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /golden/" + name + " (run make_golden.py)");
            return new Parser(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) { return (List<Object>) o; }

    public static long[] longs(Object o) {
        List<Object> l = list(o);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).longValue();
        return out;
    }

    public static double[] doubles(Object o) {
        List<Object> l = list(o);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
        return out;
    }

    public static float[] floats(Object o) {
        double[] d = doubles(o);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** A tensor from {"shape", "dtype", "data"}. */
    public static Tensor tensor(Object enc) {
        Map<String, Object> m = obj(enc);
        long[] shape = longs(m.get("shape"));
        String dtype = (String) m.get("dtype");
        if (dtype.equals("int64")) {
            long[] data = longs(m.get("data"));
            return shape.length == 0 ? Tensor.scalar(data[0]) : Tensor.of(data, shape);
        }
        if (!dtype.equals("float32")) throw new IllegalArgumentException("unsupported golden dtype " + dtype);
        float[] data = floats(m.get("data"));
        return shape.length == 0 ? Tensor.scalar(data[0]) : Tensor.of(data, shape);
    }

    /**
     * Asserts shape equality and {@code |a - e| <= rtol * |e| + atol} for every element, where atol is
     * {@code rtol} times the largest |e| over the tensor (so values that cancel to near zero are judged
     * against the tensor's scale, not their own).
     */
    public static void assertClose(String what, Object expectedEnc, Tensor actual, double rtol) {
        Map<String, Object> m = obj(expectedEnc);
        assertArrayEquals(longs(m.get("shape")), actual.shape(), what + ": shape");
        double[] e = doubles(m.get("data"));
        double[] a = actual.toDoubleArray();
        assertCloseArrays(what, e, a, rtol);
    }

    public static void assertCloseArrays(String what, double[] e, double[] a, double rtol) {
        assertEquals(e.length, a.length, what + ": element count");
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        double atol = rtol * scale;
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < e.length; i++) {
            double tol = rtol * Math.abs(e[i]) + atol;
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                if (bad++ < 5) sb.append(String.format("%n  [%d] expected %.9g got %.9g (diff %.3g, tol %.3g)", i, e[i], a[i], Math.abs(a[i] - e[i]), tol));
            }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + e.length + " values differ beyond rtol " + rtol + sb);
    }

    /** Asserts exact (bit-for-bit) float32 equality. */
    public static void assertBitEqual(String what, Object expectedEnc, Tensor actual) {
        Map<String, Object> m = obj(expectedEnc);
        assertArrayEquals(longs(m.get("shape")), actual.shape(), what + ": shape");
        assertBitEqualArrays(what, floats(m.get("data")), actual.toFloatArray());
    }

    public static void assertBitEqualArrays(String what, float[] e, float[] a) {
        assertEquals(e.length, a.length, what + ": element count");
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i]))
                fail(what + ": element " + i + " differs: expected " + e[i] + " got " + a[i] + " (first values expected "
                        + Arrays.toString(Arrays.copyOf(e, Math.min(4, e.length))) + ", got " + Arrays.toString(Arrays.copyOf(a, Math.min(4, a.length))) + ")");
        }
    }

    /** Checks a {"shape", "head", "sum", "abs_sum"} digest: head bit for bit when {@code exact}, else to rtol; sums to rtol. */
    public static void assertDigest(String what, Object digest, Tensor actual, boolean exact, double rtol) {
        Map<String, Object> d = obj(digest);
        assertArrayEquals(longs(d.get("shape")), actual.shape(), what + ": shape");
        double[] head = doubles(d.get("head"));
        double[] a;
        try (Tensor flat = actual.detach().flatten(); Tensor h = flat.slice(0, 0, head.length)) {
            a = h.toDoubleArray();
        }
        if (exact && actual.dtype() == DType.FLOAT32) {
            float[] hf = new float[head.length], af = new float[a.length];
            for (int i = 0; i < head.length; i++) { hf[i] = (float) head[i]; af[i] = (float) a[i]; }
            assertBitEqualArrays(what + " (head)", hf, af);
        } else {
            assertCloseArrays(what + " (head)", head, a, rtol);
        }
        double sum, absSum;
        try (Tensor d64 = actual.detach().toDouble(); Tensor s = d64.sum(); Tensor ab = d64.abs(); Tensor as = ab.sum()) {
            sum = s.item();
            absSum = as.item();
        }
        double eAbs = ((Number) d.get("abs_sum")).doubleValue();
        // the sum can cancel: judge it against the absolute sum
        double eSum = ((Number) d.get("sum")).doubleValue();
        if (Math.abs(sum - eSum) > rtol * eAbs + 1e-30) fail(what + ": sum expected " + eSum + " got " + sum + " (abs sum " + eAbs + ")");
        if (Math.abs(absSum - eAbs) > rtol * eAbs + 1e-30) fail(what + ": abs sum expected " + eAbs + " got " + absSum);
    }

    // ------------------------------------------------------------------ a minimal JSON reader

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                String k = string();
                ws();
                i++; // ':'
                m.put(k, value());
                ws();
                if (s.charAt(i++) == '}') return m;
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (s.charAt(i) == ']') { i++; return l; }
            while (true) {
                l.add(value());
                ws();
                if (s.charAt(i++) == ']') return l;
            }
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 't': sb.append('\t'); break;
                        case 'r': sb.append('\r'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String n = s.substring(start, i);
            if (n.equals("-")) { i += 8; return Double.NEGATIVE_INFINITY; }
            if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) return Long.parseLong(n);
            return Double.parseDouble(n);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
