package dev.wick.bench;

import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.vision.FashionMNIST;

/** Fashion-MNIST decoded whole into one tensor per split (W1, W2), and test accuracy. */
final class Fmnist {
    /** Images float32 {@code [N, 1, 28, 28]} normalised with SPEC's mean and std, labels int64 {@code [N]}. */
    record Split(Tensor images, Tensor labels) {
        int size() { return Math.toIntExact(labels.size(0)); }
    }

    private Fmnist() {}

    /**
     * The bundled split, decoded and normalised; the two tensors are owned by the garbage collector. The
     * uint8 images and the intermediates are freed before this returns, not whenever the GC runs: a
     * data set of 60000 images holds 47 MB of them.
     */
    static Split load(boolean train) {
        FashionMNIST ds = FashionMNIST.builder().train(train).build();
        try (Scope s = Scope.open()) {
            Tensor raw = s.adopt(ds.images());                  // uint8 (N, 28, 28): freed with this scope
            Tensor x = raw.unsqueeze(1).toFloat()               // (N, 1, 28, 28)
                    .div_(255.0).sub_(FashionMNIST.MEAN).div_(FashionMNIST.STD);
            return new Split(s.keep(x), ds.labels());
        }
    }

    /** Share of {@code split} that {@code model} classifies right, in batches of 1000, in eval mode. */
    static double accuracy(UnaryModule model, Split split) {
        model.eval();
        long correct = 0;
        int n = split.size();
        try (Autograd.Guard ng = Autograd.noGrad()) {
            for (int i = 0; i < n; i += 1000) {
                try (Scope s = Scope.open()) {
                    int end = Math.min(n, i + 1000);
                    Tensor logits = model.forward(split.images().slice(0, i, end));     // (b, 10)
                    correct += logits.argmax(1, false).eq(split.labels().slice(0, i, end)).sum().itemLong();
                }
            }
        }
        model.train();
        return (double) correct / n;
    }

    /** Prints and emits SPEC's W1/W2 report: {@code epoch_s} (median), {@code test_acc}, {@code samples_per_s}. */
    static void report(String workload, String tag, double[] epochS, double acc, int samples) {
        double med = Emit.median(epochS);
        System.err.printf("[%s] epoch_s all: %s, test acc %.4f%n", tag, java.util.Arrays.toString(epochS), acc);
        Emit.line(workload, "epoch_s", med, "s");
        Emit.line(workload, "test_acc", acc, "fraction");
        Emit.line(workload, "samples_per_s", samples / med, "samples/s");
    }
}
