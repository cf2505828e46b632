package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Anneals the learning rate from its base value to {@code etaMin} along half a cosine over {@code tMax}
 * epochs: PyTorch's {@code CosineAnnealingLR} (SGDR without the restarts).
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 100, 1e-5);
 * }</pre>
 *
 * <p>Closed form: {@code lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2}. Past
 * {@code T_max} the cosine goes on (back up to {@code base_lr} at {@code 2 T_max}).
 *
 * <p>NOTE [recursive cosine]: PyTorch computes it recursively, {@code lr_t = eta_min + (lr_(t-1) -
 * eta_min) * (1 + cos(pi t / T_max)) / (1 + cos(pi (t-1) / T_max))}, adding {@code (base_lr - eta_min)
 * (1 - cos(pi / T_max)) / 2} instead on the step after each minimum (where that ratio is 0/0). The
 * recursion drifts from the closed form (by rounding near the minimum, where the ratio magnifies it),
 * and Wick replays it so that its values are PyTorch's.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0.0); }

    /** Anneals to {@code etaMin} (&gt;= 0) over {@code tMax} (positive) epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        check(tMax, etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    private static void check(int tMax, double etaMin) {
        requirePositive("CosineAnnealingLR", "T_max", tMax);
        requireNonNegative("CosineAnnealingLR", "eta_min", new double[] {etaMin});
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch == 0) return out;
        double[] base = baseLrArray();
        if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
            double c = 1 - StrictMath.cos(Math.PI / tMax);
            for (int i = 0; i < out.length; i++) out[i] = previous[i] + (base[i] - etaMin) * c / 2;
        } else {
            double ratio = (1 + StrictMath.cos(Math.PI * epoch / tMax)) / (1 + StrictMath.cos(Math.PI * (epoch - 1) / tMax));
            for (int i = 0; i < out.length; i++) out[i] = ratio * (previous[i] - etaMin) + etaMin;
        }
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("T_max", (long) tMax);
        sd.put("eta_min", etaMin);
    }

    @Override
    void readState(StateReader r) {
        int t = r.getInt("T_max");
        double e = r.getDouble("eta_min");
        check(t, e);
        tMax = t;
        etaMin = e;
    }
}
