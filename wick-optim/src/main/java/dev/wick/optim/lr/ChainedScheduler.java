package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Steps several schedulers together, each acting on the learning rate the previous one produced:
 * PyTorch's {@code ChainedScheduler}.
 *
 * <pre>{@code
 * var sched = new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 3), new ExponentialLR(opt, 0.9)));
 * // lr: 0.01, 0.009, 0.0081, 0.0729, 0.06561, ...
 * }</pre>
 *
 * <p>At each epoch the schedulers run in order on the same groups: a recursive scheduler
 * ({@link ExponentialLR}, {@link StepLR}, {@link CosineAnnealingLR}, ...) changes the lr the previous
 * one left, a closed-form one ({@link LambdaLR}, {@link CyclicLR}, ...) overwrites it. The schedulers must
 * be freshly built on the same optimizer, and are then stepped by this one only; a
 * {@link ReduceLROnPlateau} cannot be chained.
 */
public final class ChainedScheduler extends LRScheduler {
    private static final String NAME = "ChainedScheduler";

    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<? extends LRScheduler> schedulers) {
        super(first(schedulers).optimizer());
        claimAll(this, schedulers, NAME);
        this.schedulers = List.copyOf(schedulers);
        start();
    }

    private static LRScheduler first(List<? extends LRScheduler> schedulers) {
        Objects.requireNonNull(schedulers, "schedulers");
        if (schedulers.isEmpty()) throw new IllegalArgumentException(NAME + ": needs at least one scheduler");
        return Objects.requireNonNull(schedulers.get(0), "schedulers[0]");
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] lr = previous;
        for (LRScheduler s : schedulers) lr = s.computeLr(epoch, lr);
        return lr;
    }

    @Override
    void onStep(int epoch, double[] previous) {
        double[] lr = previous;
        for (LRScheduler s : schedulers) {
            double[] next = s.computeLr(epoch, lr);
            s.drivenTo(epoch, lr, next, epoch > 0);   // epoch 0: the schedulers' constructors counted it
            lr = next;
        }
    }

    @Override
    protected void applyExtras(int epoch) {
        for (LRScheduler s : schedulers) if (s.lastEpoch() >= 0) s.applyExtras(s.lastEpoch());
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() { return schedulers; }

    @Override
    void putState(Map<String, Object> sd) {
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) subs.add(s.stateDict());
        sd.put("_schedulers", subs);
    }

    /**
     * PyTorch's ChainedScheduler saves only {@code _schedulers} and {@code _last_lr}: the epoch is then
     * the first scheduler's, and the current base lrs are kept.
     */
    @Override
    void load(Map<String, Object> sd) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(sd);
        if (!m.containsKey("last_epoch") && m.get("_schedulers") instanceof List<?> l && !l.isEmpty()
                && l.get(0) instanceof Map<?, ?> first && first.get("last_epoch") instanceof Number n) {
            m.put("last_epoch", n.longValue());
            m.putIfAbsent("_step_count", n.longValue() + 1);
        }
        m.putIfAbsent("base_lrs", baseLrs());
        super.load(m);
    }

    @Override
    void readState(StateReader r) {
        List<Map<String, Object>> subs = r.getMaps("_schedulers");
        if (subs.size() != schedulers.size())
            throw new IllegalArgumentException(NAME + " state dict: _schedulers has " + subs.size() + " entries, this ChainedScheduler has " + schedulers.size());
        for (int i = 0; i < subs.size(); i++) schedulers.get(i).load(subs.get(i));
    }
}
