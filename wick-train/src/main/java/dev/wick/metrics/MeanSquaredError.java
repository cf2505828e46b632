package dev.wick.metrics;

import dev.wick.tensor.Tensor;

/**
 * The mean of (output - target)² over every element seen (summed in float64).
 *
 * <pre>{@code
 * var m = new MeanSquaredError();
 * m.update(predictions, targets);    // same shapes, or broadcastable to the output's
 * double v = m.compute();
 * }</pre>
 *
 * Logged as {@code <split>_mse}.
 */
public final class MeanSquaredError extends ElementwiseError {
    public MeanSquaredError() { super("MeanSquaredError", "mse"); }

    @Override Tensor error(Tensor d) { return d.square(); }
}
