package dev.wick.bench;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.F;
import dev.wick.nn.models.Mlp;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * W1 fmnist-mlp: MLP 784-512-256-10 on Fashion-MNIST, SGD(lr 0.05, momentum 0.9), batch 128, shuffle,
 * 3 epochs; the whole set is decoded into one tensor up front and batched by a {@link DataLoader} over a
 * {@link TensorDataset}. Reports {@code epoch_s} (median), {@code test_acc}, {@code samples_per_s}.
 * Twin: {@code bench/pytorch/w1_fmnist_mlp.py}.
 */
final class FmnistMlp {
    static final String NAME = "fmnist-mlp";

    private FmnistMlp() {}

    static void run() {
        Engine.manualSeed(Bench.seed());
        Fmnist.Split train = Fmnist.load(true), test = Fmnist.load(false);
        System.err.printf("[W1] data loaded, rss %.0f MB%n", Proc.rssMb());

        Mlp model = new Mlp();                                  // Flatten, 784 -> 512 -> 256 -> 10
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(0.05).withMomentum(0.9));
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader =
                DataLoader.builder(TensorDataset.examples(train.images(), train.labels()))
                        .batchSize(128).shuffle(true).dropLast(false).generator(new Generator(Bench.seed())).build();

        double[] epochS = new double[3];
        for (int epoch = 0; epoch < epochS.length; epoch++) {
            double lastLoss = Double.NaN;
            int i = 0, batches = loader.size();
            long t0 = System.nanoTime(), faults0 = Proc.minorFaults();
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);                  // input (128, 1, 28, 28), target (128)
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                    loss.backward();
                    opt.step();
                    if (++i == batches) lastLoss = loss.item();
                }
            }
            epochS[epoch] = (System.nanoTime() - t0) / 1e9;
            System.err.printf("[W1] epoch %d: %.3f s, last loss %.4f, rss %.0f MB, page faults %d%n", epoch + 1, epochS[epoch], lastLoss, Proc.rssMb(),
                    Proc.minorFaults() - faults0);
        }
        Fmnist.report(NAME, "W1", epochS, Fmnist.accuracy(model, test), train.size());
    }
}
