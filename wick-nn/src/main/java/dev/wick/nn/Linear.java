package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code y = x W^T + b}, as {@code nn.Linear}: weight (out, in), bias (out).
 *
 * <pre>{@code
 * Linear fc = new Linear(320, 50);
 * Tensor y = fc.forward(x);            // (B, 320) -> (B, 50)
 * }</pre>
 *
 * Initialisation (PyTorch's): weight ~ U(-1/sqrt(in), 1/sqrt(in)) by Kaiming-uniform with
 * {@code a = sqrt(5)}, then bias ~ U(-1/sqrt(in), 1/sqrt(in)), drawn in that order.
 */
public class Linear extends UnaryModule {
    private final long inFeatures;
    private final long outFeatures;

    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        if (inFeatures < 0) throw new IllegalArgumentException("Invalid in_features: " + inFeatures + " (must be >= 0)");
        if (outFeatures < 0) throw new IllegalArgumentException("Invalid out_features: " + outFeatures + " (must be >= 0)");
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters();
    }

    /** Re-draws weight and bias with PyTorch's default initialisation. */
    public void resetParameters() {
        Layers.kaimingUniformDefault(weight());
        Layers.fanInUniform(bias(), weight());
    }

    public Tensor weight() { return parameter("weight"); }

    /** The bias, or null when built without one. */
    public Tensor bias() { return parameter("bias"); }

    public long inFeatures() { return inFeatures; }
    public long outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor x) { return F.linear(x, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Layers.pyBool(bias() != null);
    }
}
