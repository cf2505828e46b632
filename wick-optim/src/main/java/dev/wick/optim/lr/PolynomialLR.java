package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Decays the learning rate polynomially to 0 over {@code totalIters} epochs: PyTorch's
 * {@code PolynomialLR}.
 *
 * <pre>{@code
 * var sched = new PolynomialLR(opt, 4, 1.0);   // 0.001, 0.00075, 0.0005, 0.00025, then 0
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * (1 - min(t, total_iters) / total_iters)^power}, computed as PyTorch does:
 * {@code lr_t = lr_(t-1) * ((1 - t / total_iters) / (1 - (t - 1) / total_iters))^power}.
 */
public final class PolynomialLR extends LRScheduler {
    /** PyTorch's defaults. */
    public static final int DEFAULT_TOTAL_ITERS = 5;
    public static final double DEFAULT_POWER = 1.0;

    private int totalIters;
    private double power;

    /** Linear decay over 5 epochs, PyTorch's defaults. */
    public PolynomialLR(Optimizer optimizer) { this(optimizer, DEFAULT_TOTAL_ITERS, DEFAULT_POWER); }

    /** Decay over {@code totalIters} (positive) epochs with exponent {@code power} (&gt;= 0). */
    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super(optimizer);
        check(totalIters, power);
        this.totalIters = totalIters;
        this.power = power;
        start();
    }

    private static void check(int totalIters, double power) {
        requirePositive("PolynomialLR", "total_iters", totalIters);
        if (!(power >= 0) || Double.isInfinite(power))
            throw new IllegalArgumentException("PolynomialLR: power must be >= 0 and finite, got " + power);
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch == 0 || epoch > totalIters) return out;
        double decay = StrictMath.pow((1.0 - (double) epoch / totalIters) / (1.0 - (double) (epoch - 1) / totalIters), power);
        for (int i = 0; i < out.length; i++) out[i] = previous[i] * decay;
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("total_iters", (long) totalIters);
        sd.put("power", power);
    }

    @Override
    void readState(StateReader r) {
        int n = r.getInt("total_iters");
        double p = r.getDouble("power");
        check(n, p);
        totalIters = n;
        power = p;
    }
}
