package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Linear warmup, then a cosine from the base learning rate down to {@code min_lr}, then {@code min_lr}:
 * nanoGPT's {@code get_lr(it)} as a scheduler. Wick's own; stepped per iteration.
 *
 * <pre>{@code
 * var sched = new CosineWithMinLR(opt, 2000, 600_000, 6e-5);   // nanoGPT's GPT-2 settings (lr 6e-4)
 * }</pre>
 *
 * <p>With {@code W} warmup iterations and {@code D = lr_decay_iters}:
 * <pre>
 *   lr_t = base_lr * (t + 1) / (W + 1)                                     t &lt; W
 *        = min_lr + (1 + cos(pi * (t - W) / (D - W))) / 2 * (base_lr - min_lr)   W &lt;= t &lt;= D
 *        = min_lr                                                       t &gt; D
 * </pre>
 */
public final class CosineWithMinLR extends LRScheduler {
    private static final String NAME = "CosineWithMinLR";

    private int warmupIters;
    private int lrDecayIters;
    private double[] minLrs;

    /** The same {@code minLr} for every group. */
    public CosineWithMinLR(Optimizer optimizer, int warmupIters, int lrDecayIters, double minLr) {
        this(optimizer, warmupIters, lrDecayIters, new double[] {minLr});
    }

    /** {@code warmupIters} &gt;= 0, {@code lrDecayIters} &gt; {@code warmupIters}; {@code minLrs}: one, or one per group. */
    public CosineWithMinLR(Optimizer optimizer, int warmupIters, int lrDecayIters, double[] minLrs) {
        super(optimizer);
        double[] mins = perGroup(NAME, "min_lr", minLrs, groupCount());
        check(warmupIters, lrDecayIters, mins);
        this.warmupIters = warmupIters;
        this.lrDecayIters = lrDecayIters;
        this.minLrs = mins;
        start();
    }

    private static void check(int warmup, int decay, double[] mins) {
        if (warmup < 0) throw new IllegalArgumentException(NAME + ": warmup_iters must be >= 0, got " + warmup);
        if (decay <= warmup)
            throw new IllegalArgumentException(NAME + ": lr_decay_iters must be greater than warmup_iters, got " + decay + " <= " + warmup);
        requireNonNegative(NAME, "min_lr", mins);
    }

    /** nanoGPT's {@code get_lr} for one group: a pure function of the iteration. */
    static double lr(double base, int t, int warmup, int decayIters, double minLr) {
        if (t < warmup) return base * (t + 1) / (warmup + 1);
        if (t > decayIters) return minLr;
        double ratio = (double) (t - warmup) / (decayIters - warmup);
        double coeff = 0.5 * (1.0 + StrictMath.cos(Math.PI * ratio));
        return minLr + coeff * (base - minLr);
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] base = baseLrArray();
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) out[i] = lr(base[i], epoch, warmupIters, lrDecayIters, minLrs[i]);
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("warmup_iters", (long) warmupIters);
        sd.put("lr_decay_iters", (long) lrDecayIters);
        sd.put("min_lrs", asList(minLrs));
    }

    @Override
    void readState(StateReader r) {
        int w = r.getInt("warmup_iters"), d = r.getInt("lr_decay_iters");
        double[] mins = r.getDoubles("min_lrs", groupCount());
        check(w, d, mins);
        warmupIters = w;
        lrDecayIters = d;
        minLrs = mins;
    }
}
