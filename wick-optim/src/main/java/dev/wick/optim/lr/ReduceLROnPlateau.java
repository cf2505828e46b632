package dev.wick.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.wick.optim.Optimizer;

/**
 * Reduces the learning rate when a monitored metric stops improving: PyTorch's
 * {@code ReduceLROnPlateau}.
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withPatience(2).withMinLr(1e-5));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(...);
 *     sched.step(validationLoss);
 * }
 * }</pre>
 *
 * <p>Each {@link #step(double)}: the metric is an improvement when it beats {@code best} by the
 * threshold ({@code rel}: {@code best * (1 -/+ threshold)}; {@code abs}: {@code best -/+ threshold}, for
 * {@code min}/{@code max}); otherwise a bad epoch is counted. During {@code cooldown} epochs after a
 * reduction bad epochs are not counted. When there have been more than {@code patience} bad epochs, each
 * group's lr becomes {@code max(lr * factor, min_lr)} (unless that changes it by no more than
 * {@code eps}) and the count restarts. A NaN metric is never an improvement.
 *
 * <p>The learning rate is a function of the metric history: this scheduler keeps the lrs it set
 * ({@link #lastLr()}) and reduces those, rather than whatever the groups hold. It has no epoch schedule,
 * so {@link #step()} and {@link #lrAt(int)} are errors, and it cannot be part of a
 * {@link SequentialLR} or {@link ChainedScheduler}.
 */
public final class ReduceLROnPlateau extends LRScheduler {
    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum Mode { MIN, MAX }

    /** How the improvement threshold is measured. */
    public enum ThresholdMode { REL, ABS }

    /** The settings, PyTorch's defaults in {@link #defaults()}. {@code minLr}: one value, or one per group. */
    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                          int cooldown, double[] minLr, double eps) {
        /** min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0, eps 1e-8. */
        public static Options defaults() { return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, new double[] {0.0}, 1e-8); }

        public Options withMode(Mode m) { return new Options(m, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }

        /** {@code new_lr = lr * factor}; in [0, 1). */
        public Options withFactor(double f) { return new Options(mode, f, patience, threshold, thresholdMode, cooldown, minLr, eps); }

        /** Bad epochs tolerated before a reduction. */
        public Options withPatience(int p) { return new Options(mode, factor, p, threshold, thresholdMode, cooldown, minLr, eps); }

        public Options withThreshold(double t, ThresholdMode how) {
            return new Options(mode, factor, patience, t, Objects.requireNonNull(how, "threshold_mode"), cooldown, minLr, eps);
        }

        /** Epochs after a reduction during which bad epochs are not counted. */
        public Options withCooldown(int c) { return new Options(mode, factor, patience, threshold, thresholdMode, c, minLr, eps); }

        /** The lower bound of the learning rate: one value, or one per group. */
        public Options withMinLr(double... m) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, m.clone(), eps); }

        /** Reductions smaller than this are skipped. */
        public Options withEps(double e) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, e); }
    }

    private static final String NAME = "ReduceLROnPlateau";

    private Mode mode;
    private double factor;
    private int patience;
    private double threshold;
    private ThresholdMode thresholdMode;
    private int cooldown;
    private double[] minLrs;
    private double eps;

    private double best;
    private int numBadEpochs;
    private int cooldownCounter;

    /** PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, Options.defaults()); }

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        super(optimizer);
        Objects.requireNonNull(options, "options");
        double[] mins = perGroup(NAME, "min_lr", options.minLr(), groupCount());
        check(options.mode(), options.factor(), options.patience(), options.threshold(), options.thresholdMode(), options.cooldown(), mins, options.eps());
        mode = options.mode();
        factor = options.factor();
        patience = options.patience();
        threshold = options.threshold();
        thresholdMode = options.thresholdMode();
        cooldown = options.cooldown();
        minLrs = mins;
        eps = options.eps();
        best = worst();
        setPosition(0, 0);
    }

    private static void check(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode, int cooldown,
                              double[] minLrs, double eps) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(thresholdMode, "threshold_mode");
        if (!(factor >= 0 && factor < 1)) throw new IllegalArgumentException(NAME + ": factor must be in [0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException(NAME + ": patience must be >= 0, got " + patience);
        if (!(threshold >= 0) || Double.isInfinite(threshold)) throw new IllegalArgumentException(NAME + ": threshold must be >= 0 and finite, got " + threshold);
        if (cooldown < 0) throw new IllegalArgumentException(NAME + ": cooldown must be >= 0, got " + cooldown);
        requireNonNegative(NAME, "min_lr", minLrs);
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException(NAME + ": eps must be >= 0 and finite, got " + eps);
    }

    private double worst() { return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    /** Whether {@code a} improves on {@code best} by the threshold. */
    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) return thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
    }

    /** Records the metric of the epoch just ended and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        requireUsable();
        setPosition(lastEpoch() + 1, stepCount() + 1);
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        double[] lrs = lastLrArray().clone();
        if (numBadEpochs > patience) {
            for (int i = 0; i < lrs.length; i++) {
                double reduced = Math.max(lrs[i] * factor, minLrs[i]);
                if (lrs[i] - reduced > eps) lrs[i] = reduced;
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        setLastLr(lrs);
    }

    /** An error: this scheduler needs the metric, {@link #step(double)}. */
    @Override
    public void step() {
        throw new UnsupportedOperationException("ReduceLROnPlateau.step() needs the monitored metric: call step(metric)");
    }

    /** An error: the learning rate depends on the metric history, not on the epoch alone. */
    @Override
    public List<Double> lrAt(int epoch) {
        throw new UnsupportedOperationException("ReduceLROnPlateau has no epoch schedule: its learning rate depends on the metric history");
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        throw new UnsupportedOperationException("ReduceLROnPlateau has no epoch schedule");
    }

    /** The best metric so far ({@code +/-Infinity} before the first step). */
    public double best() { return best; }

    /** Bad epochs counted since the last improvement or reduction. */
    public int numBadEpochs() { return numBadEpochs; }

    /** Epochs of cooldown left. */
    public int cooldownCounter() { return cooldownCounter; }

    /** PyTorch's keys: the settings, {@code best}, the counters, {@code last_epoch} and {@code _last_lr}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factor", factor);
        m.put("min_lrs", asList(minLrs));
        m.put("patience", (long) patience);
        m.put("cooldown", (long) cooldown);
        m.put("cooldown_counter", (long) cooldownCounter);
        m.put("mode", mode == Mode.MIN ? "min" : "max");
        m.put("threshold", threshold);
        m.put("threshold_mode", thresholdMode == ThresholdMode.REL ? "rel" : "abs");
        m.put("best", best);
        m.put("num_bad_epochs", (long) numBadEpochs);
        m.put("mode_worse", worst());
        m.put("eps", eps);
        m.put("last_epoch", (long) lastEpoch());
        m.put("_step_count", stepCount());
        m.put("_last_lr", asList(lastLrArray()));
        return m;
    }

    @Override
    void load(Map<String, Object> sd) {
        StateReader r = new StateReader(NAME, sd);
        int n = groupCount();
        double f = r.getDouble("factor");
        double[] mins = r.getDoubles("min_lrs", n);
        int p = r.getInt("patience");
        int c = r.getInt("cooldown");
        int cc = r.getInt("cooldown_counter");
        Mode m = r.getString("mode", Set.of("min", "max")).equals("min") ? Mode.MIN : Mode.MAX;
        double t = r.getDouble("threshold");
        ThresholdMode tm = r.getString("threshold_mode", Set.of("rel", "abs")).equals("rel") ? ThresholdMode.REL : ThresholdMode.ABS;
        double b = r.getDouble("best");
        int bad = r.getInt("num_bad_epochs");
        if (r.has("mode_worse")) r.getDouble("mode_worse");   // derived from mode
        double e = r.getDouble("eps");
        int epoch = r.getInt("last_epoch");
        long steps = r.has("_step_count") ? r.getLong("_step_count") : epoch;   // PyTorch 1.13 has none
        double[] last = r.has("_last_lr") ? r.getDoubles("_last_lr", n) : groupLrs(optimizer());   // none before the first step in 1.13
        r.finish();
        check(m, f, p, t, tm, c, mins, e);
        if (cc < 0 || bad < 0 || epoch < 0)
            throw new IllegalArgumentException(NAME + " state dict: cooldown_counter " + cc + ", num_bad_epochs " + bad + " and last_epoch " + epoch + " must be >= 0");
        mode = m;
        factor = f;
        patience = p;
        threshold = t;
        thresholdMode = tm;
        cooldown = c;
        minLrs = mins;
        eps = e;
        best = b;
        numBadEpochs = bad;
        cooldownCounter = cc;
        setPosition(epoch, steps);
        setLastLr(last);
    }
}
