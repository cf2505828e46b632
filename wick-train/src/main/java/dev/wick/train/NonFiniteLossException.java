package dev.wick.train;

/**
 * A batch's loss was NaN or infinite. The message names the value and where:
 * {@code Non-finite loss nan at epoch 2, step 37 (batch 5 of the epoch)}. The optimizer has not
 * stepped on it; parameters are as after step {@code step}. In a data-parallel run every rank throws
 * it at the same batch, naming the rank whose loss it was:
 * {@code Non-finite loss nan on rank 1 of 2 at epoch 2, step 37 (batch 5 of the epoch)}.
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
    private final int rank;

    public NonFiniteLossException(double loss, long epoch, long step, long batchIdx) {
        this(loss, epoch, step, batchIdx, -1, 1);
    }

    /** On rank {@code rank} of {@code worldSize} ({@code rank} -1: a plain run). */
    public NonFiniteLossException(double loss, long epoch, long step, long batchIdx, int rank, int worldSize) {
        super("Non-finite loss " + python(loss) + (rank >= 0 ? " on rank " + rank + " of " + worldSize : "")
                + " at epoch " + epoch + ", step " + step + " (batch " + batchIdx + " of the epoch)");
        this.loss = loss;
        this.epoch = epoch;
        this.step = step;
        this.batchIdx = batchIdx;
        this.rank = rank;
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
    /** The rank whose loss it was in a data-parallel run, or -1. */
    public int rank() { return rank; }
}
