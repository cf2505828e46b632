package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}, as {@code nn.ELU} (default alpha 1).
 *
 * <pre>{@code
 * Tensor y = new ELU().forward(x);
 * }</pre>
 */
public class ELU extends UnaryModule {
    private final double alpha;

    public ELU() { this(1.0); }

    public ELU(double alpha) {
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("Invalid alpha: " + alpha + " (must be finite)");
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) { return F.elu(x, alpha); }

    @Override
    protected String extraRepr() { return "alpha=" + Layers.pyFloat(alpha); }
}
