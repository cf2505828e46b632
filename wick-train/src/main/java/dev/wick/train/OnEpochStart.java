package dev.wick.train;

/**
 * Hook: Called at the start of each epoch, before its first batch; not for an epoch a resume enters mid-way.
 *
 * <pre>{@code
 * Callback cb = (OnEpochStart) ctx -> System.out.println("epoch " + ctx.epoch() + ", step " + ctx.globalStep());
 * }</pre>
 *
 * See {@link Callback} for where it runs among the other hooks.
 */
@FunctionalInterface
public interface OnEpochStart extends Callback {
    void onEpochStart(TrainContext ctx);
}
