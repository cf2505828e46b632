package dev.wick.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

import dev.wick.tensor.Generator;

/**
 * Gives each of {@code numReplicas} processes its own share of a data set, as PyTorch's
 * {@code DistributedSampler}. Call {@link #setEpoch(int)} before each epoch (or let
 * {@link DataLoader#setEpoch(int)} do it), otherwise every epoch has the same order.
 *
 * <pre>{@code
 * var sampler = new DistributedSampler(ds.size(), worldSize, rank, true, 0, false);
 * var loader = DataLoader.builder(ds).sampler(sampler).batchSize(64).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     loader.setEpoch(epoch);               // also sets the sampler's epoch
 *     for (var batch : loader) { ... }
 * }
 * }</pre>
 *
 * <p>PyTorch's rules, for a data set of {@code n} samples:
 * <ul>
 *   <li>order: {@code torch.randperm(n)} from a generator seeded with {@code seed + epoch} when
 *       shuffling, else {@code 0..n-1};</li>
 *   <li>each replica gets {@code numSamples = ceil(n / numReplicas)} indices; without {@code dropLast}
 *       the order is padded to {@code numSamples * numReplicas} by repeating it from its start (as many
 *       times as needed); with {@code dropLast} and {@code n} not divisible, {@code numSamples =
 *       ceil((n - numReplicas) / numReplicas)} and the tail is dropped;</li>
 *   <li>replica {@code rank} takes positions {@code rank, rank + numReplicas, ...} of that list.</li>
 * </ul>
 */
public final class DistributedSampler implements Sampler<Integer> {
    private final int n;
    private final int numReplicas;
    private final int rank;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int numSamples;
    private final int totalSize;
    private volatile int epoch;

    /**
     * @param n           size of the data set
     * @param numReplicas number of processes taking part (the world size), {@code >= 1}
     * @param rank        this process's rank, {@code 0 <= rank < numReplicas}
     * @param shuffle     shuffle with {@code seed + epoch} (PyTorch's default: true)
     * @param seed        the seed, the same on every replica (PyTorch's default: 0)
     * @param dropLast    drop the tail instead of padding (PyTorch's default: false)
     */
    public DistributedSampler(int n, int numReplicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (n < 0) throw new IllegalArgumentException("Invalid data set size: " + n + " (must be >= 0)");
        if (numReplicas < 1) throw new IllegalArgumentException("Invalid num_replicas " + numReplicas + " (must be >= 1)");
        if (rank >= numReplicas || rank < 0)
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, " + (numReplicas - 1) + "]");
        this.n = n;
        this.numReplicas = numReplicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        if (dropLast && n % numReplicas != 0) {
            this.numSamples = (int) Math.ceil((double) (n - numReplicas) / numReplicas);
        } else {
            this.numSamples = (int) Math.ceil((double) n / numReplicas);
        }
        this.totalSize = numSamples * numReplicas;
    }

    /** PyTorch's defaults: shuffle, seed 0, no dropLast. */
    public DistributedSampler(int n, int numReplicas, int rank) { this(n, numReplicas, rank, true, 0, false); }

    /** Sets the epoch: with shuffling, each epoch has its own order, the same on every replica. */
    public void setEpoch(int epoch) { this.epoch = epoch; }

    public int epoch() { return epoch; }
    public int numReplicas() { return numReplicas; }
    public int rank() { return rank; }

    @Override public int size() { return numSamples; }

    /** The full padded (or cut) index list of all replicas for the current epoch. */
    long[] allIndices() {
        long[] order;
        if (shuffle) {
            Generator g = new Generator(seed + epoch);
            try {
                order = Draws.randperm(g, n);
            } finally {
                g.nativeGenerator().close();
            }
        } else {
            order = new long[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        long[] all = new long[totalSize];
        if (n == 0) return all;
        for (int i = 0; i < totalSize; i++) all[i] = order[i % n];     // padding repeats from the start
        return all;
    }

    @Override
    public Iterator<Integer> iterator() {
        long[] all = allIndices();
        return new Iterator<>() {
            private int pos = rank;
            @Override public boolean hasNext() { return pos < totalSize; }
            @Override public Integer next() {
                if (pos >= totalSize) throw new NoSuchElementException();
                int v = (int) all[pos];
                pos += numReplicas;
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return "DistributedSampler(n=" + n + ", numReplicas=" + numReplicas + ", rank=" + rank + ", shuffle=" + shuffle
                + ", seed=" + seed + ", dropLast=" + dropLast + ")";
    }
}
