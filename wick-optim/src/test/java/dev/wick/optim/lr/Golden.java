package dev.wick.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden values written by {@code src/test/resources/golden/lr/make_golden.py} (PyTorch 1.13), and the
 * comparisons the tests make with them. Contains a small JSON reader (objects, arrays, numbers with
 * Python's {@code Infinity}/{@code NaN}, strings, booleans, null): numbers read as Long when integral,
 * otherwise Double.
 */
final class Golden {
    static final double REL = 1e-9;

    final String name;
    final Map<String, Object> data;

    private Golden(String name, Map<String, Object> data) {
        this.name = name;
        this.data = data;
    }

    @SuppressWarnings("unchecked")
    static Golden load(String name) {
        String res = "/golden/lr/" + name + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(res)) {
            assertNotNull(in, "missing golden file " + res + " (run make_golden.py)");
            return new Golden(name, (Map<String, Object>) new Reader(new String(in.readAllBytes(), StandardCharsets.UTF_8)).parse());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** A list of rows of doubles (e.g. "lr": one row per step, one value per group). */
    @SuppressWarnings("unchecked")
    List<double[]> rows(String key) {
        List<Object> rows = (List<Object>) data.get(key);
        assertNotNull(rows, name + ": no '" + key + "'");
        List<double[]> out = new ArrayList<>();
        for (Object r : rows) {
            List<Object> l = (List<Object>) r;
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
            out.add(d);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key) { return (List<Object>) data.get(key); }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) { return (Map<String, Object>) data.get(key); }

    /** {@code |actual - expected| <= 1e-9 * |expected|} for each value. */
    static void assertClose(double[] expected, List<Double> actual, String what) {
        assertEquals(expected.length, actual.size(), what + ": number of groups");
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], actual.get(i), what + " group " + i);
    }

    static void assertClose(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        if (expected == actual) return;
        double err = Math.abs(actual - expected);
        if (!(err <= REL * Math.abs(expected)))
            fail(what + ": expected " + expected + " but got " + actual + " (relative error " + err / Math.abs(expected) + ")");
    }

    /**
     * Every key of PyTorch's state dict (but {@code ignored}) is in Wick's with an equal value: numbers to
     * 1e-9 relative (a Long equals a Double of the same value), lists and maps recursively.
     */
    @SuppressWarnings("unchecked")
    static void assertStateMatches(Map<String, Object> torch, Map<String, Object> wick, List<String> ignored, String where) {
        for (Map.Entry<String, Object> e : torch.entrySet()) {
            String k = e.getKey();
            if (ignored.contains(k)) continue;
            assertTrue(wick.containsKey(k), where + ": Wick's state dict lacks PyTorch's key '" + k + "' (it has " + wick.keySet() + ")");
            assertSame(e.getValue(), wick.get(k), ignored, where + "." + k);
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSame(Object t, Object w, List<String> ignored, String where) {
        if (t instanceof Number tn) {
            assertTrue(w instanceof Number, where + ": expected a number, got " + w);
            assertClose(tn.doubleValue(), ((Number) w).doubleValue(), where);
        } else if (t instanceof List<?> tl) {
            assertTrue(w instanceof List<?>, where + ": expected a list, got " + w);
            List<?> wl = (List<?>) w;
            assertEquals(tl.size(), wl.size(), where + ": list size");
            for (int i = 0; i < tl.size(); i++) assertSame(tl.get(i), wl.get(i), ignored, where + "[" + i + "]");
        } else if (t instanceof Map<?, ?> tm) {
            assertTrue(w instanceof Map<?, ?>, where + ": expected a map, got " + w);
            assertStateMatches((Map<String, Object>) tm, (Map<String, Object>) w, ignored, where);
        } else {
            assertEquals(t, w, where);
        }
    }

    /** A deep copy of a JSON value (maps stay mutable). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) out.put(e.getKey(), copyValue(e.getValue()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) return copy((Map<String, Object>) m);
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(copyValue(o));
            return out;
        }
        return v;
    }

    /** A minimal JSON reader for the golden files. */
    static final class Reader {
        private final String s;
        private int i;

        Reader(String s) { this.s = s; }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) throw new IllegalArgumentException("JSON: trailing characters at " + i);
            return v;
        }

        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') { i++; return m; }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') { i++; return l; }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect(']');
                        return l;
                    }
                }
                case '"': return string();
                default:
                    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
                    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
                    if (s.startsWith("null", i)) { i += 4; return null; }
                    if (s.startsWith("NaN", i)) { i += 3; return Double.NaN; }
                    if (s.startsWith("Infinity", i)) { i += 8; return Double.POSITIVE_INFINITY; }
                    if (s.startsWith("-Infinity", i)) { i += 9; return Double.NEGATIVE_INFINITY; }
                    return number();
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("JSON: expected '" + c + "' at " + i);
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }

        private Object number() {
            int start = i;
            boolean integral = true;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                if (".eE".indexOf(s.charAt(i)) >= 0) integral = false;
                i++;
            }
            String t = s.substring(start, i);
            if (t.isEmpty()) throw new IllegalArgumentException("JSON: unexpected character at " + start);
            return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
        }
    }
}
