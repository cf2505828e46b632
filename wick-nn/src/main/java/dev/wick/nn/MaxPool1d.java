package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * 1-D max pooling, as {@code nn.MaxPool1d}: input (N, C, L) or (C, L). Output size per dim:
 * {@code floor((in + 2 * padding - dilation * (k - 1) - 1) / stride) + 1} (ceil with ceil mode).
 *
 * <pre>{@code
 * MaxPool1d pool = new MaxPool1d(2);                                              // halves L
 * MaxPool1d overlapping = new MaxPool1d(3, PoolOptions.defaults().withStride(2));
 * }</pre>
 */
public class MaxPool1d extends MaxPoolNd {
    public MaxPool1d(long kernelSize) { this(new long[]{kernelSize}, PoolOptions.defaults()); }

    public MaxPool1d(long kernelSize, PoolOptions options) { this(new long[]{kernelSize}, options); }

    public MaxPool1d(long[] kernelSize, PoolOptions options) { super("MaxPool1d", 1, kernelSize, options); }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool1d(x, s.kernel, s.stride, s.padding, s.dilation, s.ceilMode);
    }
}
