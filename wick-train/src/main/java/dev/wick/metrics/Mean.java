package dev.wick.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * A weighted running mean of a value: the trainer's {@code loss}, or any quantity a user computes.
 *
 * <pre>{@code
 * var loss = new Mean("loss");
 * loss.add(0.71, 32);          // a batch's mean loss, weighted by its 32 samples
 * loss.add(0.65, 32);
 * loss.compute();              // 0.68
 * }</pre>
 *
 * {@link #update(Tensor, Tensor)} adds the mean of {@code output}, weighted by its number of elements
 * (the target is ignored).
 */
public final class Mean implements Metric<Double> {
    private final String name;
    private double sum;
    private double weight;

    public Mean(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("Invalid metric name: '" + name + "' (must be non-blank)");
        this.name = name;
    }

    /** Adds {@code value} with weight {@code w} (a batch's size, or 1). */
    public void add(double value, double w) {
        if (!(w >= 0)) throw new IllegalArgumentException("Invalid weight: " + w + " (must be >= 0)");
        sum += value * w;
        weight += w;
    }

    @Override
    public void update(Tensor output, Tensor target) {
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            add(output.toDouble().mean().item(), output.numel());
        }
    }

    @Override public Double compute() { return weight == 0 ? Double.NaN : sum / weight; }
    @Override public void reset() { sum = 0; weight = 0; }
    @Override public String name() { return name; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    /** The total weight added since the last reset. */
    public double weight() { return weight; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sum", sum);
        m.put("weight", weight);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, "Mean", "sum", "weight");
        sum = Classes.asDouble(sd, "sum", "Mean");
        weight = Classes.asDouble(sd, "weight", "Mean");
    }
}
