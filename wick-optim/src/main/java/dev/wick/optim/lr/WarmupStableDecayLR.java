package dev.wick.optim.lr;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.wick.optim.Optimizer;

/**
 * Warmup-stable-decay (WSD, "trapezoidal"): a linear warmup, a long constant stretch, then a short decay
 * to {@code min_lr}. Wick's own (PyTorch users write it by hand); stepped per iteration.
 *
 * <pre>{@code
 * // 1000 warmup steps from 0, 8000 at the peak, 1000 cosine steps down to 1e-5
 * var sched = new WarmupStableDecayLR(opt, 1000, 8000, 1000, WarmupStableDecayLR.Options.defaults().withMinLr(1e-5));
 * }</pre>
 *
 * <p>With {@code W} warmup, {@code S} stable and {@code D} decay steps, {@code f} the warmup start factor
 * and {@code p = (t - W - S) / D}:
 * <pre>
 *   lr_t = base_lr * (f + (1 - f) * t / W)                       t &lt; W
 *        = base_lr                                               W &lt;= t &lt; W + S
 *        = min_lr + (base_lr - min_lr) * (1 + cos(pi * p)) / 2   W + S &lt;= t &lt; W + S + D   (cosine)
 *          min_lr + (base_lr - min_lr) * (1 - p)                                          (linear)
 *        = min_lr                                                t &gt;= W + S + D
 * </pre>
 */
public final class WarmupStableDecayLR extends LRScheduler {
    /** The shape of the final decay. */
    public enum Decay { COSINE, LINEAR }

    /** Optional settings: warmup start factor (default 0), min_lr (0; one value or one per group), decay (cosine). */
    public record Options(double warmupStartFactor, double[] minLr, Decay decay) {
        public static Options defaults() { return new Options(0.0, new double[] {0.0}, Decay.COSINE); }

        /** The warmup starts at {@code factor * base_lr}; in [0, 1]. */
        public Options withWarmupStartFactor(double factor) { return new Options(factor, minLr, decay); }

        /** Where the decay ends: one value, or one per group. */
        public Options withMinLr(double... m) { return new Options(warmupStartFactor, m.clone(), decay); }

        public Options withDecay(Decay d) { return new Options(warmupStartFactor, minLr, Objects.requireNonNull(d, "decay")); }
    }

    private static final String NAME = "WarmupStableDecayLR";

    private int warmupSteps, stableSteps, decaySteps;
    private double warmupStartFactor;
    private double[] minLrs;
    private Decay decay;

    /** Cosine decay to 0, warmup from 0. */
    public WarmupStableDecayLR(Optimizer optimizer, int warmupSteps, int stableSteps, int decaySteps) {
        this(optimizer, warmupSteps, stableSteps, decaySteps, Options.defaults());
    }

    /** {@code warmupSteps} and {@code stableSteps} &gt;= 0, {@code decaySteps} &gt; 0. */
    public WarmupStableDecayLR(Optimizer optimizer, int warmupSteps, int stableSteps, int decaySteps, Options options) {
        super(optimizer);
        Objects.requireNonNull(options, "options");
        double[] mins = perGroup(NAME, "min_lr", options.minLr(), groupCount());
        check(warmupSteps, stableSteps, decaySteps, options.warmupStartFactor(), mins);
        this.warmupSteps = warmupSteps;
        this.stableSteps = stableSteps;
        this.decaySteps = decaySteps;
        this.warmupStartFactor = options.warmupStartFactor();
        this.minLrs = mins;
        this.decay = Objects.requireNonNull(options.decay(), "decay");
        start();
    }

    private static void check(int warmup, int stable, int decay, double startFactor, double[] mins) {
        if (warmup < 0) throw new IllegalArgumentException(NAME + ": warmup_steps must be >= 0, got " + warmup);
        if (stable < 0) throw new IllegalArgumentException(NAME + ": stable_steps must be >= 0, got " + stable);
        requirePositive(NAME, "decay_steps", decay);
        if ((long) warmup + stable + decay > Integer.MAX_VALUE)
            throw new IllegalArgumentException(NAME + ": warmup_steps + stable_steps + decay_steps is too large");
        if (!(startFactor >= 0 && startFactor <= 1))
            throw new IllegalArgumentException(NAME + ": warmup_start_factor must be in [0, 1], got " + startFactor);
        requireNonNegative(NAME, "min_lr", mins);
    }

    /** The schedule for one group: a pure function of the step. */
    static double lr(double base, int t, int warmup, int stable, int decaySteps, double startFactor, double minLr, Decay decay) {
        if (t < warmup) return base * (startFactor + (1.0 - startFactor) * t / warmup);
        if (t < warmup + stable) return base;
        if (t >= warmup + stable + decaySteps) return minLr;
        double p = (double) (t - warmup - stable) / decaySteps;
        if (decay == Decay.COSINE) return minLr + (base - minLr) * 0.5 * (1.0 + StrictMath.cos(Math.PI * p));
        return minLr + (base - minLr) * (1.0 - p);
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] base = baseLrArray();
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) out[i] = lr(base[i], epoch, warmupSteps, stableSteps, decaySteps, warmupStartFactor, minLrs[i], decay);
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("warmup_steps", (long) warmupSteps);
        sd.put("stable_steps", (long) stableSteps);
        sd.put("decay_steps", (long) decaySteps);
        sd.put("warmup_start_factor", warmupStartFactor);
        sd.put("min_lrs", asList(minLrs));
        sd.put("decay", decay == Decay.COSINE ? "cosine" : "linear");
    }

    @Override
    void readState(StateReader r) {
        int w = r.getInt("warmup_steps"), s = r.getInt("stable_steps"), d = r.getInt("decay_steps");
        double f = r.getDouble("warmup_start_factor");
        double[] mins = r.getDoubles("min_lrs", groupCount());
        Decay k = r.getString("decay", Set.of("cosine", "linear")).equals("cosine") ? Decay.COSINE : Decay.LINEAR;
        check(w, s, d, f, mins);
        warmupSteps = w;
        stableSteps = s;
        decaySteps = d;
        warmupStartFactor = f;
        minLrs = mins;
        decay = k;
    }
}
