package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Changes the learning rate's factor linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs: PyTorch's {@code LinearLR}, the usual warmup.
 *
 * <pre>{@code
 * var sched = new LinearLR(opt, 0.5, 1.0, 4);   // 0.025, 0.03125, 0.0375, 0.04375, then 0.05
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * (start + (end - start) * min(t, total_iters) / total_iters)}, computed as
 * PyTorch does: {@code lr_t = lr_(t-1) * (1 + (end - start) / (total_iters * start + (t - 1) * (end -
 * start)))} for {@code 0 < t <= total_iters}.
 */
public final class LinearLR extends LRScheduler {
    /** PyTorch's defaults. */
    public static final double DEFAULT_START_FACTOR = 1.0 / 3;
    public static final double DEFAULT_END_FACTOR = 1.0;
    public static final int DEFAULT_TOTAL_ITERS = 5;

    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** From 1/3 to 1 over 5 epochs, PyTorch's defaults. */
    public LinearLR(Optimizer optimizer) { this(optimizer, DEFAULT_START_FACTOR, DEFAULT_END_FACTOR, DEFAULT_TOTAL_ITERS); }

    /** From {@code startFactor} (in (0, 1]) to {@code endFactor} (in [0, 1]) over {@code totalIters} epochs. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        check(startFactor, endFactor, totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        start();
    }

    private static void check(double startFactor, double endFactor, int totalIters) {
        // NOTE [start 0]: PyTorch 1.13 accepts start_factor 0 and then divides by zero at epoch 1 (its
        // recursion multiplies 0 by infinity); later versions reject it, as Wick does.
        if (!(startFactor > 0 && startFactor <= 1))
            throw new IllegalArgumentException("LinearLR: start_factor must be in (0, 1], got " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new IllegalArgumentException("LinearLR: end_factor must be in [0, 1], got " + endFactor);
        requirePositive("LinearLR", "total_iters", totalIters);
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch == 0) {
            for (int i = 0; i < out.length; i++) out[i] = previous[i] * startFactor;
        } else if (epoch <= totalIters) {
            double f = 1. + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor));
            for (int i = 0; i < out.length; i++) out[i] = previous[i] * f;
        }
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("start_factor", startFactor);
        sd.put("end_factor", endFactor);
        sd.put("total_iters", (long) totalIters);
    }

    @Override
    void readState(StateReader r) {
        double s = r.getDouble("start_factor");
        double e = r.getDouble("end_factor");
        int n = r.getInt("total_iters");
        check(s, e, n);
        startFactor = s;
        endFactor = e;
        totalIters = n;
    }
}
