package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * A module that maps one tensor to one tensor; such modules compose in {@link Sequential}.
 *
 * <pre>{@code
 * UnaryModule net = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 10));
 * Tensor logits = net.forward(x);   // (B, 10)
 * }</pre>
 *
 * A module with another signature (two inputs, a tuple out) extends {@link Module} directly and
 * declares its own {@code forward}.
 */
public abstract class UnaryModule extends Module {
    protected UnaryModule() {}

    /** Computes the output for {@code x}. */
    public abstract Tensor forward(Tensor x);
}
