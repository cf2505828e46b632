package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;

/**
 * Base class of the learning-rate schedulers: PyTorch's {@code LRScheduler}, with one learning rate per
 * parameter group.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
 * var sched = new ExponentialLR(opt, 0.9);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (var batch : loader) { ... opt.step(); }
 *     sched.step();                       // once per epoch (or once per iteration: the loop decides)
 * }
 * }</pre>
 *
 * <p>Lifecycle: the constructor takes the initial step (epoch 0), so the groups hold the schedule's
 * first learning rate at once and {@link #lastEpoch()} is 0. Each {@link #step()} moves to the next
 * epoch and sets every group's {@code lr} (and, for {@link CyclicLR} and {@link OneCycleLR}, its
 * momentum). An "epoch" is whatever the caller counts: call {@code step()} after each epoch or after
 * each optimizer step. Call it after {@code optimizer.step()}, as in PyTorch.
 *
 * <p>A schedule is a pure function of the epoch ({@link #lrAt(int)}), computed from the
 * {@linkplain #baseLrs() base learning rates} (each group's {@code initial_lr}, set from its {@code lr}
 * when absent). Its only state is the epoch counter, so a run resumed from {@link #stateDict()} gets the
 * same learning rates by construction. Unlike PyTorch, a scheduler therefore does not compose with
 * learning-rate changes made outside it: each step overwrites the groups' {@code lr}. To combine
 * schedules use {@link ChainedScheduler} or {@link SequentialLR}. ({@link ReduceLROnPlateau} is a
 * function of the metric history instead.)
 *
 * <p>NOTE [recursive form]: PyTorch 1.13 computes most schedulers recursively, {@code lr_t} from
 * {@code lr_(t-1)} (its "chainable form"), and the recursion is not exactly the closed form: it rounds
 * differently, and for {@link CosineAnnealingLR} or inside {@link ChainedScheduler} and
 * {@link SequentialLR} the values differ observably. Wick reproduces PyTorch's values by replaying the
 * recursion from epoch 0 ({@link #computeLr}); the last value is cached, so stepping is O(1) and a jump
 * is O(epoch) additions. It is still a pure function of the epoch.
 *
 * <p>State dict ({@link #stateDict()}): PyTorch's keys ({@code last_epoch}, {@code _step_count},
 * {@code base_lrs}, {@code _last_lr} and each scheduler's own, such as {@code gamma}); numbers are
 * {@code Long} or {@code Double}, lists are {@code List}s. Lambdas are not saved. {@link #loadStateDict}
 * restores all of it (hyper-parameters included, as PyTorch does) and sets the groups' learning rates
 * to the restored {@code _last_lr}.
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private final int groupCount;
    private double[] baseLrs;
    private int lastEpoch = -1;
    private long stepCount;
    private double[] lastLr;
    /** The composite scheduler that steps this one, or null. */
    private LRScheduler driver;

    // The replay cache: the lrs at cacheEpoch, and those before it (at cacheEpoch - 1, or the base lrs).
    private int cacheEpoch = -1;
    private double[] cacheLr;
    private double[] cachePrev;

    /**
     * Attaches to {@code optimizer}. A subclass validates its options, then calls {@link #start} (which
     * takes the initial step) at the end of its constructor.
     */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.groupCount = optimizer.paramGroups().size();
        this.lastLr = groupLrs(optimizer);
        this.baseLrs = lastLr.clone();
    }

    // ------------------------------------------------------------------ the schedule

    /**
     * The learning rates of epoch {@code epoch}, one per group, given {@code previous}: those of epoch
     * {@code epoch - 1}, or at epoch 0 those the schedule starts from (the base learning rates when the
     * scheduler runs alone). A closed-form schedule ignores {@code previous}. Must not change any state.
     */
    protected abstract double[] computeLr(int epoch, double[] previous);

    /** Sets extra options of the groups for {@code epoch} (momentum cycling); called after the lrs are set. */
    protected void applyExtras(int epoch) {}

    /**
     * Sets {@code initial_lr} on the groups that lack it (from their {@code lr}) and returns them:
     * PyTorch's {@code base_lrs}.
     */
    protected static double[] initialLrs(Optimizer optimizer) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            out[i] = g.getDouble("initial_lr");
        }
        return out;
    }

    /** Fixes the base learning rates and takes the initial step (epoch 0). Ends every constructor. */
    protected final void start(double[] baseLrs) {
        if (baseLrs.length != groupCount) throw new IllegalStateException("base_lrs has " + baseLrs.length + " values for " + groupCount + " groups");
        this.baseLrs = baseLrs.clone();
        step();
    }

    /** {@link #start(double[])} from the groups' {@code initial_lr} (set from {@code lr} where absent). */
    protected final void start() { start(initialLrs(optimizer)); }

    /**
     * The learning rates the schedule gives at {@code epoch} (0 = after construction), one per group,
     * without changing any state: the same values {@link #step()} reaches at that epoch.
     */
    public List<Double> lrAt(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        if (epoch == cacheEpoch) return asList(cacheLr);
        double[] cur = baseLrs;
        int from = 0;
        if (cacheLr != null && epoch > cacheEpoch) { cur = cacheLr; from = cacheEpoch + 1; }
        for (int e = from; e <= epoch; e++) cur = checked(e, computeLr(e, cur));
        return asList(cur);
    }

    /** Moves the replay cache to {@code epoch} and returns its lrs. */
    private double[] advance(int epoch) {
        if (cacheLr == null || epoch < cacheEpoch) { cacheEpoch = -1; cacheLr = null; }
        if (epoch == cacheEpoch) return cacheLr;
        double[] cur = cacheLr == null ? baseLrs : cacheLr;
        double[] prev = cachePrev;
        for (int e = cacheEpoch + 1; e <= epoch; e++) {
            prev = cur;
            cur = checked(e, computeLr(e, cur));
        }
        cacheEpoch = epoch;
        cacheLr = cur;
        cachePrev = prev;
        return cur;
    }

    private double[] checked(int epoch, double[] lrs) {
        if (lrs.length != groupCount)
            throw new IllegalStateException(name() + " computed " + lrs.length + " learning rates at epoch " + epoch + " for " + groupCount + " groups");
        return lrs;
    }

    final void invalidateCache() { cacheEpoch = -1; cacheLr = null; cachePrev = null; }

    // ------------------------------------------------------------------ stepping

    /**
     * Moves to the next epoch: sets each group's {@code lr} (and cycled momentum) to the schedule's
     * value there. Call it after {@code optimizer.step()}.
     */
    public void step() {
        requireUsable();
        int next = lastEpoch + 1;
        double[] lrs = advance(next);
        double[] prev = cachePrev;
        lastEpoch = next;
        stepCount++;
        setLastLr(lrs);
        onStep(next, prev);
    }

    /** What a step does after the lrs are set; composites override it to drive their schedulers. */
    void onStep(int epoch, double[] previous) { applyExtras(epoch); }

    /** A composite moved this scheduler to {@code epoch}, where it gave {@code lrs}. */
    void drivenTo(int epoch, double[] previous, double[] lrs, boolean countStep) {
        lastEpoch = epoch;
        if (countStep) stepCount++;
        lastLr = lrs.clone();
        onStep(epoch, previous);
    }

    /** Checks that {@code composite} may take this scheduler over ({@code role} names it in errors). */
    final void checkClaimable(LRScheduler composite, String role) {
        if (driver != null)
            throw new IllegalArgumentException(role + " is already stepped by a " + driver.name() + "; a scheduler can belong to one composite");
        if (optimizer != composite.optimizer)
            throw new IllegalArgumentException(role + " belongs to a different optimizer than the " + composite.name());
        if (this instanceof ReduceLROnPlateau)
            throw new IllegalArgumentException(role + " is a ReduceLROnPlateau, which needs a metric; step it separately");
        if (lastEpoch != 0)
            throw new IllegalArgumentException(role + " has already been stepped (last_epoch " + lastEpoch + "); pass freshly built schedulers");
    }

    /** Marks these schedulers as stepped by {@code composite} (after checking them all): stepping one directly is then an error. */
    static void claimAll(LRScheduler composite, List<? extends LRScheduler> schedulers, String owner) {
        for (int i = 0; i < schedulers.size(); i++)
            Objects.requireNonNull(schedulers.get(i), "schedulers[" + i + "]").checkClaimable(composite, owner + " schedulers[" + i + "]");
        if (new java.util.HashSet<>(schedulers).size() != schedulers.size()) // identity: schedulers do not override equals
            throw new IllegalArgumentException(owner + ": the same scheduler is listed twice");
        for (LRScheduler s : schedulers) s.driver = composite;
    }

    final void requireUsable() {
        if (driver != null)
            throw new IllegalStateException("This " + name() + " is stepped by a " + driver.name() + ": step that one instead");
        int now = optimizer.paramGroups().size();
        if (now != groupCount)
            throw new IllegalStateException(name() + " was built for " + groupCount + " parameter group(s) but the optimizer now has " + now
                    + "; build the scheduler after adding the groups");
    }

    /** Sets the groups' {@code lr} and {@link #lastLr()}. */
    final void setLastLr(double[] lrs) {
        lastLr = lrs.clone();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
    }

    final void setPosition(int epoch, long steps) { lastEpoch = epoch; stepCount = steps; }

    // ------------------------------------------------------------------ accessors

    /** The optimizer whose groups this scheduler sets. */
    public final Optimizer optimizer() { return optimizer; }

    /** The learning rate of each group set by the last step (PyTorch's {@code get_last_lr()}). */
    public List<Double> lastLr() { return asList(lastLr); }

    /** The learning rate of group {@code group} set by the last step. */
    public double lastLr(int group) { return lastLr[group]; }

    /** The epoch of the last step: 0 after construction, then +1 per {@link #step()}. */
    public int lastEpoch() { return lastEpoch; }

    /** The learning rates the schedule is computed from (each group's {@code initial_lr}). */
    public List<Double> baseLrs() { return asList(baseLrs); }

    /** How many times {@link #step()} ran, the initial step included (PyTorch's {@code _step_count}). */
    public long stepCount() { return stepCount; }

    final int groupCount() { return groupCount; }

    final double[] baseLrArray() { return baseLrs; }

    final double[] lastLrArray() { return lastLr; }

    String name() { return getClass().getSimpleName(); }

    // ------------------------------------------------------------------ state dict

    /**
     * This scheduler's state: its own keys (hyper-parameters first) then {@code base_lrs},
     * {@code last_epoch}, {@code _step_count} and {@code _last_lr}, as in PyTorch.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        putState(m);
        m.put("base_lrs", asList(baseLrs));
        m.put("last_epoch", (long) lastEpoch);
        m.put("_step_count", stepCount);
        m.put("_last_lr", asList(lastLr));
        return m;
    }

    /**
     * Adds the scheduler's own keys (PyTorch's names) to {@code sd}; {@link #readState} reads them back.
     * A scheduler written outside this package keeps only the common keys, its settings coming from its
     * constructor (as PyTorch's lambdas do).
     */
    void putState(Map<String, Object> sd) {}

    /** Reads the scheduler's own keys from {@code r}, validates and applies them. */
    void readState(StateReader r) {}

    /**
     * Restores a state from {@link #stateDict()} (or PyTorch's {@code state_dict()}, its stateless
     * extras ignored). A missing, unknown or ill-typed key is an {@link IllegalArgumentException} naming
     * it, and then nothing changes. The groups' {@code lr} (and cycled momentum) are set to the restored
     * values, so a resumed run does not depend on the optimizer's state dict for them.
     */
    public void loadStateDict(Map<String, Object> sd) {
        Map<String, Object> before = stateDict();
        try {
            load(sd);
        } catch (RuntimeException e) {
            load(before);
            throw e;
        }
    }

    void load(Map<String, Object> sd) {
        StateReader r = new StateReader(name(), sd);
        double[] base = r.getDoubles("base_lrs", groupCount);
        int epoch = r.getInt("last_epoch");
        if (epoch < -1) throw new IllegalArgumentException(name() + " state dict: last_epoch must be >= -1, got " + epoch);
        long steps = r.getLong("_step_count");
        double[] last = r.getDoubles("_last_lr", groupCount);
        readState(r);
        r.finish();
        baseLrs = base;
        lastEpoch = epoch;
        stepCount = steps;
        lastLr = last;
        invalidateCache();
        if (driver == null) {
            setLastLr(last);
            if (epoch >= 0) applyExtras(epoch);
        }
    }

    /**
     * The lrs this scheduler restarts from when a {@link SequentialLR} reaches its milestone and the
     * groups hold {@code current}: PyTorch's closed form at epoch 0, which is the schedule's epoch 0
     * from the base lrs.
     */
    double[] restartLr(double[] current) { return computeLr(0, baseLrs); }

    // ------------------------------------------------------------------ helpers

    static double[] groupLrs(Optimizer optimizer) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    static List<Double> asList(double[] a) {
        List<Double> out = new ArrayList<>(a.length);
        for (double d : a) out.add(d);
        return Collections.unmodifiableList(out);
    }

    /**
     * One value per group: {@code values} of length 1 is used for every group, otherwise it must have
     * one per group ({@code what} names the option in the error).
     */
    static double[] perGroup(String owner, String what, double[] values, int groups) {
        Objects.requireNonNull(values, what);
        if (values.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups)
            throw new IllegalArgumentException(owner + ": expected " + groups + " values for " + what + " (one per parameter group) or one, got " + values.length);
        return values.clone();
    }

    static void requireFinite(String owner, String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(owner + ": " + what + " must be finite, got " + v);
    }

    static void requireNonNegative(String owner, String what, double[] values) {
        for (int i = 0; i < values.length; i++)
            if (!(values[i] >= 0) || Double.isInfinite(values[i]))
                throw new IllegalArgumentException(owner + ": " + what + " must be >= 0 and finite, got " + values[i]
                        + (values.length > 1 ? " (group " + i + ")" : ""));
    }

    static void requirePositive(String owner, String what, long v) {
        if (v <= 0) throw new IllegalArgumentException(owner + ": " + what + " must be positive, got " + v);
    }

    @Override
    public String toString() {
        return name() + "(last_epoch=" + lastEpoch + ", last_lr=" + asList(lastLr) + ")";
    }
}
