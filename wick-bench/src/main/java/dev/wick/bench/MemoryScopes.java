package dev.wick.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Resident memory over many MLP 784-512-256-10 training steps (batch 128) written the plain PyTorch
 * way, with a Scope per step ({@code scope}) or without any ({@code noscope}: every temporary is owned
 * by the garbage collector through a Cleaner). Prints RSS every 1000 steps as JSON lines.
 *
 * <p>Usage: {@code MemoryScopes scope|noscope [steps]}
 */
public final class MemoryScopes {
    public static void main(String[] args) {
        boolean scoped = args.length == 0 || args[0].equals("scope");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.err.println("[memory] " + Engine.describe() + ", mode=" + (scoped ? "scope" : "noscope")
                + ", maxHeap=" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        Engine.manualSeed(0);
        Tensor[] ps = {p(784, 512), p(512), p(512, 256), p(256), p(256, 10), p(10)};
        Tensor x = Tensor.randn(128, 784);
        Tensor y = Tensor.randint(0, 10, 128, 1);
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            if (scoped) {
                try (Scope s = Scope.open()) { step(ps, x, y); }
            } else {
                step(ps, x, y);
            }
            if (step % 1000 == 0) {
                Emit.line("memory-" + (scoped ? "scope" : "noscope"), "rss_mb_at_" + step, rssMb("VmRSS:"), "MB");
            }
        }
        Emit.line("memory-" + (scoped ? "scope" : "noscope"), "peak_rss_mb", rssMb("VmHWM:"), "MB");
        Emit.line("memory-" + (scoped ? "scope" : "noscope"), "ms_per_step", (System.nanoTime() - t0) / 1e6 / steps, "ms");
    }

    static Tensor p(long... shape) { return Tensor.randn(shape).mul_(0.05).requiresGrad(true); }

    static void step(Tensor[] ps, Tensor x, Tensor y) {
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

    static double rssMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } catch (IOException e) { throw new RuntimeException(e); }
        return -1;
    }
}
