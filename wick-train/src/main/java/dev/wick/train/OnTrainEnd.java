package dev.wick.train;

/**
 * Hook: Called once when fit() ends normally (limits reached or a stop requested), after the last checkpoint point; not when an exception ends it.
 *
 * <pre>{@code
 * Callback cb = (OnTrainEnd) ctx -> System.out.println("epoch " + ctx.epoch() + ", step " + ctx.globalStep());
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnTrainEnd extends Callback {
    void onTrainEnd(TrainContext ctx);
}
