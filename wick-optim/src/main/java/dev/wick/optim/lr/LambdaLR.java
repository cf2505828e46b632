package dev.wick.optim.lr;

import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

import dev.wick.optim.Optimizer;

/**
 * Sets each group's learning rate to its base learning rate times a function of the epoch: PyTorch's
 * {@code LambdaLR}.
 *
 * <pre>{@code
 * // group 0 decays by 5% per epoch, group 1 as 1 / (1 + epoch)
 * var sched = new LambdaLR(opt, List.of(e -> Math.pow(0.95, e), e -> 1.0 / (1 + e)));
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * lambda(t)}. The lambdas are not part of the state dict.
 */
public final class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction[] lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, nCopies(optimizer, Objects.requireNonNull(lrLambda, "lr_lambda")));
    }

    /** One function per group, in the groups' order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        super(optimizer);
        this.lambdas = lambdas("LambdaLR", lrLambdas, groupCount());
        start();
    }

    static List<IntToDoubleFunction> nCopies(Optimizer optimizer, IntToDoubleFunction f) {
        return java.util.Collections.nCopies(Objects.requireNonNull(optimizer, "optimizer").paramGroups().size(), f);
    }

    static IntToDoubleFunction[] lambdas(String owner, List<IntToDoubleFunction> fs, int groups) {
        Objects.requireNonNull(fs, "lr_lambda");
        if (fs.size() != groups)
            throw new IllegalArgumentException(owner + ": expected " + groups + " lr_lambdas (one per parameter group), got " + fs.size());
        IntToDoubleFunction[] out = new IntToDoubleFunction[groups];
        for (int i = 0; i < groups; i++) out[i] = Objects.requireNonNull(fs.get(i), "lr_lambda " + i);
        return out;
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] base = baseLrArray();
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) out[i] = base[i] * lambdas[i].applyAsDouble(epoch);
        return out;
    }
}
