package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The memory check: MLP 784-512-256-10 training steps (batch 128) written the plain PyTorch way,
 * one Scope per step; resident memory must stay within +-10% after warm-up. CI runs 3,000 steps;
 * {@code -Dwick.memtest.steps=20000} runs the full measurement.
 */
class MemoryFlatTest {
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException e) { throw new RuntimeException(e); }
        throw new IllegalStateException("no VmRSS");
    }

    static Tensor param(long... shape) {
        return Tensor.randn(shape).mul_(0.05).requiresGrad(true);
    }

    @Test void rssStaysFlatWithAScopePerStep() {
        int steps = Integer.getInteger("wick.memtest.steps", 3000);
        int warmup = Math.min(500, steps / 5);
        Engine.manualSeed(0);
        Tensor w1 = param(784, 512), b1 = param(512), w2 = param(512, 256), b2 = param(256), w3 = param(256, 10), b3 = param(10);
        Tensor[] ps = {w1, b1, w2, b2, w3, b3};
        Tensor x = Tensor.randn(128, 784);
        Tensor y = Tensor.randint(0, 10, 128, 1);
        long rssWarm = 0, min = Long.MAX_VALUE, max = 0;
        double first = 0, last = 0;
        for (int step = 0; step < steps; step++) {
            try (Scope s = Scope.open()) {
                Tensor h1 = x.matmul(w1).add(b1).relu();
                Tensor h2 = h1.matmul(w2).add(b2).relu();
                Tensor logits = h2.matmul(w3).add(b3);
                Tensor loss = logits.logSoftmax(1).gather(1, y).mean().neg();
                loss.backward();
                try (var g = Autograd.noGrad()) {
                    for (Tensor p : ps) {
                        p.sub_(p.grad(), 0.05);
                        p.setGrad(null);
                    }
                }
                if (step == 0) first = loss.item();
                last = loss.item();
            }
            if (step == warmup) rssWarm = rssKb();
            if (step > warmup && step % 100 == 0) {
                long r = rssKb();
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
        }
        System.out.printf("MemoryFlatTest: %d steps, RSS after warm-up %d kB, min %d kB, max %d kB, loss %.4f -> %.4f%n",
                steps, rssWarm, min, max, first, last);
        assertTrue(last < first, "training made progress");
        assertTrue(max <= rssWarm * 1.10, "RSS grew more than 10%: " + rssWarm + " -> " + max + " kB");
        assertTrue(min >= rssWarm * 0.90, "RSS fell more than 10%: " + rssWarm + " -> " + min + " kB");
    }
}
