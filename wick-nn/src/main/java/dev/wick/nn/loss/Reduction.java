package dev.wick.nn.loss;

/**
 * How a loss reduces its per-element values, as PyTorch's {@code reduction=} string.
 *
 * <pre>{@code
 * Tensor perSample = Losses.mseLoss(x, y, MSELoss.Options.defaults().withReduction(Reduction.NONE));
 * }</pre>
 */
public enum Reduction {
    /** No reduction: the loss has the shape of its per-element values ({@code 'none'}). */
    NONE(0),
    /** The mean of the per-element values; weighted losses divide by the total weight ({@code 'mean'}). */
    MEAN(1),
    /** The sum of the per-element values ({@code 'sum'}). */
    SUM(2),
    /**
     * The sum divided by the batch size {@code input.size(0)} ({@code 'batchmean'}): the mathematical
     * definition of the KL divergence. Only {@link KLDivLoss} accepts it.
     */
    BATCHMEAN(2);

    /** libtorch's {@code at::Reduction} value (BATCHMEAN sums natively, then divides). */
    final long nativeValue;

    Reduction(long nativeValue) { this.nativeValue = nativeValue; }

    /** PyTorch's spelling: {@code "none"}, {@code "mean"}, {@code "sum"}, {@code "batchmean"}. */
    public String torchName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses PyTorch's spelling ({@code "mean"}) or the constant's name ({@code "MEAN"}). */
    public static Reduction parse(String name) {
        for (Reduction r : values()) if (r.name().equalsIgnoreCase(name)) return r;
        throw new IllegalArgumentException("Invalid reduction: '" + name + "' (expected one of none, mean, sum, batchmean)");
    }

    /** Rejects null and {@link #BATCHMEAN} for the losses that do not support it. */
    static Reduction check(String loss, Reduction r) {
        if (r == null) throw new IllegalArgumentException("Invalid reduction for " + loss + ": null (expected NONE, MEAN or SUM)");
        if (r == BATCHMEAN) throw new IllegalArgumentException("Invalid reduction for " + loss + ": BATCHMEAN (only KLDivLoss supports it; expected NONE, MEAN or SUM)");
        return r;
    }
}
