package dev.wick.bench;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.F;
import dev.wick.nn.Linear;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * W3 step-overhead (the seed's loop): Linear(10, 2) on 1000 random samples, TensorDataset + DataLoader
 * (batch 100, shuffle), cross entropy, SGD(lr 0.01), gradient accumulation 10 (loss / 10; step and
 * zeroGrad every 10 batches), 2000 epochs = 20000 iterations. Reports {@code iters_per_s}: almost all
 * of it is per-op and per-batch overhead. Twin: {@code bench/pytorch/w3_step_overhead.py}.
 */
final class StepOverhead {
    static final String NAME = "step-overhead";

    private StepOverhead() {}

    static void run() {
        Engine.manualSeed(Bench.seed());
        Tensor x = Tensor.randn(1000, 10);
        Tensor y = Tensor.randint(0, 2, 1000);
        Linear model = new Linear(10, 2);
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(0.01));
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader =
                DataLoader.builder(TensorDataset.examples(x, y)).batchSize(100).shuffle(true).generator(new Generator(Bench.seed())).build();
        int accum = 10, epochs = 2000;

        long iters = 0;
        double lastLoss = Double.NaN;
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);                  // input (100, 10), target (100)
                    Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target()).div(accum);
                    loss.backward();
                    iters++;
                    if (iters % accum == 0) {
                        opt.step();
                        opt.zeroGrad();
                    }
                    if (iters == (long) epochs * 10) lastLoss = loss.item() * accum;
                }
            }
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        if (iters != 20000) throw new IllegalStateException("W3 ran " + iters + " iterations, expected 20000");
        System.err.printf("[W3] %d iterations in %.3f s, final loss %.4f%n", iters, dt, lastLoss);
        Emit.line(NAME, "iters_per_s", iters / dt, "iters/s");
    }
}
