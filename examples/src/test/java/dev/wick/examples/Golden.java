package dev.wick.examples;

import java.util.List;
import java.util.Map;

import dev.wick.testkit.Tolerance;

/**
 * One example's values from make_golden.py (PyTorch 1.13), read with the shared test kit, and the
 * comparisons the tests make with them: {@code |got - want| <= atol + rtol * |want|}.
 */
final class Golden {
    private final String name;
    private final Map<String, Object> data;

    private Golden(String name, Map<String, Object> data) {
        this.name = name;
        this.data = data;
    }

    static Golden load(String name) {
        return new Golden(name, dev.wick.testkit.Golden.load("/golden/" + name + ".json"));
    }

    Object get(String key) {
        Object v = data.get(key);
        if (v == null) throw new AssertionError(name + ".json has no '" + key + "' (run make_golden.py)");
        return v;
    }

    double number(String key) { return ((Number) get(key)).doubleValue(); }

    List<Object> list(String key) { return dev.wick.testkit.Golden.list(get(key)); }

    double[] doubles(String key) { return dev.wick.testkit.Golden.doubles(get(key)); }

    long[] longs(String key) { return dev.wick.testkit.Golden.longs(get(key)); }

    static double[] toDoubles(List<?> l) { return dev.wick.testkit.Golden.doubles(l); }

    static double[] toDoubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    static void assertClose(double[] want, double[] got, double rtol, double atol, String what) {
        dev.wick.testkit.Golden.assertClose(what, want, got, Tolerance.relative(rtol).plus(atol));
    }

    static void assertClose(double want, double got, double rtol, double atol, String what) {
        dev.wick.testkit.Golden.assertClose(what, want, got, Tolerance.relative(rtol).plus(atol));
    }
}
