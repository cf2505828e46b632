package dev.wick.data;

import java.util.Iterator;

import dev.wick.tensor.Generator;

/**
 * Yields {@code numSamples} indices of {@code 0..weights.length-1}, index {@code i} with probability
 * proportional to {@code weights[i]}, as PyTorch's {@code WeightedRandomSampler}: each epoch draws
 * {@code torch.multinomial(weights, numSamples, replacement, generator=g)} (weights as float64).
 *
 * <pre>{@code
 * // oversample a rare class: weight each sample by 1 / (its class count)
 * var s = new WeightedRandomSampler(weights, ds.size(), true, new Generator(0));
 * }</pre>
 *
 * <p>Checked at construction (PyTorch finds these only when it draws): weights must be finite and
 * {@code >= 0} with a positive sum, and without replacement {@code numSamples} may not exceed the
 * number of positive weights.
 */
public final class WeightedRandomSampler implements Sampler<Integer> {
    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    /** With replacement, from libtorch's global generator. */
    public WeightedRandomSampler(double[] weights, int numSamples) { this(weights, numSamples, true, null); }

    /**
     * @param weights     one weight per sample; need not sum to one
     * @param numSamples  indices per epoch
     * @param replacement draw with replacement (PyTorch's default is true)
     * @param generator   the generator to draw from, or null for the global one
     */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        if (numSamples <= 0)
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + numSamples);
        if (weights.length == 0) throw new IllegalArgumentException("weights should be a non-empty 1d sequence, but got 0 weights");
        double sum = 0;
        int positive = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w))
                throw new IllegalArgumentException("Invalid weight at index " + i + ": " + w + " (weights must be finite and >= 0)");
            sum += w;
            if (w > 0) positive++;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("Invalid weights: their sum is " + sum + " (must be > 0)");
        if (!replacement && numSamples > positive)
            throw new IllegalArgumentException("Cannot draw num_samples=" + numSamples + " without replacement: only "
                    + positive + " of " + weights.length + " weights are positive");
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    @Override public int size() { return numSamples; }

    @Override
    public Iterator<Integer> iterator() {
        return new ChunkIterator() {
            private boolean drawn;
            @Override protected long[] nextChunk() {
                if (drawn) return null;
                drawn = true;
                return Draws.multinomial(generator, weights, numSamples, replacement);
            }
        };
    }

    @Override
    public String toString() {
        return "WeightedRandomSampler(" + weights.length + " weights, numSamples=" + numSamples + ", replacement=" + replacement + ")";
    }
}
