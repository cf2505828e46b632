package dev.wick.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The mean of |output - target| over every element seen (summed in float64).
 *
 * <pre>{@code
 * var m = new MeanAbsoluteError();
 * m.update(predictions, targets);    // same shapes, or broadcastable to the output's
 * double v = m.compute();
 * }</pre>
 *
 * Logged as {@code <split>_mae}.
 */
public final class MeanAbsoluteError implements Metric<Double> {
    private double sum;
    private long count;

    @Override
    public void update(Tensor output, Tensor target) {
        if (output == null || target == null)
            throw new IllegalArgumentException("MeanAbsoluteError.update: output and target are required");
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            Tensor d = output.toDouble().sub(target.toDouble());
            if (d.numel() != output.numel())
                throw new IllegalArgumentException("MeanAbsoluteError.update: target of shape " + Arrays.toString(target.shape())
                        + " broadcasts the output of shape " + Arrays.toString(output.shape()) + " to " + Arrays.toString(d.shape()));
            sum += d.abs().sum().item();
            count += d.numel();
        }
    }

    @Override public Double compute() { return count == 0 ? Double.NaN : sum / count; }
    @Override public void reset() { sum = 0; count = 0; }
    @Override public String name() { return "mae"; }
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
        Classes.checkKeys(sd, "MeanAbsoluteError", "sum", "count");
        sum = Classes.asDouble(sd, "sum", "MeanAbsoluteError");
        count = Classes.asLong(sd, "count", "MeanAbsoluteError");
    }
}
