package dev.wick.metrics;

import java.util.Arrays;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The fraction of samples whose target class is among the {@code k} highest scores (ties broken as
 * {@code torch.topk} does).
 *
 * <pre>{@code
 * var top5 = new TopKAccuracy(5);
 * top5.update(logits, labels);      // logits (B, C) with C >= 5, labels (B)
 * top5.compute();
 * }</pre>
 *
 * Logged as {@code <split>_top<k>_acc}.
 */
public final class TopKAccuracy extends HitRate {
    private final int k;

    public TopKAccuracy(int k) {
        super("TopKAccuracy");
        if (k < 1) throw new IllegalArgumentException("Invalid k: " + k + " (must be >= 1)");
        this.k = k;
    }

    public int k() { return k; }

    @Override
    public void update(Tensor output, Tensor target) {
        if (output == null || target == null || output.dim() != 2 || target.dim() != 1 || output.size(0) != target.size(0))
            throw new IllegalArgumentException("TopKAccuracy.update: expected scores (B, C) and targets (B), got "
                    + (output == null ? "null" : Arrays.toString(output.shape())) + " and " + (target == null ? "null" : Arrays.toString(target.shape())));
        if (output.size(1) < k)
            throw new IllegalArgumentException("TopKAccuracy.update: k=" + k + " is larger than the number of classes " + output.size(1));
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            Tensor topk = output.topk(k, 1, true, true)[1];                    // (B, k)
            Tensor hit = topk.eq(target.toLong().unsqueeze(1)).sum(1, false).gt(0);   // (B): target among the top k
            correct += hit.sum().itemLong();
            total += target.numel();
        }
    }

    @Override public String name() { return "top" + k + "_acc"; }
}
