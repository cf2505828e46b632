package dev.wick.train;

import java.util.ArrayList;
import java.util.List;

import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.nn.Dropout;
import dev.wick.nn.Linear;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.Losses;
import dev.wick.optim.Optimizer;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * A small, fully seeded training set-up: a 4-class problem on 8 features, an MLP with dropout, and a
 * data set whose samples get random noise from {@link SampleRandom} (a random augmentation), so that
 * every kind of RNG state matters for exact resume.
 */
final class Fixture {
    static final int FEATURES = 8;
    static final int CLASSES = 4;

    final Tensor x;
    final Tensor y;

    /** {@code n} samples drawn from generator seed 7: x ~ N(0, 1), y = argmax of a fixed linear map. */
    Fixture(int n) {
        Engine.init();
        Generator g = new Generator(7);
        Tensor[] xy = Scope.outside(() -> {
            Tensor xs = Tensor.randn(g, n, FEATURES);
            Tensor w = Tensor.randn(g, FEATURES, CLASSES);
            return new Tensor[] {xs, xs.matmul(w).argmax(1, false)};
        });
        x = xy[0];
        y = xy[1];
    }

    /** Samples as (x[i], y[i]); with {@code noise > 0}, x[i] plus noise drawn from the sample's stream. */
    Dataset<Example<Tensor, Tensor>> dataset(double noise) {
        return new Dataset<>() {
            @Override public Example<Tensor, Tensor> get(int i) {
                Tensor xi = x.get(i);
                if (noise > 0) {
                    SampleRandom r = SampleRandom.current();
                    float[] e = new float[FEATURES];
                    for (int k = 0; k < FEATURES; k++) e[k] = (float) (noise * r.nextGaussian());
                    xi = xi.add(Tensor.of(e, FEATURES));
                }
                return new Example<>(xi, y.get(i));
            }
            @Override public int size() { return (int) x.size(0); }
        };
    }

    static DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader(Dataset<Example<Tensor, Tensor>> ds, int batch,
                                                                             boolean shuffle, int workers, long seed) {
        return DataLoader.builder(ds).batchSize(batch).shuffle(shuffle).numWorkers(workers).generator(new Generator(seed)).build();
    }

    /** Unshuffled batches of {@code batch}, 0 workers. */
    static DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> plain(Dataset<Example<Tensor, Tensor>> ds, int batch, boolean dropLast) {
        return DataLoader.builder(ds).batchSize(batch).dropLast(dropLast).generator(new Generator(0)).build();
    }

    /** An MLP 8 -> 16 -> 4, with dropout {@code p} after the hidden layer, initialised from seed {@code seed}. */
    static UnaryModule model(long seed, double p) {
        Engine.manualSeed(seed);
        return p > 0 ? new Sequential(new Linear(FEATURES, 16), new ReLU(), new Dropout(p), new Linear(16, CLASSES))
                     : new Sequential(new Linear(FEATURES, 16), new ReLU(), new Linear(16, CLASSES));
    }

    static Optimizer sgd(UnaryModule m, double lr) {
        return new SGD(m.parameters(), SGD.Options.lr(lr).withMomentum(0.9));
    }

    static final LossFunction CE = Losses::crossEntropy;

    /** Copies of the parameters (GC-owned), for comparing two runs. */
    static List<Tensor> snapshot(UnaryModule m) {
        return Scope.outside(() -> {
            List<Tensor> out = new ArrayList<>();
            for (Tensor p : m.parameters()) out.add(p.detach().clone());
            return out;
        });
    }

    static boolean bitEqual(List<Tensor> a, List<Tensor> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!a.get(i).equal(b.get(i))) return false;
        return true;
    }

    static double maxAbsDiff(List<Tensor> a, List<Tensor> b) {
        try (Scope s = Scope.open()) {
            double m = 0;
            for (int i = 0; i < a.size(); i++) m = Math.max(m, a.get(i).sub(b.get(i)).abs().max().item());
            return m;
        }
    }

}
