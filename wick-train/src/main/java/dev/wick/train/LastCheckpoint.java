package dev.wick.train;

import java.nio.file.Path;

/**
 * Writes a training checkpoint to {@code last.pt} every {@code everySteps} optimizer steps, at the
 * end of every epoch, and when the run ends, replacing the previous one (atomically), so a killed
 * run loses at most {@code everySteps} steps.
 *
 * <pre>{@code
 * new LastCheckpoint(500)                               // runs/<run>/checkpoints/last.pt
 * new LastCheckpoint(100, Path.of("/scratch/last.pt"))
 * // resume: trainer.fit(run.lastCheckpoint())
 * }</pre>
 */
public final class LastCheckpoint implements OnStepEnd, OnEpochEnd, OnTrainEnd {
    private final long everySteps;
    private final Path file;

    /** {@code last.pt} in the run folder's {@code checkpoints/}. */
    public LastCheckpoint(long everySteps) { this(everySteps, null); }

    /** At {@code file} (null: the run folder's {@code checkpoints/last.pt}). */
    public LastCheckpoint(long everySteps, Path file) {
        if (everySteps < 1) throw new IllegalArgumentException("Invalid everySteps: " + everySteps + " (must be >= 1)");
        this.everySteps = everySteps;
        this.file = file;
    }

    private Path file(TrainContext ctx) {
        return file != null ? file : BestCheckpoints.runCheckpoints(ctx).resolve(RunDir.LAST_CHECKPOINT);
    }

    @Override
    public void onStepEnd(TrainContext ctx, StepResult step) {
        if (ctx.globalStep() % everySteps == 0) ctx.requestCheckpoint(file(ctx));
    }

    @Override
    public void onEpochEnd(TrainContext ctx, java.util.Map<String, Object> record) {
        ctx.requestCheckpoint(file(ctx));
    }

    @Override
    public void onTrainEnd(TrainContext ctx) {
        ctx.requestCheckpoint(file(ctx));
    }

    public long everySteps() { return everySteps; }
}
