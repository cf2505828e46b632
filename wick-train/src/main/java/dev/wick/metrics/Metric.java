package dev.wick.metrics;

import dev.wick.checkpoint.Stateful;
import dev.wick.tensor.Tensor;

/**
 * A quantity accumulated over batches and computed at the end of a pass: accuracy, F1, mean loss.
 *
 * <pre>{@code
 * Metric<Double> acc = new Accuracy();
 * for (var batch : valLoader) acc.update(model.forward(batch.input()), batch.target());
 * double value = acc.compute();   // over every batch since the last reset()
 * acc.reset();
 * }</pre>
 *
 * <p>Lifecycle: {@link #update} once per batch (cheap: a few tensor ops and one small copy to Java
 * counters; it never keeps the batch's tensors), {@link #compute()} any time (it does not change
 * the state), {@link #reset()} to start over. The trainer resets its metrics at the start of every
 * training epoch and every validation or test pass, and logs {@code compute()} under
 * {@code <split>_<name>} ({@code val_acc}). A metric's {@link #stateDict()} holds its accumulators, so a
 * run resumed mid-epoch continues the same sums.
 *
 * <p>Values: {@code Metric<Double>} (or any {@link Number}) is logged to every output (JSONL, CSV,
 * plots); any other value (the {@link ConfusionMatrix}'s {@code long[][]}) goes to the JSONL lines
 * only. A user metric implements these six methods; {@link Mean} covers "average of a value".
 *
 * @param <V> the computed value's type
 */
public interface Metric<V> extends Stateful {
    /**
     * Adds one batch: {@code output} is what the model produced (for classifiers, scores of shape
     * {@code (B, C)}), {@code target} what it should have produced ({@code (B)} class indices).
     */
    void update(Tensor output, Tensor target);

    /** The value over every batch since the last {@link #reset()} (NaN, or zeros, when there was none). */
    V compute();

    /** Forgets every batch. */
    void reset();

    /** The short name logged after the split prefix: {@code acc} is logged as {@code val_acc}. */
    String name();

    /**
     * Whether the state is additive: every number and tensor in {@link #stateDict()} is a count or a
     * sum over the samples seen, so the state of several shards of the data is the element-wise sum of
     * the shards' states (true for every metric in this package). A data-parallel trainer then computes
     * the metric over all ranks exactly, by summing the ranks' states; for a metric that is not additive
     * it averages the ranks' {@code compute()} values instead, weighted by the samples each rank saw.
     * Default false.
     */
    default boolean isAdditive() { return false; }
}
