package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Normalises over the last dims of each sample, as {@code nn.LayerNorm}:
 * {@code y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias}, statistics over the trailing
 * {@code normalizedShape} (biased variance); weight ones and bias zeros of that shape.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(512);          // (B, T, 512): each token normalised
 * }</pre>
 */
public class LayerNorm extends UnaryModule {
    private final long[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    public LayerNorm(long... normalizedShape) { this(normalizedShape, 1e-5, true, true); }

    /** {@code bias} only matters with {@code elementwiseAffine}. */
    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("Invalid normalized_shape: () (give at least one size)");
        for (long s : normalizedShape) Layers.checkPositive("normalized_shape size", s);
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid eps: " + eps + " (must be >= 0)");
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        registerParameter("bias", elementwiseAffine && bias ? Tensor.zeros(normalizedShape) : null);
    }

    public Tensor weight() { return parameter("weight"); }
    public Tensor bias() { return parameter("bias"); }
    public long[] normalizedShape() { return normalizedShape.clone(); }

    @Override
    public Tensor forward(Tensor x) { return F.layerNorm(x, normalizedShape, weight(), bias(), eps); }

    @Override
    protected String extraRepr() {
        return Layers.pyTuple(normalizedShape) + ", eps=" + Layers.pyFloat(eps) + ", elementwise_affine=" + Layers.pyBool(elementwiseAffine);
    }
}
