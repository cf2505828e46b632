package dev.wick.train;

import java.util.Map;

/**
 * Hook: called at the end of each epoch, after its validation (if due) and the per-epoch scheduler
 * step, with the epoch's record ({@code train_loss} mean, train metrics, the last validation values).
 *
 * <pre>{@code
 * Callback cb = (OnEpochEnd) (ctx, record) -> System.out.println(record);
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnEpochEnd extends Callback {
    /** @param record the epoch's values by logged name, read-only */
    void onEpochEnd(TrainContext ctx, Map<String, Object> record);
}
