package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code max(0, x)}, as {@code nn.ReLU}; the in-place form overwrites its input (as torchvision's
 * ResNet uses it) and returns it.
 *
 * <pre>{@code
 * Tensor y = new ReLU().forward(x);
 * }</pre>
 */
public class ReLU extends UnaryModule {
    private final boolean inplace;

    public ReLU() { this(false); }

    public ReLU(boolean inplace) { this.inplace = inplace; }

    @Override
    public Tensor forward(Tensor x) { return inplace ? F.relu_(x) : F.relu(x); }

    @Override
    protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
