package dev.wick.train;

/**
 * When the trainer steps the learning-rate scheduler. Either way it steps only after the optimizer
 * actually stepped: per step, after each optimizer step; per epoch, at the end of an epoch in which the
 * optimizer stepped at least once.
 *
 * <pre>{@code
 * Trainer.builder(model, opt, train, loss).scheduler(new CosineAnnealingLR(opt, 10_000), SchedulerInterval.STEP);
 * }</pre>
 */
public enum SchedulerInterval {
    /** After every optimizer step (Lightning's {@code interval='step'}, nanoGPT's per-iteration lr). */
    STEP,
    /** At the end of every epoch (PyTorch's examples; Lightning's default). */
    EPOCH
}
