package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code max(0, x) + negativeSlope * min(0, x)}, as {@code nn.LeakyReLU} (default slope 0.01).
 *
 * <pre>{@code
 * Tensor y = new LeakyReLU(0.2).forward(x);
 * }</pre>
 */
public class LeakyReLU extends UnaryModule {
    private final double negativeSlope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) throw new IllegalArgumentException("Invalid negative_slope: " + negativeSlope + " (must be finite)");
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) { return F.leakyRelu(x, negativeSlope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + Layers.pyFloat(negativeSlope); }
}
