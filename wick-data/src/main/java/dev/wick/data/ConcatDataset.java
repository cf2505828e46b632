package dev.wick.data;

import java.util.Arrays;
import java.util.List;

/**
 * Several data sets one after another, as PyTorch's {@code ConcatDataset}: index {@code i} reads the
 * data set whose cumulative range holds {@code i}. Negative indices count from the end, as in PyTorch.
 *
 * <pre>{@code
 * Dataset<Example<Tensor, Long>> all = new ConcatDataset<>(List.of(train, extra));
 * }</pre>
 */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    private final int[] cumulativeSizes;

    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        if (datasets.isEmpty()) throw new IllegalArgumentException("datasets should not be an empty iterable");
        this.datasets = List.copyOf(datasets);
        this.cumulativeSizes = new int[datasets.size()];
        long sum = 0;
        for (int i = 0; i < datasets.size(); i++) {
            sum += datasets.get(i).size();
            if (sum > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatDataset: more than " + Integer.MAX_VALUE + " samples in total");
            cumulativeSizes[i] = (int) sum;
        }
    }

    @SafeVarargs
    public ConcatDataset(Dataset<? extends T>... datasets) { this(Arrays.asList(datasets)); }

    /** The end (exclusive) of each part in the concatenated index space. */
    public int[] cumulativeSizes() { return cumulativeSizes.clone(); }

    @Override
    public T get(int index) {
        int n = size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n)
            throw new IndexOutOfBoundsException("Index " + index + " out of range for a ConcatDataset of size " + n);
        int lo = 0, hi = cumulativeSizes.length - 1;                  // first part whose end > i (bisect_right)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeSizes[mid] > i) hi = mid; else lo = mid + 1;
        }
        int part = lo;
        int start = part == 0 ? 0 : cumulativeSizes[part - 1];
        return datasets.get(part).get(i - start);
    }

    @Override public int size() { return cumulativeSizes[cumulativeSizes.length - 1]; }
}
