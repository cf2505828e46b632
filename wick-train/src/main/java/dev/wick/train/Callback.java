package dev.wick.train;

/**
 * The common type of the trainer's hooks. A callback implements one or more of the typed hook
 * interfaces below; the trainer calls each hook at its point of the loop, callbacks in registration
 * order.
 *
 * <pre>{@code
 * class PrintLoss implements OnStepEnd {
 *     public void onStepEnd(TrainContext ctx, StepResult step) {
 *         if (ctx.globalStep() % 100 == 0) System.out.println(ctx.globalStep() + " " + step.loss());
 *     }
 * }
 * Trainer.builder(model, opt, train, loss).callbacks(new PrintLoss()).build();
 * }</pre>
 *
 * <h2>Order</h2>
 * <pre>
 * {@link OnTrainStart}                                  once per fit() (also when resuming)
 * for each epoch:
 *   {@link OnEpochStart}                                (not for an epoch resumed mid-way)
 *   for each batch:
 *     forward, loss / window, backward
 *     {@link OnBatchEnd}                                after each batch's backward
 *     when the accumulation window is full:
 *       clip, optimizer step, zero grads, scheduler (per-step interval)
 *       {@link OnStepEnd}
 *       validation when due by steps  → {@link OnValidationEnd}
 *     checkpoint point: requested checkpoints are written, a requested stop ends the run
 *   validation when due by epochs       → {@link OnValidationEnd}
 *   scheduler (per-epoch interval)
 *   {@link OnEpochEnd}
 *   checkpoint point
 * {@link OnTrainEnd}                                    once, when fit() ends normally (not on an exception)
 * checkpoint point                                      (a last.pt asked for at the end is written here)
 * </pre>
 * Hooks change nothing in the loop directly: they log values ({@link TrainContext#log}), request a
 * checkpoint ({@link TrainContext#requestCheckpoint}) or a stop ({@link TrainContext#requestStop}),
 * all honoured at the next checkpoint point, where the whole state is consistent. That is what makes
 * every checkpoint resumable exactly.
 *
 * <p>A callback that also implements {@link dev.wick.checkpoint.Stateful} has its state saved in
 * training checkpoints (under {@code callbacks.<SimpleClassName>}, with {@code #2}, {@code #3} for
 * repeats) and restored on resume.
 */
public interface Callback {
}
