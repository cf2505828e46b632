package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.optim.Optimizer;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch: PyTorch's {@code MultiStepLR}.
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);   // 0.05, then 0.005 from 30, 0.0005 from 80
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * gamma^(number of milestones <= t)}. A milestone listed twice decays twice
 * (PyTorch counts them); the order they are given in does not matter.
 */
public final class MultiStepLR extends LRScheduler {
    private int[] milestones;   // sorted, with repeats
    private double gamma;

    /** Decays by {@link StepLR#DEFAULT_GAMMA} at each milestone. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) { this(optimizer, milestones, StepLR.DEFAULT_GAMMA); }

    /** Decays by {@code gamma} at each milestone (epochs, non-negative). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = checkMilestones(milestones);
        this.gamma = StepLR.checkGamma(gamma);
        start();
    }

    private static int[] checkMilestones(int[] milestones) {
        Objects.requireNonNull(milestones, "milestones");
        for (int m : milestones)
            if (m < 0) throw new IllegalArgumentException("MultiStepLR: milestones must be >= 0, got " + m + " in " + Arrays.toString(milestones));
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        int c = count(epoch);
        double[] out = previous.clone();
        if (c > 0) {
            double f = StrictMath.pow(gamma, c);
            for (int i = 0; i < out.length; i++) out[i] = previous[i] * f;
        }
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        List<Long> ms = new ArrayList<>();
        for (int m : milestones) ms.add((long) m);
        sd.put("milestones", ms);   // PyTorch: a Counter {milestone: count}; here the sorted milestones with repeats
        sd.put("gamma", gamma);
    }

    @Override
    void readState(StateReader r) {
        int[] ms = checkMilestones(r.getInts("milestones"));
        double g = StepLR.checkGamma(r.getDouble("gamma"));
        milestones = ms;
        gamma = g;
    }
}
