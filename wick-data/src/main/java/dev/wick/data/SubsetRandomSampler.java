package dev.wick.data;

import java.util.Iterator;

import dev.wick.tensor.Generator;

/**
 * Yields the given indices in a random order, without replacement, as PyTorch's
 * {@code SubsetRandomSampler}: each epoch draws {@code torch.randperm(indices.length, generator=g)}
 * and yields {@code indices[p]} for each {@code p} of it.
 *
 * <pre>{@code
 * var train = new SubsetRandomSampler(trainIdx, new Generator(0));
 * var loader = DataLoader.builder(ds).sampler(train).batchSize(64).build();
 * }</pre>
 */
public final class SubsetRandomSampler implements Sampler<Integer> {
    private final int[] indices;
    private final Generator generator;

    /** Draws from libtorch's global generator. */
    public SubsetRandomSampler(int[] indices) { this(indices, null); }

    /** Draws from {@code generator} (null: the global one). */
    public SubsetRandomSampler(int[] indices, Generator generator) {
        this.indices = indices.clone();
        this.generator = generator;
    }

    @Override public int size() { return indices.length; }

    @Override
    public Iterator<Integer> iterator() {
        return new ChunkIterator() {
            private boolean drawn;
            @Override protected long[] nextChunk() {
                if (drawn) return null;
                drawn = true;
                long[] perm = Draws.randperm(generator, indices.length);
                for (int i = 0; i < perm.length; i++) perm[i] = indices[(int) perm[i]];
                return perm;
            }
        };
    }

    @Override public String toString() { return "SubsetRandomSampler(" + indices.length + " indices)"; }
}
