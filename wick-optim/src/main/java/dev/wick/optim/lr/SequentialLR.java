package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.optim.Optimizer;

/**
 * Runs schedulers one after another, switching at milestone epochs: PyTorch's {@code SequentialLR}. The
 * usual warmup-then-decay.
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var decay = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, decay), new int[] {5});   // step only `sched`
 * }</pre>
 *
 * <p>Before the first milestone the first scheduler runs from epoch 0; at milestone {@code m_k} the
 * scheduler {@code k+1} restarts at its own epoch 0 (its closed form there, usually its base lr) and
 * runs on with epoch {@code t - m_k}. As in PyTorch, a {@link MultiplicativeLR} has no closed form and
 * continues from the learning rate the previous scheduler reached.
 *
 * <p>The schedulers must be freshly built on the same optimizer, and are then stepped by this one only
 * (stepping one directly is an error). They cannot be {@link ReduceLROnPlateau}, {@link ChainedScheduler}
 * or another {@code SequentialLR} (PyTorch cannot restart those either).
 */
public final class SequentialLR extends LRScheduler {
    private static final String NAME = "SequentialLR";

    private final List<LRScheduler> schedulers;
    private int[] milestones;

    /** {@code milestones}: {@code schedulers.size() - 1} increasing positive epochs. */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        Objects.requireNonNull(schedulers, "schedulers");
        Objects.requireNonNull(milestones, "milestones");
        if (schedulers.isEmpty()) throw new IllegalArgumentException(NAME + ": needs at least one scheduler");
        this.milestones = checkMilestones(milestones, schedulers.size());
        for (int i = 0; i < schedulers.size(); i++) {
            LRScheduler s = Objects.requireNonNull(schedulers.get(i), "schedulers[" + i + "]");
            if (s instanceof SequentialLR || s instanceof ChainedScheduler)
                throw new IllegalArgumentException(NAME + ": schedulers[" + i + "] is a " + s.name() + ", which cannot restart at a milestone");
        }
        claimAll(this, schedulers, NAME);
        this.schedulers = List.copyOf(schedulers);
        start();
    }

    private static int[] checkMilestones(int[] milestones, int schedulers) {
        if (milestones.length != schedulers - 1)
            throw new IllegalArgumentException(NAME + " expects number of schedulers provided to be one more than the number of milestone points, but got "
                    + schedulers + " schedulers and " + milestones.length + " milestones");
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1]))
                throw new IllegalArgumentException(NAME + ": milestones must be increasing positive epochs, got " + Arrays.toString(milestones));
        }
        return milestones.clone();
    }

    /** PyTorch's {@code bisect_right(milestones, epoch)}: which scheduler runs at {@code epoch}. */
    private int active(int epoch) {
        int i = 0;
        while (i < milestones.length && milestones[i] <= epoch) i++;
        return i;
    }

    private int localEpoch(int index, int epoch) { return index == 0 ? epoch : epoch - milestones[index - 1]; }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        int k = active(epoch);
        LRScheduler s = schedulers.get(k);
        int local = localEpoch(k, epoch);
        if (k > 0 && local == 0) return s.restartLr(previous);
        return s.computeLr(local, previous);
    }

    @Override
    void onStep(int epoch, double[] previous) {
        if (epoch == 0) {
            // PyTorch's constructor "undoes" the schedulers' initial steps and restarts the first one.
            schedulers.get(0).setPosition(-1, 0);
            for (int i = 1; i < schedulers.size(); i++) schedulers.get(i).setPosition(-1, schedulers.get(i).stepCount());
        }
        int k = active(epoch);
        schedulers.get(k).drivenTo(localEpoch(k, epoch), previous, lastLrArray(), true);
    }

    @Override
    protected void applyExtras(int epoch) {
        int k = active(epoch);
        LRScheduler s = schedulers.get(k);
        if (s.lastEpoch() >= 0) s.applyExtras(s.lastEpoch());
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() { return schedulers; }

    @Override
    void putState(Map<String, Object> sd) {
        List<Long> ms = new ArrayList<>();
        for (int m : milestones) ms.add((long) m);
        sd.put("_milestones", ms);
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) subs.add(s.stateDict());
        sd.put("_schedulers", subs);
    }

    /** PyTorch 1.13's layout lacks {@code base_lrs} and {@code _step_count}: the current ones are kept. */
    @Override
    void load(Map<String, Object> sd) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(sd);
        m.putIfAbsent("base_lrs", baseLrs());
        if (!m.containsKey("_step_count") && m.get("last_epoch") instanceof Number n) m.put("_step_count", n.longValue() + 1);
        super.load(m);
    }

    @Override
    void readState(StateReader r) {
        int[] ms = checkMilestones(r.getInts("_milestones"), schedulers.size());
        List<Map<String, Object>> subs = r.getMaps("_schedulers");
        if (subs.size() != schedulers.size())
            throw new IllegalArgumentException(NAME + " state dict: _schedulers has " + subs.size() + " entries, this SequentialLR has " + schedulers.size());
        milestones = ms;
        for (int i = 0; i < subs.size(); i++) schedulers.get(i).load(subs.get(i));
    }
}
