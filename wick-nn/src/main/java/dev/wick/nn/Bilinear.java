package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code y_k = x1^T W_k x2 + b_k}, as {@code nn.Bilinear}: weight (out, in1, in2), bias (out).
 * Takes two inputs, so it is a {@link Module} with {@code forward(x1, x2)}.
 *
 * <pre>{@code
 * Bilinear bil = new Bilinear(20, 30, 40);
 * Tensor y = bil.forward(x1, x2);      // (B, 20), (B, 30) -> (B, 40)
 * }</pre>
 *
 * Initialisation (PyTorch's): weight and then bias ~ U(-1/sqrt(in1), 1/sqrt(in1)).
 */
public class Bilinear extends Module {
    private final long in1Features, in2Features, outFeatures;

    public Bilinear(long in1Features, long in2Features, long outFeatures) { this(in1Features, in2Features, outFeatures, true); }

    public Bilinear(long in1Features, long in2Features, long outFeatures, boolean bias) {
        Layers.checkPositive("in1_features", in1Features);
        Layers.checkPositive("in2_features", in2Features);
        Layers.checkPositive("out_features", outFeatures);
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.empty(outFeatures, in1Features, in2Features));
        registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters();
    }

    /** Re-draws weight and bias from U(-1/sqrt(in1), 1/sqrt(in1)). */
    public void resetParameters() {
        double bound = 1 / Math.sqrt((double) weight().size(1));
        dev.wick.nn.init.Init.uniform(weight(), -bound, bound);
        if (bias() != null) dev.wick.nn.init.Init.uniform(bias(), -bound, bound);
    }

    public Tensor weight() { return parameter("weight"); }
    public Tensor bias() { return parameter("bias"); }

    public Tensor forward(Tensor x1, Tensor x2) { return F.bilinear(x1, x2, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + Layers.pyBool(bias() != null);
    }
}
