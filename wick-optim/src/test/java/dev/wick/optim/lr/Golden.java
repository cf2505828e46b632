package dev.wick.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.testkit.Tolerance;

/**
 * Golden values written by {@code src/test/resources/golden/lr/make_golden.py} (PyTorch 1.13), and the
 * comparisons the tests make with them (read and compared with {@link dev.wick.testkit.Golden}).
 */
final class Golden {
    static final double REL = 1e-9;

    final String name;
    final Map<String, Object> data;

    private Golden(String name, Map<String, Object> data) {
        this.name = name;
        this.data = data;
    }

    static Golden load(String name) {
        return new Golden(name, dev.wick.testkit.Golden.load("/golden/lr/" + name + ".json"));
    }

    /** A list of rows of doubles (e.g. "lr": one row per step, one value per group). */
    List<double[]> rows(String key) {
        List<Object> rows = dev.wick.testkit.Golden.list(data.get(key));
        assertNotNull(rows, name + ": no '" + key + "'");
        List<double[]> out = new ArrayList<>();
        for (Object r : rows) out.add(dev.wick.testkit.Golden.doubles(r));
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
        dev.wick.testkit.Golden.assertClose(what, expected, actual, Tolerance.relative(REL));
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
}
