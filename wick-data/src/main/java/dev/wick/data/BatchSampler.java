package dev.wick.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups the indices of another sampler into batches, as PyTorch's {@code BatchSampler}: lists of
 * {@code batchSize} indices, the last one shorter unless {@code dropLast}.
 *
 * <pre>{@code
 * new BatchSampler(new SequentialSampler(10), 3, false)  // [0, 1, 2], [3, 4, 5], [6, 7, 8], [9]
 * new BatchSampler(new SequentialSampler(10), 3, true)   // [0, 1, 2], [3, 4, 5], [6, 7, 8]
 * }</pre>
 *
 * The loader builds one from {@code sampler}, {@code batchSize} and {@code dropLast}; pass your own
 * {@code Sampler<List<Integer>>} to {@link DataLoader.Builder#batchSampler} to choose batches yourself.
 */
public final class BatchSampler implements Sampler<List<Integer>> {
    private final Sampler<Integer> sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler<Integer> sampler, int batchSize, boolean dropLast) {
        if (sampler == null) throw new IllegalArgumentException("BatchSampler: sampler must not be null");
        if (batchSize <= 0)
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    public Sampler<Integer> sampler() { return sampler; }
    public int batchSize() { return batchSize; }
    public boolean dropLast() { return dropLast; }

    @Override
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
    }

    @Override
    public Iterator<List<Integer>> iterator() {
        Iterator<Integer> it = sampler.iterator();
        return new Iterator<>() {
            private List<Integer> next;

            private List<Integer> fill() {
                if (next != null) return next;
                List<Integer> b = new ArrayList<>(batchSize);
                while (b.size() < batchSize && it.hasNext()) b.add(it.next());
                if (b.isEmpty() || (dropLast && b.size() < batchSize)) return null;
                next = Collections.unmodifiableList(b);
                return next;
            }

            @Override public boolean hasNext() { return fill() != null; }

            @Override public List<Integer> next() {
                List<Integer> b = fill();
                if (b == null) throw new NoSuchElementException();
                next = null;
                return b;
            }
        };
    }

    @Override
    public String toString() { return "BatchSampler(" + sampler + ", batchSize=" + batchSize + ", dropLast=" + dropLast + ")"; }
}
