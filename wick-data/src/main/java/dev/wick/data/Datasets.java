package dev.wick.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.wick.tensor.Generator;

/**
 * Functions over data sets: {@link #randomSplit} (PyTorch's {@code random_split}) and
 * {@link #map}/{@link #mapInputs} to attach a transform.
 *
 * <pre>{@code
 * List<Subset<Example<Tensor, Long>>> parts = Datasets.randomSplit(train, new double[]{0.9, 0.1}, new Generator(42));
 * Dataset<Example<Tensor, Long>> augmented = Datasets.mapInputs(parts.get(0), Compose.of(new RandomHorizontalFlip(0.5)));
 * }</pre>
 */
public final class Datasets {
    private Datasets() {}

    /**
     * Splits {@code dataset} into non-overlapping subsets of the given lengths, as PyTorch's
     * {@code random_split(dataset, lengths, generator)}: the samples are permuted by
     * {@code torch.randperm(n, generator=g)} and cut in order. A null generator draws from libtorch's
     * global one, as PyTorch's default does.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) throw new IllegalArgumentException("Invalid length at index " + i + ": " + lengths[i] + " (must be >= 0)");
            sum += lengths[i];
        }
        if (sum != dataset.size())
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset! (lengths "
                    + Arrays.toString(lengths) + " sum to " + sum + ", the data set has " + dataset.size() + " samples)");
        long[] perm = Draws.randperm(generator, (int) sum);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int len : lengths) {
            int[] idx = new int[len];
            for (int k = 0; k < len; k++) idx[k] = (int) perm[offset + k];
            offset += len;
            out.add(new Subset<>(dataset, idx));
        }
        return out;
    }

    /**
     * Splits by fractions that sum to 1, as PyTorch: each part gets {@code floor(n * fraction)}
     * samples, then the remainder is handed out one by one, round-robin from the first part.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double sum = 0;
        for (double f : fractions) sum += f;                           // left to right, as Python's sum()
        if (!(Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1))
            throw new IllegalArgumentException("Fractions must sum to 1, but " + Arrays.toString(fractions) + " sum to " + sum);
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        long total = 0;
        for (int i = 0; i < fractions.length; i++) {
            double f = fractions[i];
            if (f < 0 || f > 1) throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1: " + f);
            lengths[i] = (int) Math.floor(n * f);
            total += lengths[i];
        }
        long remainder = n - total;
        for (int i = 0; i < remainder; i++) lengths[i % lengths.length]++;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] == 0)
                System.getLogger(Datasets.class.getName()).log(System.Logger.Level.WARNING,
                        "Length of split at index " + i + " is 0. This might result in an empty dataset.");
        }
        return randomSplit(dataset, lengths, generator);
    }

    /** A view of {@code dataset} whose sample {@code i} is {@code fn(dataset.get(i))}, computed on read. */
    public static <T, R> Dataset<R> map(Dataset<T> dataset, Function<? super T, ? extends R> fn) {
        return new Dataset<>() {
            @Override public R get(int index) { return fn.apply(dataset.get(index)); }
            @Override public int size() { return dataset.size(); }
            @Override public String toString() { return "map(" + dataset + ", " + fn + ")"; }
        };
    }

    /** Applies {@code fn} to the input of each {@link Example}, keeping its target. */
    public static <X, Y, X2> Dataset<Example<X2, Y>> mapInputs(Dataset<Example<X, Y>> dataset, Function<? super X, ? extends X2> fn) {
        return map(dataset, e -> new Example<>(fn.apply(e.input()), e.target()));
    }
}
