package dev.wick.metrics;

import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * A macro-averaged score read from a {@link ConfusionMatrix} ({@code macro()[index]}): the shared part
 * of {@link Precision}, {@link Recall} and {@link F1Score}.
 */
abstract class MacroScore implements Metric<Double> {
    private final ConfusionMatrix cm;
    private final int index;
    private final String name;

    MacroScore(int numClasses, int index, String name) {
        this.cm = new ConfusionMatrix(numClasses);
        this.index = index;
        this.name = name;
    }

    public int numClasses() { return cm.numClasses(); }

    @Override public void update(Tensor output, Tensor target) { cm.update(output, target); }
    @Override public Double compute() { return cm.macro()[index]; }
    @Override public void reset() { cm.reset(); }
    @Override public String name() { return name; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }
    @Override public Map<String, Object> stateDict() { return cm.stateDict(); }
    @Override public void loadStateDict(Map<String, Object> sd) { cm.loadStateDict(sd); }
}
