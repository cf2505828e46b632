package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Multiplies the learning rate by a constant {@code factor} until epoch {@code totalIters}: PyTorch's
 * {@code ConstantLR}.
 *
 * <pre>{@code
 * var sched = new ConstantLR(opt, 0.5, 4);   // 0.025 for epochs 0-3, then 0.05
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * factor} for {@code t < total_iters}, {@code base_lr} afterwards; computed as
 * PyTorch does (multiply by {@code factor} at 0, by {@code 1 / factor} at {@code total_iters}).
 */
public final class ConstantLR extends LRScheduler {
    /** PyTorch's defaults. */
    public static final double DEFAULT_FACTOR = 1.0 / 3;
    public static final int DEFAULT_TOTAL_ITERS = 5;

    private double factor;
    private int totalIters;

    /** {@code factor} 1/3 for 5 epochs, PyTorch's defaults. */
    public ConstantLR(Optimizer optimizer) { this(optimizer, DEFAULT_FACTOR, DEFAULT_TOTAL_ITERS); }

    /** {@code factor} in (0, 1] for {@code totalIters} (positive) epochs. */
    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        super(optimizer);
        this.factor = checkFactor(factor);
        requirePositive("ConstantLR", "total_iters", totalIters);
        this.totalIters = totalIters;
        start();
    }

    // NOTE [factor 0]: PyTorch accepts 0 and then divides by it at total_iters; Wick rejects it up front.
    private static double checkFactor(double factor) {
        if (!(factor > 0 && factor <= 1))
            throw new IllegalArgumentException("ConstantLR: factor must be in (0, 1], got " + factor);
        return factor;
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch == 0) for (int i = 0; i < out.length; i++) out[i] = previous[i] * factor;
        else if (epoch == totalIters) for (int i = 0; i < out.length; i++) out[i] = previous[i] * (1.0 / factor);
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("factor", factor);
        sd.put("total_iters", (long) totalIters);
    }

    @Override
    void readState(StateReader r) {
        double f = checkFactor(r.getDouble("factor"));
        int n = r.getInt("total_iters");
        requirePositive("ConstantLR", "total_iters", n);
        factor = f;
        totalIters = n;
    }
}
