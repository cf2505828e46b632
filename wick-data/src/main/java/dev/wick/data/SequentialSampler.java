package dev.wick.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Yields {@code 0, 1, ..., n-1} in order, as PyTorch's {@code SequentialSampler}; the loader's
 * default when {@code shuffle} is false.
 *
 * <pre>{@code
 * new SequentialSampler(4)   // 0, 1, 2, 3
 * }</pre>
 */
public final class SequentialSampler implements Sampler<Integer> {
    private final int n;

    /** A sampler over a data source of {@code n} samples. */
    public SequentialSampler(int n) {
        if (n < 0) throw new IllegalArgumentException("Invalid data source size: " + n + " (must be >= 0)");
        this.n = n;
    }

    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int next;
            @Override public boolean hasNext() { return next < n; }
            @Override public Integer next() {
                if (next >= n) throw new NoSuchElementException();
                return next++;
            }
        };
    }

    @Override public int size() { return n; }

    @Override public String toString() { return "SequentialSampler(" + n + ")"; }
}
