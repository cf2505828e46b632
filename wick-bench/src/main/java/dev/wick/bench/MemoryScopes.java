package dev.wick.bench;

import dev.wick.tensor.Engine;
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
        String name = "memory-" + (scoped ? "scope" : "noscope");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.err.println("[memory] " + Engine.describe() + ", mode=" + (scoped ? "scope" : "noscope")
                + ", maxHeap=" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        Engine.manualSeed(0);
        Tensor[] ps = {OpOverhead.param(784, 512), OpOverhead.param(512), OpOverhead.param(512, 256),
                OpOverhead.param(256), OpOverhead.param(256, 10), OpOverhead.param(10)};
        Tensor x = Tensor.randn(128, 784);
        Tensor y = Tensor.randint(0, 10, 128, 1);
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            if (scoped) OpOverhead.step(ps, x, y);
            else OpOverhead.unscopedStep(ps, x, y);
            if (step % 1000 == 0) {
                Emit.line(name, "rss_mb_at_" + step, Proc.rssMb(), "MB");
            }
        }
        Emit.line(name, "peak_rss_mb", Proc.peakRssMb(), "MB");
        Emit.line(name, "ms_per_step", (System.nanoTime() - t0) / 1e6 / steps, "ms");
    }
}
