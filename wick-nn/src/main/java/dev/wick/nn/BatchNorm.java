package dev.wick.nn;

import java.util.Arrays;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Batch normalisation over the channel dim (dim 1), as PyTorch's {@code _BatchNorm}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 *
 * <p>In training mode the batch's mean and (biased) variance normalise, and the running statistics
 * are updated: {@code running = (1 - momentum) * running + momentum * batch_stat} (the variance's
 * batch statistic unbiased), and {@code num_batches_tracked} counts up; with momentum null the
 * factor is {@code 1 / num_batches_tracked} (a cumulative average). In evaluation mode the running
 * statistics normalise. Without running statistics the batch statistics are used in both modes.
 *
 * <p>State (PyTorch's keys): {@code weight} (ones), {@code bias} (zeros), buffers
 * {@code running_mean} (zeros), {@code running_var} (ones), {@code num_batches_tracked} (int64 0).
 */
public abstract class BatchNorm extends UnaryModule {
    private final long numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    protected BatchNorm(long numFeatures, BatchNormOptions o) {
        Layers.checkPositive("num_features", numFeatures);
        this.numFeatures = numFeatures;
        this.eps = o.eps;
        this.momentum = o.momentum;
        this.affine = o.affine;
        this.trackRunningStats = o.trackRunningStats;
        registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.zeros(DType.INT64) : null);
    }

    /** Which input ranks the subclass accepts, e.g. {2, 3}. */
    protected abstract int[] acceptedDims();

    /** Sets the running statistics back to mean 0, variance 1, 0 batches. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        runningMean().zero_();
        runningVar().fill_(1);
        numBatchesTracked().zero_();
    }

    public Tensor weight() { return parameter("weight"); }
    public Tensor bias() { return parameter("bias"); }
    public Tensor runningMean() { return buffer("running_mean"); }
    public Tensor runningVar() { return buffer("running_var"); }
    public Tensor numBatchesTracked() { return buffer("num_batches_tracked"); }
    public long numFeatures() { return numFeatures; }
    public double eps() { return eps; }
    /** The momentum, or null for a cumulative average. */
    public Double momentum() { return momentum; }

    @Override
    public Tensor forward(Tensor x) {
        int d = x.dim();
        if (Arrays.stream(acceptedDims()).noneMatch(a -> a == d))
            throw new IllegalArgumentException(typeName() + ": expected " + dimsText() + " input (got " + d + "D input of shape " + Arrays.toString(x.shape()) + ")");
        double factor = momentum == null ? 0.0 : momentum;
        boolean training = isTraining();
        if (training && trackRunningStats) {
            Tensor n = numBatchesTracked();
            try (org.bytedeco.pytorch.Scalar one = new org.bytedeco.pytorch.Scalar(1L)) {
                n.unwrap().add_(one);   // int64 counter: an integer scalar keeps the dtype
            }
            if (momentum == null) factor = 1.0 / (double) n.itemLong();
        }
        boolean useBatchStats = training || runningMean() == null;
        Tensor mean = !training || trackRunningStats ? runningMean() : null;
        Tensor var = !training || trackRunningStats ? runningVar() : null;
        return F.batchNorm(x, mean, var, weight(), bias(), useBatchStats, factor, eps);
    }

    private String dimsText() {
        int[] a = acceptedDims();
        return a.length == 1 ? a[0] + "D" : a[0] + "D or " + a[1] + "D";
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Layers.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Layers.pyFloat(momentum))
                + ", affine=" + Layers.pyBool(affine) + ", track_running_stats=" + Layers.pyBool(trackRunningStats);
    }
}
