package dev.wick.train;

/**
 * A batch's loss was NaN or infinite. The message names the value and where:
 * {@code Non-finite loss nan at epoch 2, step 37 (batch 5 of the epoch)}. The optimizer has not
 * stepped on it; parameters are as after step {@code step}.
 *
 * <pre>{@code
 * try { trainer.fit(); } catch (NonFiniteLossException e) { log.error("diverged at step " + e.step()); }
 * }</pre>
 */
public final class NonFiniteLossException extends ArithmeticException {
    private final double loss;
    private final long epoch;
    private final long step;
    private final long batchIdx;

    public NonFiniteLossException(double loss, long epoch, long step, long batchIdx) {
        super("Non-finite loss " + python(loss) + " at epoch " + epoch + ", step " + step + " (batch " + batchIdx + " of the epoch)");
        this.loss = loss;
        this.epoch = epoch;
        this.step = step;
        this.batchIdx = batchIdx;
    }

    /** Python's spelling: nan, inf, -inf. */
    static String python(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Double.toString(v);
    }

    public double loss() { return loss; }
    /** The epoch, from 0. */
    public long epoch() { return epoch; }
    /** The optimizer steps completed before this batch (the step being computed, counted from 0). */
    public long step() { return step; }
    /** The batch's index in its epoch, from 0. */
    public long batchIdx() { return batchIdx; }
}
