package dev.wick.optim.lr;

import java.util.Map;

import dev.wick.optim.Optimizer;

/**
 * Multiplies the learning rate by {@code gamma} every epoch: PyTorch's {@code ExponentialLR}.
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.9);   // the seed: SGD(lr=0.01, momentum=0.9), stepped per epoch
 * }</pre>
 *
 * <p>{@code lr_t = base_lr * gamma^t}, computed as PyTorch does: {@code lr_t = lr_(t-1) * gamma}.
 */
public final class ExponentialLR extends LRScheduler {
    private double gamma;

    /** Decays by {@code gamma} (positive; above 1 grows, as in a learning-rate range test) every epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = StepLR.checkGamma(gamma);
        start();
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = previous.clone();
        if (epoch != 0) for (int i = 0; i < out.length; i++) out[i] = previous[i] * gamma;
        return out;
    }

    @Override
    void putState(Map<String, Object> sd) { sd.put("gamma", gamma); }

    @Override
    void readState(StateReader r) { gamma = StepLR.checkGamma(r.getDouble("gamma")); }
}
