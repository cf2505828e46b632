package dev.wick.metrics;

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
public final class Accuracy extends HitRate {
    public Accuracy() { super("Accuracy"); }

    @Override
    public void update(Tensor output, Tensor target) {
        long[][] pt = Classes.of("Accuracy", output, target);
        for (int i = 0; i < pt[0].length; i++) if (pt[0][i] == pt[1][i]) correct++;
        total += pt[0].length;
    }

    @Override public String name() { return "acc"; }

    /** Samples counted correct so far. */
    public long correct() { return correct; }
    /** Samples counted so far. */
    public long total() { return total; }

    @Override public String toString() { return "Accuracy(" + correct + "/" + total + ")"; }
}
