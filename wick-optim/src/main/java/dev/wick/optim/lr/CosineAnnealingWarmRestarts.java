package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Cosine annealing with warm restarts (SGDR): PyTorch's {@code CosineAnnealingWarmRestarts}. The
 * learning rate falls from its base value towards {@code etaMin} along half a cosine over {@code T_i}
 * epochs, then restarts; the first period is {@code T_0} and each next one {@code T_mult} times longer.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingWarmRestarts(opt, 10, 2, 1e-5);
 * // per epoch:      sched.step();
 * // per iteration:  sched.step(epoch + (double) i / itersPerEpoch);   // fractional epochs, as in PyTorch
 * }</pre>
 *
 * <p>{@code lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2}, with {@code T_cur} the
 * epochs since the last restart.
 *
 * <p>{@link #step()} advances {@code T_cur} by one (restarting when it reaches {@code T_i}), as PyTorch
 * does, so after a fractional {@link #step(double)} it keeps the fraction. Under whole-epoch stepping
 * the schedule is the pure function {@link #lrAt(int)}.
 */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private int t0;
    private int tMult;
    private double etaMin;
    private double tCur;
    private long tI;

    /** Restarts every {@code t0} epochs, annealing to 0. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) { this(optimizer, t0, 1, 0.0); }

    /** First period {@code t0} (positive) epochs, each next one {@code tMult} (&gt;= 1) times longer. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        check(t0, tMult, etaMin);
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = -1;
        this.tI = t0;
        start();
    }

    private static void check(int t0, int tMult, double etaMin) {
        if (t0 <= 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: T_0 must be a positive integer, got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: T_mult must be an integer >= 1, got " + tMult);
        requireNonNegative("CosineAnnealingWarmRestarts", "eta_min", new double[] {etaMin});
    }

    private double[] lrs(double cur, long period) {
        double[] base = baseLrArray();
        double[] out = new double[base.length];
        double c = 1 + StrictMath.cos(Math.PI * cur / period);
        for (int i = 0; i < out.length; i++) out[i] = etaMin + (base[i] - etaMin) * c / 2;
        return out;
    }

    /** {T_cur, T_i} at whole epoch {@code epoch}. */
    private long[] position(int epoch) {
        long cur = epoch;
        long period = t0;
        while (cur >= period) {
            cur -= period;
            period *= tMult;
        }
        return new long[] {cur, period};
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        long[] p = position(epoch);
        return lrs(p[0], p[1]);
    }

    /** Moves to the next epoch: {@code T_cur + 1}, restarting when it reaches {@code T_i}. */
    @Override
    public void step() {
        requireUsable();
        if (lastEpoch() < 0) {
            tCur = 0;
            tI = t0;
        } else {
            tCur = tCur + 1;
            if (tCur >= tI) {
                tCur = tCur - tI;
                tI = tI * tMult;
            }
        }
        moveTo(lastEpoch() + 1);
    }

    /**
     * Moves to {@code epoch}, which may be fractional (PyTorch's {@code step(epoch)}, for stepping per
     * iteration with {@code epoch + i / iters}); {@link #lastEpoch()} becomes its floor.
     */
    public void step(double epoch) {
        requireUsable();
        if (!(epoch >= 0) || Double.isInfinite(epoch))
            throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected a non-negative epoch, got " + epoch);
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                // NOTE [restart index]: PyTorch finds the period with a logarithm, n = int(log(epoch / T_0 *
                // (T_mult - 1) + 1, T_mult)); kept as is so that epochs on a restart round as PyTorch's do.
                int n = (int) (StrictMath.log(epoch / t0 * (tMult - 1) + 1) / StrictMath.log(tMult));
                long pow = Math.round(StrictMath.pow(tMult, n));
                tCur = epoch - t0 * (pow - 1) / (double) (tMult - 1);
                tI = t0 * pow;
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        moveTo((int) Math.floor(epoch));
    }

    private void moveTo(int epoch) {
        setPosition(epoch, stepCount() + 1);
        setLastLr(lrs(tCur, tI));
        invalidateCache();
    }

    @Override
    void drivenTo(int epoch, double[] previous, double[] lrs, boolean countStep) {
        long[] p = position(epoch);
        tCur = p[0];
        tI = p[1];
        super.drivenTo(epoch, previous, lrs, countStep);
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("T_0", (long) t0);
        sd.put("T_i", tI);
        sd.put("T_mult", (long) tMult);
        sd.put("eta_min", etaMin);
        sd.put("T_cur", tCur);
    }

    @Override
    void readState(StateReader r) {
        int a = r.getInt("T_0");
        int m = r.getInt("T_mult");
        double e = r.getDouble("eta_min");
        check(a, m, e);
        long ti = r.getLong("T_i");
        if (ti <= 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts state dict: T_i must be positive, got " + ti);
        double cur = r.getDouble("T_cur");
        if (!Double.isFinite(cur) || cur < -1)
            throw new IllegalArgumentException("CosineAnnealingWarmRestarts state dict: T_cur must be >= -1 and finite, got " + cur);
        t0 = a;
        tMult = m;
        etaMin = e;
        tI = ti;
        tCur = cur;
    }
}
