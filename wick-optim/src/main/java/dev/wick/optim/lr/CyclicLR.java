package dev.wick.optim.lr;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;

/**
 * Cycles the learning rate between {@code baseLr} and {@code maxLr} (cyclical learning rates, Smith
 * 2017): PyTorch's {@code CyclicLR}. Meant to be stepped after every batch. Momentum cycles the other
 * way, between {@code maxMomentum} (at {@code baseLr}) and {@code baseMomentum} (at {@code maxLr}).
 *
 * <pre>{@code
 * var sched = new CyclicLR(opt, 0.001, 0.1, CyclicLR.Options.defaults()
 *         .withStepSizeUp(2000).withMode(CyclicLR.Mode.TRIANGULAR2));
 * }</pre>
 *
 * <p>With {@code total = step_size_up + step_size_down}, at epoch {@code t}: {@code cycle = floor(1 + t /
 * total)}, {@code x = 1 + t / total - cycle}, {@code s = x / r} if {@code x <= r} else {@code (x - 1) / (r
 * - 1)} where {@code r = step_size_up / total}; then {@code lr = base_lr + (max_lr - base_lr) * s *
 * scale} and {@code momentum = max_m - (max_m - base_m) * s * scale}. The scale is 1
 * ({@link Mode#TRIANGULAR}), {@code 1 / 2^(cycle - 1)} ({@link Mode#TRIANGULAR2}), {@code gamma^t}
 * ({@link Mode#EXP_RANGE}) or a custom function of the cycle or of {@code t}.
 *
 * <p>Construction sets each group's {@code lr} to {@code base_lr} and, with momentum cycling, its
 * momentum to {@code base_momentum} before the initial step, as PyTorch does. The momentum is the
 * group's {@code momentum} option, or {@code betas[0]} for an optimizer with {@code betas} (as in
 * PyTorch 2; 1.13 supported only {@code momentum}).
 */
public final class CyclicLR extends LRScheduler {
    /** The built-in amplitude policies. */
    public enum Mode {
        TRIANGULAR("triangular"), TRIANGULAR2("triangular2"), EXP_RANGE("exp_range");

        final String torchName;

        Mode(String torchName) { this.torchName = torchName; }

        static Mode of(String name) {
            for (Mode m : values()) if (m.torchName.equals(name)) return m;
            throw new IllegalArgumentException("Unknown CyclicLR mode: " + name);
        }
    }

    /** What a custom scale function is evaluated on: the cycle number or the epoch (iterations). */
    public enum ScaleMode {
        CYCLE("cycle"), ITERATIONS("iterations");

        final String torchName;

        ScaleMode(String torchName) { this.torchName = torchName; }

        static ScaleMode of(String name) {
            for (ScaleMode m : values()) if (m.torchName.equals(name)) return m;
            throw new IllegalArgumentException("Unknown CyclicLR scale_mode: " + name);
        }
    }

    /**
     * CyclicLR's optional settings, PyTorch's defaults in {@link #defaults()}. Momentum bounds take one
     * value for every group or one per group.
     */
    public record Options(int stepSizeUp, Integer stepSizeDown, Mode mode, double gamma, DoubleUnaryOperator scaleFn,
                          ScaleMode scaleMode, boolean cycleMomentum, double[] baseMomentum, double[] maxMomentum) {
        /** step_size_up 2000, step_size_down = step_size_up, triangular, gamma 1, momentum cycled 0.8 - 0.9. */
        public static Options defaults() {
            return new Options(2000, null, Mode.TRIANGULAR, 1.0, null, null, true, new double[] {0.8}, new double[] {0.9});
        }

        /** Epochs (batches) in the rising half of a cycle. */
        public Options withStepSizeUp(int n) { return new Options(n, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum); }

        /** Epochs (batches) in the falling half of a cycle; {@code step_size_up} when not set. */
        public Options withStepSizeDown(int n) { return new Options(stepSizeUp, n, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum); }

        public Options withMode(Mode m) { return new Options(stepSizeUp, stepSizeDown, m, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum); }

        /** The base of {@link Mode#EXP_RANGE}'s scale {@code gamma^t}. */
        public Options withGamma(double g) { return new Options(stepSizeUp, stepSizeDown, mode, g, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum); }

        /** A custom amplitude scale in [0, 1], evaluated on the cycle number or the epoch; replaces the mode's. */
        public Options withScaleFn(DoubleUnaryOperator fn, ScaleMode on) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, Objects.requireNonNull(fn, "scale_fn"), Objects.requireNonNull(on, "scale_mode"),
                    cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withCycleMomentum(boolean on) { return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, on, baseMomentum, maxMomentum); }

        /** The momentum at the top of the learning rate: one value, or one per group. */
        public Options withBaseMomentum(double... m) { return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, m.clone(), maxMomentum); }

        /** The momentum at the bottom of the learning rate: one value, or one per group. */
        public Options withMaxMomentum(double... m) { return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, m.clone()); }
    }

    private static final String NAME = "CyclicLR";

    private double[] maxLrs;
    private double totalSize;
    private double stepRatio;
    private Mode mode;
    private double gamma;
    private final DoubleUnaryOperator customScale;
    private ScaleMode scaleMode;
    private boolean cycleMomentum;
    private boolean useBeta1;
    private double[] baseMomentums;
    private double[] maxMomentums;

    /** Cycles between {@code baseLr} and {@code maxLr} with PyTorch's defaults (2000 batches up, 2000 down). */
    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr) { this(optimizer, baseLr, maxLr, Options.defaults()); }

    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr, Options options) {
        this(optimizer, new double[] {baseLr}, new double[] {maxLr}, options);
    }

    /** Per-group bounds (one value, or one per group). */
    public CyclicLR(Optimizer optimizer, double[] baseLrs, double[] maxLrs, Options options) {
        super(optimizer);
        Objects.requireNonNull(options, "options");
        int n = groupCount();
        double[] base = perGroup(NAME, "base_lr", baseLrs, n);
        double[] max = perGroup(NAME, "max_lr", maxLrs, n);
        requireNonNegative(NAME, "base_lr", base);
        requireNonNegative(NAME, "max_lr", max);
        requirePositive(NAME, "step_size_up", options.stepSizeUp());
        if (options.stepSizeDown() != null) requirePositive(NAME, "step_size_down", options.stepSizeDown());
        Objects.requireNonNull(options.mode(), "mode");
        checkGamma(options.gamma());
        double up = options.stepSizeUp();
        double down = options.stepSizeDown() != null ? options.stepSizeDown() : up;
        this.maxLrs = max;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        this.mode = options.mode();
        this.gamma = options.gamma();
        this.customScale = options.scaleFn();
        this.scaleMode = customScale != null ? options.scaleMode() : defaultScaleMode(mode);
        this.cycleMomentum = options.cycleMomentum();
        double[] baseM = null, maxM = null;
        if (cycleMomentum) {
            useBeta1 = Momentum.usesBeta1(NAME, optimizer);
            baseM = perGroup(NAME, "base_momentum", options.baseMomentum(), n);
            maxM = perGroup(NAME, "max_momentum", options.maxMomentum(), n);
            Momentum.check(NAME, "base_momentum", baseM);
            Momentum.check(NAME, "max_momentum", maxM);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < n; i++) groups.get(i).setLr(base[i]);
        if (cycleMomentum) {
            for (int i = 0; i < n; i++) Momentum.set(groups.get(i), useBeta1, baseM[i]);
            baseMomentums = baseM;
            maxMomentums = maxM;
        }
        initialLrs(optimizer);
        start(base);
    }

    private static void checkGamma(double g) {
        if (!(g > 0) || Double.isInfinite(g)) throw new IllegalArgumentException("CyclicLR: gamma must be positive and finite, got " + g);
    }

    private static ScaleMode defaultScaleMode(Mode m) { return m == Mode.EXP_RANGE ? ScaleMode.ITERATIONS : ScaleMode.CYCLE; }

    private double scale(double x) {
        if (customScale != null) return customScale.applyAsDouble(x);
        return switch (mode) {
            case TRIANGULAR -> 1.;
            case TRIANGULAR2 -> 1 / StrictMath.pow(2., x - 1);
            case EXP_RANGE -> StrictMath.pow(gamma, x);
        };
    }

    /** {scale factor s, amplitude scale} at {@code epoch}. */
    private double[] shape(int epoch) {
        double cycle = Math.floor(1 + epoch / totalSize);
        double x = 1. + epoch / totalSize - cycle;
        double s = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        return new double[] {s, scale(scaleMode == ScaleMode.CYCLE ? cycle : epoch)};
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] sh = shape(epoch);
        double[] base = baseLrArray();
        double[] out = new double[base.length];
        for (int i = 0; i < out.length; i++) out[i] = base[i] + (maxLrs[i] - base[i]) * sh[0] * sh[1];
        return out;
    }

    @Override
    protected void applyExtras(int epoch) {
        if (!cycleMomentum) return;
        double[] sh = shape(epoch);
        List<ParamGroup> groups = optimizer().paramGroups();
        for (int i = 0; i < maxMomentums.length; i++)
            Momentum.set(groups.get(i), useBeta1, maxMomentums[i] - (maxMomentums[i] - baseMomentums[i]) * sh[0] * sh[1]);
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("max_lrs", asList(maxLrs));
        sd.put("total_size", totalSize);
        sd.put("step_ratio", stepRatio);
        sd.put("mode", mode.torchName);
        sd.put("gamma", gamma);
        sd.put("scale_mode", scaleMode.torchName);
        sd.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            sd.put("use_beta1", useBeta1);
            sd.put("base_momentums", asList(baseMomentums));
            sd.put("max_momentums", asList(maxMomentums));
        }
    }

    @Override
    void readState(StateReader r) {
        int n = groupCount();
        double[] max = r.getDoubles("max_lrs", n);
        requireNonNegative(NAME, "max_lr", max);
        double total = r.getDouble("total_size");
        double ratio = r.getDouble("step_ratio");
        if (!(total > 0) || !(ratio > 0 && ratio < 1))
            throw new IllegalArgumentException("CyclicLR state dict: total_size " + total + " and step_ratio " + ratio + " do not describe a cycle");
        Mode m = Mode.of(r.getString("mode", Set.of("triangular", "triangular2", "exp_range")));
        double g = r.getDouble("gamma");
        checkGamma(g);
        ScaleMode sm = ScaleMode.of(r.getString("scale_mode", Set.of("cycle", "iterations")));
        boolean cycle = r.getBoolean("cycle_momentum");
        boolean beta1 = useBeta1;
        double[] baseM = null, maxM = null;
        if (cycle) {
            beta1 = r.has("use_beta1") ? r.getBoolean("use_beta1") : Momentum.usesBeta1(NAME, optimizer());   // 1.13 has no use_beta1
            baseM = r.getDoubles("base_momentums", n);
            maxM = r.getDoubles("max_momentums", n);
            Momentum.check(NAME, "base_momentum", baseM);
            Momentum.check(NAME, "max_momentum", maxM);
        }
        maxLrs = max;
        totalSize = total;
        stepRatio = ratio;
        mode = m;
        gamma = g;
        scaleMode = sm;
        cycleMomentum = cycle;
        useBeta1 = beta1;
        baseMomentums = baseM;
        maxMomentums = maxM;
    }
}
