package dev.wick.train;

import dev.wick.tensor.Tensor;

/**
 * The loss of the default step: {@code loss = lossFn(model.forward(input), target)}. A loss module's
 * {@code forward} fits: {@code new CrossEntropyLoss()::forward}.
 *
 * <pre>{@code
 * LossFunction ce = new CrossEntropyLoss()::forward;
 * LossFunction mse = (out, y) -> F.mseLoss(out, y);
 * }</pre>
 *
 * Use a mean-reduced loss ({@code Reduction.MEAN}, the default) so that gradient accumulation
 * averages over the window: the trainer divides each batch's loss by the window length.
 */
@FunctionalInterface
public interface LossFunction {
    Tensor apply(Tensor output, Tensor target);
}
