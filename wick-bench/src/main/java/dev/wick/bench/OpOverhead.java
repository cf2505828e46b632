package dev.wick.bench;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Per-op overhead micro-benchmark (issue 2): a tiny out-of-place add, an in-place add, and one MLP
 * 784-512-256-10 training step (batch 128, plain SGD written with tensor ops), each measured in chunks
 * after warm-up; prints the best and median chunk as JSON lines. Twin: bench/pytorch/op_overhead.py.
 *
 * <p>Usage: {@code java ... dev.wick.bench.OpOverhead [threads]}
 */
public final class OpOverhead {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Engine.threads(threads);
        System.err.println("[op-overhead] " + Engine.describe());
        final int n = 20_000, reps = 9;
        Tensor a = Tensor.ones(10), b = Tensor.ones(10), acc = Tensor.zeros(10);
        double[] add = new double[reps], addInPlace = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < n / 1000; j++) {
                try (Scope s = Scope.open()) {
                    for (int i = 0; i < 1000; i++) a.add(b);
                }
            }
            add[r] = (System.nanoTime() - t0) / 1e3 / n;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) acc.add_(b);
            addInPlace[r] = (System.nanoTime() - t0) / 1e3 / n;
        }
        report("add_us", add, "us");
        report("add_inplace_us", addInPlace, "us");

        Engine.manualSeed(0);
        Tensor w1 = param(784, 512), b1 = param(512), w2 = param(512, 256), b2 = param(256), w3 = param(256, 10), b3 = param(10);
        Tensor[] ps = {w1, b1, w2, b2, w3, b3};
        Tensor x = Tensor.randn(128, 784);
        Tensor y = Tensor.randint(0, 10, 128, 1);
        for (int i = 0; i < 50; i++) step(ps, x, y);
        int chunks = 12, per = 40;
        double[] ms = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < per; i++) step(ps, x, y);
            ms[c] = (System.nanoTime() - t0) / 1e6 / per;
        }
        report("mlp_step_ms", ms, "ms");
    }

    static void report(String metric, double[] v, String unit) {
        Emit.line("op-overhead", metric + "_best", Emit.min(v), unit);
        Emit.line("op-overhead", metric + "_median", Emit.median(v), unit);
    }

    static Tensor param(long... shape) { return Tensor.randn(shape).mul_(0.05).requiresGrad(true); }

    static void step(Tensor[] ps, Tensor x, Tensor y) {
        try (Scope s = Scope.open()) {
            unscopedStep(ps, x, y);
        }
    }

    /** One SGD step of the MLP {@code ps} = (w1, b1, w2, b2, w3, b3), its tensors owned by whatever scope is open. */
    static void unscopedStep(Tensor[] ps, Tensor x, Tensor y) {
        Tensor h1 = x.matmul(ps[0]).add(ps[1]).relu();
        Tensor h2 = h1.matmul(ps[2]).add(ps[3]).relu();
        Tensor loss = h2.matmul(ps[4]).add(ps[5]).logSoftmax(1).gather(1, y).mean().neg();
        loss.backward();
        try (var g = Autograd.noGrad()) {
            for (Tensor p : ps) {
                p.sub_(p.grad(), 0.01);
                p.setGrad(null);
            }
        }
    }
}
