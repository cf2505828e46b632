package dev.wick.nn;

/**
 * The optional settings of {@link BatchNorm1d} and {@link BatchNorm2d}, with PyTorch's defaults:
 * eps 1e-5, momentum 0.1, affine, tracking running statistics. Immutable.
 *
 * <pre>{@code
 * new BatchNorm2d(64, BatchNormOptions.defaults().withMomentum(0.01).withAffine(false));
 * }</pre>
 */
public final class BatchNormOptions {
    private static final BatchNormOptions DEFAULTS = new BatchNormOptions(1e-5, 0.1, true, true);

    final double eps;
    /** null: a cumulative moving average (PyTorch's {@code momentum=None}). */
    final Double momentum;
    final boolean affine;
    final boolean trackRunningStats;

    private BatchNormOptions(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
    }

    public static BatchNormOptions defaults() { return DEFAULTS; }

    /** Added to the variance for numerical stability. */
    public BatchNormOptions withEps(double eps) {
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid eps: " + eps + " (must be >= 0)");
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    /**
     * Weight of the current batch in the running statistics, in [0, 1]; null for a cumulative
     * average over all batches seen ({@code momentum=None}).
     */
    public BatchNormOptions withMomentum(Double momentum) {
        if (momentum != null && !(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException("Invalid momentum: " + momentum + " (must be between 0 and 1, or null for a cumulative average)");
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    /** Whether the layer has a learnable per-channel weight and bias. */
    public BatchNormOptions withAffine(boolean affine) {
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    /** Whether running statistics are kept (and used in eval mode); without them batch statistics are always used. */
    public BatchNormOptions withTrackRunningStats(boolean track) {
        return new BatchNormOptions(eps, momentum, affine, track);
    }
}
