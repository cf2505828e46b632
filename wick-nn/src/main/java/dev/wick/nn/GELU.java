package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code x * Phi(x)}, as {@code nn.GELU}; with {@code "tanh"} the approximation
 * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
 *
 * <pre>{@code
 * Tensor exact = new GELU().forward(x);
 * Tensor approx = new GELU("tanh").forward(x);
 * }</pre>
 */
public class GELU extends UnaryModule {
    private final String approximate;

    public GELU() { this("none"); }

    /** {@code "none"} (exact) or {@code "tanh"}. */
    public GELU(String approximate) {
        F.checkGeluApproximate(approximate);
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) { return F.gelu(x, approximate); }

    @Override
    protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
