package dev.wick.data.transforms;

import java.util.Arrays;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * {@code (x - mean[c]) / std[c]} per channel of a float image {@code [..., C, H, W]}, as torchvision's
 * {@code Normalize}: the statistics are tensors {@code [C, 1, 1]} of the image's dtype, subtracted then
 * divided by.
 *
 * <pre>{@code
 * new Normalize(new double[]{0.2860}, new double[]{0.3530})                   // Fashion-MNIST
 * new Normalize(new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26})
 * }</pre>
 */
public final class Normalize implements Transform<Tensor, Tensor> {
    private final double[] mean;
    private final double[] std;
    private final Tensor meanT;
    private final Tensor stdT;

    /** One value per channel (or one value for all channels). */
    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || std.length == 0)
            throw new IllegalArgumentException("Normalize: mean and std need at least one value");
        if (mean.length != std.length)
            throw new IllegalArgumentException("Normalize: mean has " + mean.length + " values but std has " + std.length);
        float[] m = new float[mean.length], s = new float[std.length];
        for (int i = 0; i < mean.length; i++) {
            m[i] = (float) mean[i];
            s[i] = (float) std[i];
            if (!Double.isFinite(mean[i])) throw new IllegalArgumentException("Normalize: invalid mean[" + i + "]: " + mean[i]);
            if (s[i] == 0 || !Float.isFinite(s[i]))
                throw new IllegalArgumentException("Normalize: invalid std[" + i + "]: " + std[i]
                        + " (std evaluated to " + s[i] + " after conversion to float32, leading to division by zero or overflow)");
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.meanT = Scope.outside(() -> Tensor.of(m, m.length, 1, 1));   // shared by every worker, read only
        this.stdT = Scope.outside(() -> Tensor.of(s, s.length, 1, 1));
    }

    @Override
    public Tensor apply(Tensor x) {
        if (!x.isFloatingPoint()) throw new IllegalArgumentException("Normalize: input tensor should be a float tensor. Got " + x.dtype());
        if (x.dim() < 3)
            throw new IllegalArgumentException("Normalize: expected a tensor image of size (..., C, H, W). Got shape " + Arrays.toString(x.shape()));
        long c = x.size(-3);
        if (mean.length != 1 && mean.length != c)
            throw new IllegalArgumentException("Normalize: the image has " + c + " channels but mean/std have " + mean.length + " values");
        if (x.dtype() == dev.wick.tensor.DType.FLOAT32) return x.sub(meanT).div(stdT);
        // other float types: the statistics in the image's dtype, as torchvision
        Tensor m = Tensor.of(mean, mean.length, 1, 1).to(x.dtype()), s = Tensor.of(std, std.length, 1, 1).to(x.dtype());
        return x.sub(m).div(s);
    }

    public double[] mean() { return mean.clone(); }
    public double[] std() { return std.clone(); }

    @Override public String toString() { return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")"; }
}
