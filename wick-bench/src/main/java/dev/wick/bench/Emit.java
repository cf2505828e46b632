package dev.wick.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.internal.Json;

/** Writes benchmark results as the JSON lines of shared/bench/SPEC.md. */
public final class Emit {
    private Emit() {}

    public static void line(String workload, String metric, double value, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("framework", "wick");
        m.put("workload", workload);
        m.put("metric", metric);
        m.put("value", value);
        m.put("unit", unit);
        System.out.println(Json.write(m));
        System.out.flush();
    }

    /** Median of a sample. */
    public static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) m = Math.min(m, x);
        return m;
    }
}
