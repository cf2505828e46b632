package dev.wick.optim;

import dev.wick.tensor.Tensor;

/**
 * Re-evaluates the model for an optimizer that needs the loss more than once per step (LBFGS):
 * clears the gradients, computes the loss, calls {@code backward()} and returns the loss.
 *
 * <pre>{@code
 * double loss = opt.step(() -> {
 *     opt.zeroGrad();
 *     Tensor l = F.mseLoss(model.forward(x), y);
 *     l.backward();
 *     return l;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface LossClosure {
    /** Computes the loss and its gradients; returns the (scalar) loss. */
    Tensor evaluate();
}
