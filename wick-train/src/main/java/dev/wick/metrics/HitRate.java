package dev.wick.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The share of samples counted correct: the shared part of {@link Accuracy} and {@link TopKAccuracy}
 * (counts, reset, state {@code {correct, total}}). Subclasses count in {@code update}.
 */
abstract class HitRate implements Metric<Double> {
    private final String className;
    long correct;
    long total;

    HitRate(String className) { this.className = className; }

    @Override public Double compute() { return total == 0 ? Double.NaN : (double) correct / total; }
    @Override public void reset() { correct = 0; total = 0; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correct", correct);
        m.put("total", total);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, className, "correct", "total");
        correct = Classes.asLong(sd, "correct", className);
        total = Classes.asLong(sd, "total", className);
    }
}
