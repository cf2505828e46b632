package dev.wick.nn;

/**
 * The optional settings of the pooling layers, with PyTorch's defaults: stride = kernel size,
 * padding 0, dilation 1, ceil mode off; for average pooling, padding counted and no divisor
 * override. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * new MaxPool2d(3, PoolOptions.defaults().withStride(2).withPadding(1));   // torchvision's ResNet stem
 * }</pre>
 */
public final class PoolOptions {
    private static final PoolOptions DEFAULTS = new PoolOptions(null, new long[]{0}, new long[]{1}, false, true, null);

    /** null: the kernel size. */
    final long[] stride;
    final long[] padding;
    final long[] dilation;
    final boolean ceilMode;
    final boolean countIncludePad;
    final Long divisorOverride;

    private PoolOptions(long[] stride, long[] padding, long[] dilation, boolean ceilMode, boolean countIncludePad, Long divisorOverride) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    public static PoolOptions defaults() { return DEFAULTS; }

    public PoolOptions withStride(long... stride) {
        return new PoolOptions(stride.clone(), padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Implicit padding on both sides (-inf for max pooling, zeros for average pooling). */
    public PoolOptions withPadding(long... padding) {
        return new PoolOptions(stride, padding.clone(), dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Max pooling only: spacing between window elements. */
    public PoolOptions withDilation(long... dilation) {
        return new PoolOptions(stride, padding, dilation.clone(), ceilMode, countIncludePad, divisorOverride);
    }

    /** Rounds the output size up instead of down. */
    public PoolOptions withCeilMode(boolean ceilMode) {
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Average pooling only: whether padded zeros count in the divisor (default true). */
    public PoolOptions withCountIncludePad(boolean countIncludePad) {
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** Average pooling only: divide by this instead of the window size. */
    public PoolOptions withDivisorOverride(long divisor) {
        if (divisor <= 0) throw new IllegalArgumentException("Invalid divisor_override: " + divisor + " (must be > 0)");
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, divisor);
    }
}
