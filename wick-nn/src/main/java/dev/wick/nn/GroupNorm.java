package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Normalises groups of channels of each sample, as {@code nn.GroupNorm}: input (N, C, *), C split
 * into {@code numGroups} groups, statistics over each group's channels and positions; per-channel
 * weight (ones) and bias (zeros).
 *
 * <pre>{@code
 * GroupNorm gn = new GroupNorm(8, 64);   // 8 groups of 8 channels
 * }</pre>
 */
public class GroupNorm extends UnaryModule {
    private final long numGroups;
    private final long numChannels;
    private final double eps;
    private final boolean affine;

    public GroupNorm(long numGroups, long numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(long numGroups, long numChannels, double eps, boolean affine) {
        Layers.checkPositive("num_groups", numGroups);
        Layers.checkPositive("num_channels", numChannels);
        if (numChannels % numGroups != 0)
            throw new IllegalArgumentException("Invalid GroupNorm: num_channels (" + numChannels + ") must be divisible by num_groups (" + numGroups + ")");
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid eps: " + eps + " (must be >= 0)");
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        registerParameter("weight", affine ? Tensor.ones(numChannels) : null);
        registerParameter("bias", affine ? Tensor.zeros(numChannels) : null);
    }

    public Tensor weight() { return parameter("weight"); }
    public Tensor bias() { return parameter("bias"); }

    @Override
    public Tensor forward(Tensor x) { return F.groupNorm(x, numGroups, weight(), bias(), eps); }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Layers.pyFloat(eps) + ", affine=" + Layers.pyBool(affine);
    }
}
