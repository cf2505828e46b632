package dev.wick.optim.lr;

import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

import dev.wick.optim.Optimizer;

/**
 * Multiplies each group's learning rate by a function of the epoch at every step: PyTorch's
 * {@code MultiplicativeLR}.
 *
 * <pre>{@code
 * var sched = new MultiplicativeLR(opt, e -> 0.95);   // lr_t = lr_(t-1) * 0.95
 * }</pre>
 *
 * <p>{@code lr_0 = base_lr}, {@code lr_t = lr_(t-1) * lambda(t)}. The lambdas are not part of the state
 * dict. As the second scheduler of a {@link SequentialLR} it continues from the learning rate the
 * previous one reached, as in PyTorch (it has no closed form to restart from).
 */
public final class MultiplicativeLR extends LRScheduler {
    private final IntToDoubleFunction[] lambdas;

    /** One function for every group. */
    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, LambdaLR.nCopies(optimizer, Objects.requireNonNull(lrLambda, "lr_lambda")));
    }

    /** One function per group, in the groups' order. */
    public MultiplicativeLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        super(optimizer);
        this.lambdas = LambdaLR.lambdas("MultiplicativeLR", lrLambdas, groupCount());
        start();
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch > 0) for (int i = 0; i < out.length; i++) out[i] = previous[i] * lambdas[i].applyAsDouble(epoch);
        return out;
    }

    @Override
    double[] restartLr(double[] current) { return current.clone(); }
}
