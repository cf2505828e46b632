package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Returns its input, as {@code nn.Identity}: a placeholder, e.g. to drop a classifier head.
 *
 * <pre>{@code
 * UnaryModule head = pretrained ? new Identity() : new Linear(512, 10);
 * }</pre>
 */
public class Identity extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return x; }
}
