package dev.wick.train;

/**
 * Hook: called after each batch's forward and backward (a micro-batch when gradients accumulate),
 * before the optimizer step that may close its window. {@link TrainContext#microStep()} says where the
 * batch is in its window.
 *
 * <pre>{@code
 * Callback stopMidWindow = (OnBatchEnd) (ctx, batch) -> {
 *     if (ctx.globalStep() == 10 && ctx.microStep() == 1) {
 *         ctx.requestCheckpoint(ctx.runDir().checkpoints().resolve("preempted.pt"));
 *         ctx.requestStop("preempted");
 *     }
 * };
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnBatchEnd extends Callback {
    void onBatchEnd(TrainContext ctx, BatchResult batch);

    /**
     * What one batch did.
     *
     * @param loss      the batch's loss, before the division by the window length (in a data-parallel
     *                  run: over all ranks' batches, the mean weighted by their sizes)
     * @param batchSize the number of samples in the batch (in a data-parallel run: in all ranks' batches)
     * @param batchIdx  the batch's index in its epoch, from 0
     */
    record BatchResult(double loss, long batchSize, long batchIdx) {}
}
