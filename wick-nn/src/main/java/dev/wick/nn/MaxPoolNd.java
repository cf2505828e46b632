package dev.wick.nn;

/**
 * What {@link MaxPool1d} and {@link MaxPool2d} share (PyTorch's {@code _MaxPoolNd}): the settings,
 * checked once at construction, and the printing; each subclass runs its own kernel.
 */
abstract class MaxPoolNd extends UnaryModule {
    final Pooling.Settings s;

    /** {@code kind} names the layer in errors ({@code Invalid MaxPool2d: ...}). */
    MaxPoolNd(String kind, int dims, long[] kernelSize, PoolOptions options) {
        s = Pooling.max(kind, dims, kernelSize, options);
    }

    @Override
    protected String extraRepr() { return s.maxRepr(); }
}
