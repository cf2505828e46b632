package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code x * tanh(softplus(x))}, as {@code nn.Mish}.
 *
 * <pre>{@code
 * Tensor y = new Mish().forward(x);
 * }</pre>
 */
public class Mish extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.mish(x); }
}
