package dev.wick.data;

import java.util.Arrays;
import java.util.Iterator;

import dev.wick.tensor.Generator;

/**
 * Yields the indices of {@code n} samples in random order, as PyTorch's {@code RandomSampler}; the
 * loader's sampler when {@code shuffle} is true.
 *
 * <pre>{@code
 * new RandomSampler(10, new Generator(0))            // torch.randperm(10, generator=g): 4, 1, 7, 5, 3, 9, 0, 8, 6, 2
 * new RandomSampler(10, true, 64, new Generator(0))  // 64 indices drawn with replacement
 * }</pre>
 *
 * <p>Each iteration draws, exactly as PyTorch 1.13:
 * <ul>
 *   <li>without a generator, first a fresh seed {@code torch.empty((), dtype=int64).random_()} from
 *       libtorch's global generator, then everything below from a new generator seeded with it;</li>
 *   <li>without replacement: {@code numSamples / n} permutations {@code torch.randperm(n)}, then one
 *       more permutation cut to {@code numSamples % n} (drawn even when that is 0, as PyTorch does, so a
 *       generator advances by two permutations per epoch when {@code numSamples == n});</li>
 *   <li>with replacement: {@code numSamples / 32} draws of {@code torch.randint(n, (32,))}, then one of
 *       {@code numSamples % 32}.</li>
 * </ul>
 * Draws happen lazily, as the iterator advances (PyTorch's sampler is a Python generator).
 * A given generator advances across epochs, so each epoch has a new order.
 */
public final class RandomSampler implements Sampler<Integer> {
    private final int n;
    private final boolean replacement;
    private final int numSamples;
    private final Generator generator;

    /** A random permutation of {@code 0..n-1} per epoch, drawn from libtorch's global generator. */
    public RandomSampler(int n) { this(n, null); }

    /** A random permutation of {@code 0..n-1} per epoch, drawn from {@code generator} (null: global). */
    public RandomSampler(int n, Generator generator) { this(n, false, n, generator); }

    /**
     * The general form.
     *
     * @param n           size of the data source
     * @param replacement draw with replacement
     * @param numSamples  how many indices one epoch yields ({@code n} for a plain shuffle)
     * @param generator   the generator to draw from, or null for the global one (see the class doc)
     */
    public RandomSampler(int n, boolean replacement, int numSamples, Generator generator) {
        if (n < 0) throw new IllegalArgumentException("Invalid data source size: " + n + " (must be >= 0)");
        if (n == 0)
            throw new IllegalArgumentException("RandomSampler: cannot draw num_samples=" + numSamples + " from an empty data source"
                    + (numSamples <= 0 ? " (num_samples should be a positive integer value, but got num_samples=" + numSamples + ")" : ""));
        if (numSamples <= 0)
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + numSamples);
        this.n = n;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
    }

    public boolean replacement() { return replacement; }
    public int numSamples() { return numSamples; }
    public Generator generator() { return generator; }

    @Override public int size() { return numSamples; }

    @Override
    public Iterator<Integer> iterator() {
        return new ChunkIterator() {
            private Generator g;
            private int step;
            private Generator own;          // a per-iteration generator, freed when the epoch ends

            @Override protected long[] nextChunk() {
                if (g == null) {
                    if (generator != null) g = generator;
                    else g = own = new Generator(Draws.int64(null));
                }
                int full = replacement ? numSamples / 32 : numSamples / n;
                if (step < full) {
                    step++;
                    return replacement ? Draws.randint(g, n, 32) : Draws.randperm(g, n);
                }
                if (step == full) {
                    step++;
                    return replacement ? Draws.randint(g, n, numSamples % 32)
                                       : Arrays.copyOf(Draws.randperm(g, n), numSamples % n);
                }
                if (own != null) { own.nativeGenerator().close(); own = null; }
                return null;
            }
        };
    }

    @Override
    public String toString() {
        return "RandomSampler(n=" + n + ", replacement=" + replacement + ", numSamples=" + numSamples + ")";
    }
}
