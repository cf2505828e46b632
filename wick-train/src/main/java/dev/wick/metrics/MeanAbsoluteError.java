package dev.wick.metrics;

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
public final class MeanAbsoluteError extends ElementwiseError {
    public MeanAbsoluteError() { super("MeanAbsoluteError", "mae"); }

    @Override Tensor error(Tensor d) { return d.abs(); }
}
