package dev.wick.train;

import java.nio.file.Path;
import java.util.Map;

import dev.wick.nn.Module;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.LRScheduler;

/**
 * What a hook sees of the running trainer, and the three things it may ask for: a logged value, a
 * checkpoint, a stop. Requests are honoured at the next checkpoint point (see {@link Callback}).
 *
 * <pre>{@code
 * Callback cb = (OnStepEnd) (ctx, step) -> {
 *     ctx.log("loss_x100", step.loss() * 100);                    // an extra column in metrics.jsonl / .csv
 *     if (step.loss() < 0.01) ctx.requestStop("loss below 0.01");
 * };
 * }</pre>
 *
 * <p>Counters: {@link #epoch()} counts from 0; {@link #globalStep()} counts optimizer steps (one per
 * accumulation window); {@link #batchIdx()} counts the batches of the current epoch already trained
 * on; {@link #microStep()} the batches in the open accumulation window (0 at a window boundary).
 */
public interface TrainContext {
    /** The current epoch, from 0. */
    long epoch();

    /** Optimizer steps taken so far. */
    long globalStep();

    /** Batches of the current epoch trained on so far. */
    long batchIdx();

    /** Batches accumulated in the open accumulation window (0 at a boundary). */
    int microStep();

    /** Whether the epoch's end is running (its validation, {@link OnEpochEnd}), as opposed to a step. */
    boolean atEpochEnd();

    /** Batches per accumulation window ({@code accumulate}). */
    int accumulate();

    /** Batches in one pass over the training loader, or -1 when the loader does not know. */
    long batchesPerEpoch();

    /** The epoch limit, or 0 for none. */
    long maxEpochs();

    /** The optimizer-step limit, or 0 for none. */
    long maxSteps();

    Module model();

    Optimizer optimizer();

    /** The scheduler, or null. */
    LRScheduler scheduler();

    /** The run folder, or null when the trainer writes no files. */
    RunDir runDir();

    /** The run's config as given to the builder ({@code String} or {@code Map}), or null. */
    Object config();

    /** The values of the last validation pass ({@code val_loss}, ...), empty before the first. */
    Map<String, Object> lastValidation();

    /**
     * Adds {@code key = value} to the next record written to the run's metrics (the current step's, or
     * the epoch's when called from an epoch hook). Numbers go to every output; other values to the
     * JSONL only.
     */
    void log(String key, Object value);

    /** Asks for a training checkpoint at {@code file} at the next checkpoint point. */
    default void requestCheckpoint(Path file) { requestCheckpoint(file, null); }

    /**
     * Asks for a training checkpoint at {@code file} at the next checkpoint point, then runs
     * {@code afterWrite} (may be null), e.g. to delete a file the new one replaces. In a data-parallel
     * run only rank 0 writes the file and runs {@code afterWrite}; the others wait until it is written.
     */
    void requestCheckpoint(Path file, Runnable afterWrite);

    /**
     * Asks the run to stop at the next checkpoint point, after the checkpoints requested so far are
     * written; {@code reason} becomes {@link FitResult#stopReason()}. Safe to call from any thread. In a
     * data-parallel run a stop asked for on any rank stops every rank at the end of the same optimizer
     * step.
     */
    void requestStop(String reason);

    /** Whether a stop was requested. */
    boolean stopRequested();
}
