package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * 2-D average pooling, as {@code nn.AvgPool2d}: input (N, C, H, W) or (C, H, W).
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(2);   // (B, C, 8, 8) -> (B, C, 4, 4)
 * }</pre>
 */
public class AvgPool2d extends UnaryModule {
    private final Pooling.Settings s;

    public AvgPool2d(long kernelSize) { this(new long[]{kernelSize}, PoolOptions.defaults()); }

    public AvgPool2d(long kernelSize, PoolOptions options) { this(new long[]{kernelSize}, options); }

    public AvgPool2d(long[] kernelSize, PoolOptions options) {
        s = Pooling.avg("AvgPool2d", 2, kernelSize, options);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.avgPool2d(x, s.kernel, s.stride, s.padding, s.ceilMode, s.countIncludePad, s.divisorOverride);
    }

    @Override
    protected String extraRepr() { return s.avgRepr(); }
}
