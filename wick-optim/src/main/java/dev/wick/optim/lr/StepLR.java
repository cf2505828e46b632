package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs: PyTorch's {@code StepLR}.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * gamma^floor(t / step_size)}, computed as PyTorch does: {@code lr_t =
 * lr_(t-1) * gamma} when {@code t} is a positive multiple of {@code step_size}.
 */
public final class StepLR extends LRScheduler {
    /** PyTorch's default decay factor. */
    public static final double DEFAULT_GAMMA = 0.1;

    private int stepSize;
    private double gamma;

    /** Decays by {@value #DEFAULT_GAMMA} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, DEFAULT_GAMMA); }

    /** Decays by {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        requirePositive("StepLR", "step_size", stepSize);
        this.stepSize = stepSize;
        this.gamma = checkGamma(gamma);
        start();
    }

    /** {@code Invalid gamma: -1.0} unless {@code gamma} is positive and finite. */
    static double checkGamma(double gamma) {
        if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("Invalid gamma: " + gamma);
        return gamma;
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch != 0 && epoch % stepSize == 0) for (int i = 0; i < out.length; i++) out[i] = previous[i] * gamma;
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("step_size", (long) stepSize);
        sd.put("gamma", gamma);
    }

    @Override
    void readState(StateReader r) {
        int s = r.getInt("step_size");
        requirePositive("StepLR", "step_size", s);
        double g = checkGamma(r.getDouble("gamma"));
        stepSize = s;
        gamma = g;
    }
}
