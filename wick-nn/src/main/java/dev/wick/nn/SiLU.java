package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code x * sigmoid(x)} (swish), as {@code nn.SiLU}.
 *
 * <pre>{@code
 * Tensor y = new SiLU().forward(x);
 * }</pre>
 */
public class SiLU extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.silu(x); }
}
