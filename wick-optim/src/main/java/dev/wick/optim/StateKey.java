package dev.wick.optim;

import java.util.function.Function;

import dev.wick.tensor.Tensor;

/**
 * One entry of a parameter's optimizer state and how it starts. An optimizer lists its entries in
 * PyTorch's order ({@link Optimizer#stateKeys}); {@link Optimizer#gatherState} creates them and
 * collects them into the per-key lists its kernel takes.
 *
 * <pre>{@code
 * List.of(StateKey.step(), StateKey.zeros("exp_avg"), StateKey.zeros("exp_avg_sq"))   // Adam's
 * }</pre>
 */
record StateKey(String name, Kind kind, Function<Tensor, Tensor> initial, boolean optional) {

    enum Kind {
        /** {@code step} as a float32 0-dim tensor (PyTorch 1.12+), incremented by the kernel. */
        STEP_TENSOR,
        /** {@code step} as an integer, incremented when gathered (PyTorch 1.13's Adadelta, RMSprop). */
        STEP_COUNT,
        /** A tensor, made from the parameter by {@code initial}. */
        TENSOR
    }

    /** PyTorch 1.12+'s {@code step}: a float32 0-dim tensor starting at 0. */
    static StateKey step() { return new StateKey("step", Kind.STEP_TENSOR, p -> Tensor.scalar(0.0), false); }

    /** An integer {@code step} starting at 0, incremented each time it is gathered. */
    static StateKey stepCount() { return new StateKey("step", Kind.STEP_COUNT, null, false); }

    /** A tensor of zeros shaped like the parameter. */
    static StateKey zeros(String name) { return new StateKey(name, Kind.TENSOR, Tensor::zerosLike, false); }

    /** A tensor shaped like the parameter, filled with {@code value}. */
    static StateKey full(String name, double value) { return new StateKey(name, Kind.TENSOR, p -> p.fullLike(value), false); }

    /** A float32 0-dim tensor holding {@code value}. */
    static StateKey scalar(String name, double value) { return new StateKey(name, Kind.TENSOR, p -> Tensor.scalar(value), false); }

    /**
     * This entry, also created when an existing state lacks it (an option that switched on later,
     * such as amsgrad's {@code max_exp_avg_sq}), not only with a parameter's first state.
     */
    StateKey whenMissing() { return new StateKey(name, kind, initial, true); }

    /** The entry's first value for {@code param}: a long-lived tensor, or 0 for a count. */
    Object first(Tensor param) {
        return kind == Kind.STEP_COUNT ? (Object) 0L : Optimizer.newState(() -> initial.apply(param));
    }
}
