package dev.wick.train;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.data.Batches;
import dev.wick.metrics.Mean;
import dev.wick.metrics.Metric;
import dev.wick.nn.Module;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * One evaluation pass: the model in evaluation mode, gradients off, one scope per batch, the loss and
 * every metric accumulated. The trainer's validation and test; usable from a hand-written loop.
 *
 * <pre>{@code
 * Map<String, Object> m = Evaluation.run(model, valLoader, Trainer.defaultStep(model, ce), List.of(new Accuracy()), "val");
 * m.get("val_loss"); m.get("val_acc");
 * }</pre>
 *
 * <p>{@code <prefix>_loss} is the mean of the batches' losses weighted by their sizes (the mean over
 * samples for a mean-reduced loss); each metric is logged as {@code <prefix>_<name>}. The model's
 * training mode is restored afterwards. Metrics are reset at the start of the pass.
 */
public final class Evaluation {
    private Evaluation() {}

    public static <B> Map<String, Object> run(Module model, Iterable<B> loader, StepFunction<B> step, List<? extends Metric<?>> metrics, String prefix) {
        Pass pass = pass(model, loader, step, metrics);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(prefix + "_loss", pass.loss().compute());
        out.putAll(compute(metrics, prefix));
        return out;
    }

    /**
     * What a pass accumulated: the loss (a {@link Mean} weighted by batch sizes) and the number of
     * samples; the metrics hold their own state. The trainer reduces these across ranks.
     */
    record Pass(Mean loss, long samples) {}

    /** Runs the pass: {@link #run} without computing the values. */
    static <B> Pass pass(Module model, Iterable<B> loader, StepFunction<B> step, List<? extends Metric<?>> metrics) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(step, "step");
        boolean wasTraining = model.isTraining();
        Mean loss = new Mean("loss");
        long samples = 0;
        for (Metric<?> m : metrics) m.reset();
        model.eval();
        Iterator<B> it = loader.iterator();
        try (Autograd.Guard g = Autograd.noGrad()) {
            while (it.hasNext()) {
                try (Scope s = Scope.open()) {
                    B batch = it.next();                 // a loader's batch joins this scope
                    StepOutput out = step.apply(batch);
                    long n = batchSize(batch, out);
                    loss.add(out.loss().item(), n);
                    samples += n;
                    update(metrics, out);
                }
            }
        } finally {
            if (it instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a finished pass does not fail
                }
            }
            model.train(wasTraining);
        }
        return new Pass(loss, samples);
    }

    /** Each metric's value under {@code <prefix>_<name>}. */
    static Map<String, Object> compute(List<? extends Metric<?>> metrics, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Metric<?> m : metrics) out.put(prefix + "_" + m.name(), m.compute());
        return out;
    }

    /** Updates the metrics with a step's (output, target), detached, without gradients. */
    static void update(List<? extends Metric<?>> metrics, StepOutput out) {
        if (metrics.isEmpty()) return;
        if (out.output() == null)
            throw new IllegalStateException("Metrics " + metrics.stream().map(Metric::name).toList()
                    + " need the step's output and target, but the step function returned only a loss (use StepOutput.of(loss, output, target))");
        try (Autograd.Guard g = Autograd.noGrad()) {
            Tensor o = out.output().detach();
            for (Metric<?> m : metrics) m.update(o, out.target());
        }
    }

    /** The samples in a batch: the target's first dimension, else the output's, else the batch's first tensor's. */
    static long batchSize(Object batch, StepOutput out) {
        if (out.target() != null && out.target().dim() > 0) return out.target().size(0);
        if (out.output() != null && out.output().dim() > 0) return out.output().size(0);
        for (Tensor t : Batches.tensors(batch)) if (t.dim() > 0) return t.size(0);
        return 1;
    }
}
