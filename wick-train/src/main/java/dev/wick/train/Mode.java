package dev.wick.train;

/**
 * Whether a monitored metric improves by going down ({@code val_loss}) or up ({@code val_acc}).
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", Mode.MIN, 3, 0.0);
 * }</pre>
 */
public enum Mode {
    MIN, MAX;

    /** Whether {@code value} beats {@code best} by more than {@code minDelta} (NaN never does). */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return this == MIN ? value < best - minDelta : value > best + minDelta;
    }

    /** The value no other beats: +inf for MIN, -inf for MAX. */
    public double worst() { return this == MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    /** Parses {@code "min"} / {@code "max"} (any case). */
    public static Mode parse(String s) {
        for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
        throw new IllegalArgumentException("Invalid mode: '" + s + "' (expected min or max)");
    }
}
