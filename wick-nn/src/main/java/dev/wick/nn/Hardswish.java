package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code x * relu6(x + 3) / 6}, as {@code nn.Hardswish}.
 *
 * <pre>{@code
 * Tensor y = new Hardswish().forward(x);
 * }</pre>
 */
public class Hardswish extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.hardswish(x); }
}
