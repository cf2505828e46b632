package dev.wick.train;

/**
 * Hook: Called once when fit() starts, after a resume has restored the state and before the first batch.
 *
 * <pre>{@code
 * Callback cb = (OnTrainStart) ctx -> System.out.println("epoch " + ctx.epoch() + ", step " + ctx.globalStep());
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnTrainStart extends Callback {
    void onTrainStart(TrainContext ctx);
}
