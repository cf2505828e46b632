package dev.wick.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The mean, over every element seen, of a per-element error of {@code output - target} (summed in
 * float64): the shared part of {@link MeanAbsoluteError} and {@link MeanSquaredError}.
 */
abstract class ElementwiseError implements Metric<Double> {
    private final String className;
    private final String name;
    private double sum;
    private long count;

    ElementwiseError(String className, String name) {
        this.className = className;
        this.name = name;
    }

    /** The per-element error of the difference {@code d} (float64). */
    abstract Tensor error(Tensor d);

    @Override
    public void update(Tensor output, Tensor target) {
        if (output == null || target == null)
            throw new IllegalArgumentException(className + ".update: output and target are required");
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            Tensor d = output.toDouble().sub(target.toDouble());
            if (d.numel() != output.numel())
                throw new IllegalArgumentException(className + ".update: target of shape " + Arrays.toString(target.shape())
                        + " broadcasts the output of shape " + Arrays.toString(output.shape()) + " to " + Arrays.toString(d.shape()));
            sum += error(d).sum().item();
            count += d.numel();
        }
    }

    @Override public Double compute() { return count == 0 ? Double.NaN : sum / count; }
    @Override public void reset() { sum = 0; count = 0; }
    @Override public String name() { return name; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sum", sum);
        m.put("count", count);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, className, "sum", "count");
        sum = Classes.asDouble(sd, "sum", className);
        count = Classes.asLong(sd, "count", className);
    }
}
