package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * 2-D max pooling, as {@code nn.MaxPool2d}: input (N, C, H, W) or (C, H, W). Output size per dim:
 * {@code floor((in + 2 * padding - dilation * (k - 1) - 1) / stride) + 1} (ceil with ceil mode).
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);                                              // halves H and W
 * MaxPool2d stem = new MaxPool2d(3, PoolOptions.defaults().withStride(2).withPadding(1));
 * }</pre>
 */
public class MaxPool2d extends MaxPoolNd {
    public MaxPool2d(long kernelSize) { this(new long[]{kernelSize}, PoolOptions.defaults()); }

    public MaxPool2d(long kernelSize, PoolOptions options) { this(new long[]{kernelSize}, options); }

    public MaxPool2d(long[] kernelSize, PoolOptions options) { super("MaxPool2d", 2, kernelSize, options); }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool2d(x, s.kernel, s.stride, s.padding, s.dilation, s.ceilMode);
    }
}
