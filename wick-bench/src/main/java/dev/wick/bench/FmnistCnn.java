package dev.wick.bench;


import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.F;
import dev.wick.nn.models.SimpleClassifier;
import dev.wick.optim.Adam;
import dev.wick.optim.lr.CosineAnnealingLR;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * W2 fmnist-cnn: the seed's SimpleModel with a classifier head on Fashion-MNIST, Adam(lr 1e-3), batch 64,
 * shuffle, CosineAnnealingLR over every iteration of 2 epochs (stepped each iteration), 2 epochs.
 * Reports {@code epoch_s} (median), {@code test_acc}, {@code samples_per_s}.
 * Twin: {@code bench/pytorch/w2_fmnist_cnn.py}.
 */
final class FmnistCnn {
    static final String NAME = "fmnist-cnn";

    private FmnistCnn() {}

    static void run() {
        Engine.manualSeed(Bench.seed());
        Fmnist.Split train = Fmnist.load(true), test = Fmnist.load(false);
        System.err.printf("[W2] data loaded, rss %.0f MB%n", Proc.rssMb());

        int epochs = 2;
        SimpleClassifier model = new SimpleClassifier();
        Adam opt = new Adam(model.parameters(), Adam.Options.lr(1e-3));
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader =
                DataLoader.builder(TensorDataset.examples(train.images(), train.labels()))
                        .batchSize(64).shuffle(true).generator(new Generator(Bench.seed())).build();
        int batches = loader.size();                            // ceil(60000 / 64) = 938
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs * batches);

        double[] epochS = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lastLoss = Double.NaN;
            int i = 0;
            long t0 = System.nanoTime(), faults0 = Proc.minorFaults();
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);                  // input (64, 1, 28, 28), target (64)
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                    loss.backward();
                    opt.step();
                    sched.step();
                    if (++i == batches) lastLoss = loss.item();
                }
            }
            epochS[epoch] = (System.nanoTime() - t0) / 1e9;
            System.err.printf("[W2] epoch %d: %.3f s, last loss %.4f, lr %.3e, rss %.0f MB, page faults %d%n", epoch + 1, epochS[epoch], lastLoss,
                    sched.lastLr(0), Proc.rssMb(), Proc.minorFaults() - faults0);
        }
        Fmnist.report(NAME, "W2", epochS, Fmnist.accuracy(model, test), train.size());
    }
}
