package dev.wick.metrics;

import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Macro-averaged f1: per class, the harmonic mean of the class's precision and recall, 2 TP / (2 TP + FP + FN); then the plain mean over the classes.
 *
 * <pre>{@code
 * var m = new F1Score(10);
 * m.update(logits, labels);    // logits (B, 10), labels (B)
 * double v = m.compute();
 * }</pre>
 *
 * <p>Conventions (sklearn's {@code average='macro', zero_division=0}): a class with a 0/0 ratio
 * counts 0, and the mean runs over the classes present in the targets or the predictions seen so
 * far (a class absent from both is left out). NaN before any update. Logged as {@code <split>_f1}.
 */
public final class F1Score implements Metric<Double> {
    private final ConfusionMatrix cm;

    public F1Score(int numClasses) {
        this.cm = new ConfusionMatrix(numClasses);
    }

    public int numClasses() { return cm.numClasses(); }

    @Override public void update(Tensor output, Tensor target) { cm.update(output, target); }
    @Override public Double compute() { return cm.macro()[2]; }
    @Override public void reset() { cm.reset(); }
    @Override public String name() { return "f1"; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }
    @Override public Map<String, Object> stateDict() { return cm.stateDict(); }
    @Override public void loadStateDict(Map<String, Object> sd) { cm.loadStateDict(sd); }
}
