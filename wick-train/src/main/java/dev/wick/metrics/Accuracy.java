package dev.wick.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * The fraction of samples whose predicted class (the arg-max of the scores) is the target class.
 *
 * <pre>{@code
 * var acc = new Accuracy();
 * acc.update(logits, labels);       // logits (B, C), labels (B) int64
 * acc.compute();                    // correct / total, NaN before any update
 * }</pre>
 *
 * Accepts scores {@code (B, C)} with targets {@code (B)}, or integer predictions of the target's shape.
 * Logged as {@code <split>_acc}.
 */
public final class Accuracy implements Metric<Double> {
    private long correct;
    private long total;

    @Override
    public void update(Tensor output, Tensor target) {
        long[][] pt = Classes.of("Accuracy", output, target);
        for (int i = 0; i < pt[0].length; i++) if (pt[0][i] == pt[1][i]) correct++;
        total += pt[0].length;
    }

    @Override public Double compute() { return total == 0 ? Double.NaN : (double) correct / total; }
    @Override public void reset() { correct = 0; total = 0; }
    @Override public String name() { return "acc"; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    /** Samples counted correct so far. */
    public long correct() { return correct; }
    /** Samples counted so far. */
    public long total() { return total; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correct", correct);
        m.put("total", total);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, "Accuracy", "correct", "total");
        correct = Classes.asLong(sd, "correct", "Accuracy");
        total = Classes.asLong(sd, "total", "Accuracy");
    }

    @Override public String toString() { return "Accuracy(" + correct + "/" + total + ")"; }
}
