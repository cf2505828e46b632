package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code 1 / (1 + exp(-x))}, as {@code nn.Sigmoid}.
 *
 * <pre>{@code
 * Tensor y = new Sigmoid().forward(x);
 * }</pre>
 */
public class Sigmoid extends UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.sigmoid(x); }
}
