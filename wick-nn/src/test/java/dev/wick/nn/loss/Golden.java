package dev.wick.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Reads the reference values PyTorch wrote (src/test/resources/golden/...) and compares tensors to
 * them. The JSON is the small subset {@code json.dump} writes; a tensor is
 * {@code {"dtype": "float32", "shape": [2, 3], "data": [...]}}. Shared by the loss, rnn and attention
 * tests.
 */
public final class Golden {
    /** The tolerance the issue asks for: 1e-5 relative per element ... */
    public static final double RTOL = 1e-5;
    /** ... and, for elements near zero, 1e-6 of the tensor's largest magnitude. */
    public static final double ATOL = 1e-6;

    private Golden() {}

    /** The largest difference relative to its tensor's largest magnitude any comparison saw. */
    public static volatile double worstNormwise;

    /** The parsed JSON resource at {@code path} (e.g. {@code "/golden/loss/losses.json"}). */
    public static Map<String, Object> load(String path) {
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("Missing test resource " + path + " (run its make_golden.py)");
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Parser p = new Parser(s);
            Object v = p.value();
            p.skipWs();
            if (p.i != s.length()) throw new IllegalStateException("Trailing data in " + path + " at " + p.i);
            return asMap(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object o) { return (List<Object>) o; }

    public static long[] shape(Map<String, Object> t) {
        List<Object> s = asList(t.get("shape"));
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) s.get(i)).longValue();
        return out;
    }

    /** Builds the tensor a JSON entry describes. */
    public static Tensor tensor(Object json) {
        Map<String, Object> t = asMap(json);
        long[] shape = shape(t);
        List<Object> data = asList(t.get("data"));
        DType dtype = DType.parse((String) t.get("dtype"));
        Tensor flat;
        switch (dtype) {
            case FLOAT32: {
                float[] a = new float[data.size()];
                for (int i = 0; i < a.length; i++) a[i] = (float) ((Number) data.get(i)).doubleValue();
                flat = Tensor.of(a);
                break;
            }
            case FLOAT64: {
                double[] a = new double[data.size()];
                for (int i = 0; i < a.length; i++) a[i] = ((Number) data.get(i)).doubleValue();
                flat = Tensor.of(a);
                break;
            }
            case INT64: {
                long[] a = new long[data.size()];
                for (int i = 0; i < a.length; i++) a[i] = ((Number) data.get(i)).longValue();
                flat = Tensor.of(a);
                break;
            }
            case BOOL: {
                boolean[] a = new boolean[data.size()];
                for (int i = 0; i < a.length; i++) a[i] = (Boolean) data.get(i);
                flat = Tensor.of(a);
                break;
            }
            default:
                throw new IllegalStateException("Unsupported golden dtype " + dtype);
        }
        return flat.reshape(shape).contiguous();
    }

    /** Float values of a JSON tensor. */
    public static double[] values(Object json) {
        List<Object> data = asList(asMap(json).get("data"));
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) data.get(i)).doubleValue();
        return out;
    }

    /**
     * Asserts {@code actual} has the expected shape and every value within
     * {@code |a - e| <= RTOL * |e| + ATOL * max|e|}: 1e-5 relative per element, with a floor of 1e-6
     * of the tensor's largest magnitude for elements near zero (where float32 summation order, which
     * differs between libtorch builds, decides the last bits). Returns the largest per-element
     * relative error over the values of magnitude at least 1e-3 of the largest (for reports).
     */
    public static double assertClose(String what, Tensor actual, Object expectedJson) {
        return assertClose(what, actual, expectedJson, RTOL, ATOL);
    }

    public static double assertClose(String what, Tensor actual, Object expectedJson, double rtol, double atolOfScale) {
        if (actual == null) fail(what + ": tensor is null (no gradient?)");
        assertArrayEquals(shape(asMap(expectedJson)), actual.shape(), what + ": shape");
        double[] e = values(expectedJson);
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what + ": size");
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        double floor = atolOfScale * scale + 1e-12;
        double worst = 0, absMax = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!(d <= rtol * Math.abs(e[i]) + floor))
                fail(what + "[" + i + "]: expected " + e[i] + " but was " + a[i] + " (diff " + d + ", largest magnitude " + scale + ")");
            if (Math.abs(e[i]) >= 1e-3 * scale) worst = Math.max(worst, d / Math.abs(e[i]));
            absMax = Math.max(absMax, d);
        }
        if (scale > 0) worstNormwise = Math.max(worstNormwise, absMax / scale);
        return worst;
    }

    /** A recursive-descent parser for the JSON json.dump writes. */
    private static final class Parser {
        final String s;
        int i;

        Parser(String s) { this.s = s; }

        void skipWs() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        Object value() {
            skipWs();
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': expect("true"); return Boolean.TRUE;
                case 'f': expect("false"); return Boolean.FALSE;
                case 'n': expect("null"); return null;
                case 'N': expect("NaN"); return Double.NaN;
                case 'I': expect("Infinity"); return Double.POSITIVE_INFINITY;
                default: return number();
            }
        }

        void expect(String w) {
            if (!s.startsWith(w, i)) throw new IllegalStateException("Bad JSON at " + i + ": expected " + w);
            i += w.length();
        }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skipWs();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                skipWs();
                String k = string();
                skipWs();
                expect(":");
                m.put(k, value());
                skipWs();
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw new IllegalStateException("Bad JSON at " + (i - 1));
            }
        }

        List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            skipWs();
            if (s.charAt(i) == ']') { i++; return l; }
            while (true) {
                l.add(value());
                skipWs();
                char c = s.charAt(i++);
                if (c == ']') return l;
                if (c != ',') throw new IllegalStateException("Bad JSON at " + (i - 1));
            }
        }

        String string() {
            if (s.charAt(i) != '"') throw new IllegalStateException("Bad JSON at " + i + ": expected a string");
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
                        case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }

        Number number() {
            int start = i;
            if (s.charAt(i) == '-') {
                i++;
                if (s.startsWith("Infinity", i)) { i += 8; return Double.NEGATIVE_INFINITY; }
            }
            boolean integral = true;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') { i++; continue; }
                if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { integral = false; i++; continue; }
                break;
            }
            String n = s.substring(start, i);
            if (n.isEmpty() || n.equals("-")) throw new IllegalStateException("Bad JSON number at " + start);
            return integral ? (Number) Long.parseLong(n) : (Number) Double.parseDouble(n);
        }
    }
}
