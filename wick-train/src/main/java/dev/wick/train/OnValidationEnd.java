package dev.wick.train;

import java.util.Map;

/**
 * Hook: called after each validation pass with its results ({@code val_loss}, {@code val_acc}, ...).
 * Early stopping and best-k checkpointing decide here.
 *
 * <pre>{@code
 * Callback cb = (OnValidationEnd) (ctx, metrics) -> System.out.println("val_acc " + metrics.get("val_acc"));
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnValidationEnd extends Callback {
    /** @param metrics the pass's values by logged name, read-only */
    void onValidationEnd(TrainContext ctx, Map<String, Object> metrics);
}
