package dev.wick.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class TopKAccuracy implements Metric<Double> {
    private final int k;
    private long correct;
    private long total;

    public TopKAccuracy(int k) {
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

    @Override public Double compute() { return total == 0 ? Double.NaN : (double) correct / total; }
    @Override public void reset() { correct = 0; total = 0; }
    @Override public String name() { return "top" + k + "_acc"; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correct", correct);
        m.put("total", total);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, "TopKAccuracy", "correct", "total");
        correct = Classes.asLong(sd, "correct", "TopKAccuracy");
        total = Classes.asLong(sd, "total", "TopKAccuracy");
    }
}
