package dev.wick.train;

/**
 * Hook: called after each optimizer step (and the zeroing of the gradients and, with a per-step
 * interval, the scheduler's step). {@link TrainContext#globalStep()} already counts this step.
 *
 * <pre>{@code
 * Callback printer = (OnStepEnd) (ctx, step) -> System.out.printf("step %d loss %.4f%n", ctx.globalStep(), step.loss());
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnStepEnd extends Callback {
    void onStepEnd(TrainContext ctx, StepResult step);

    /**
     * What one optimizer step did.
     *
     * @param loss         the mean loss of the window's batches
     * @param windowLength batches accumulated into this step
     * @param samples      samples in those batches (in a data-parallel run: all ranks', as the loss)
     * @param gradNorm     the total gradient norm before clipping by norm, or NaN when not clipping by norm
     * @param lr           the learning rate of the first parameter group used by this step
     * @param seconds      wall time of the window, from its first batch's loading to the end of the optimizer step
     */
    record StepResult(double loss, int windowLength, long samples, double gradNorm, double lr, double seconds) {}
}
