package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code tanh(x)}, as {@code nn.Tanh}.
 *
 * <pre>{@code
 * Tensor y = new Tanh().forward(x);
 * }</pre>
 */
public class Tanh extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.tanh(x); }
}
