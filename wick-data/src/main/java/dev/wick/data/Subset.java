package dev.wick.data;

import java.util.Arrays;

/**
 * The samples of a data set at the given indices, as PyTorch's {@code Subset}; what
 * {@link Datasets#randomSplit} returns.
 *
 * <pre>{@code
 * Dataset<Example<Tensor, Long>> firstHundred = new Subset<>(train, IntStream.range(0, 100).toArray());
 * }</pre>
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /** Indices are checked against {@code dataset.size()} here, not at the first read. */
    public Subset(Dataset<T> dataset, int[] indices) {
        int n = dataset.size();
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= n)
                throw new IndexOutOfBoundsException("Subset: index " + indices[k] + " at position " + k
                        + " is out of range for a data set of size " + n);
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The wrapped data set. */
    public Dataset<T> dataset() { return dataset; }

    /** The indices into the wrapped data set (a copy). */
    public int[] indices() { return indices.clone(); }

    @Override
    public T get(int index) {
        if (index < 0 || index >= indices.length)
            throw new IndexOutOfBoundsException("Index " + index + " out of range for a Subset of size " + indices.length);
        return dataset.get(indices[index]);
    }

    @Override public int size() { return indices.length; }

    /** The wrapped data set's collated read of the mapped indices, if it has one. */
    @Override
    public Object getCollated(int[] batch) {
        int[] mapped = new int[batch.length];
        for (int k = 0; k < batch.length; k++) {
            if (batch[k] < 0 || batch[k] >= indices.length)
                throw new IndexOutOfBoundsException("Index " + batch[k] + " out of range for a Subset of size " + indices.length);
            mapped[k] = indices[batch[k]];
        }
        return dataset.getCollated(mapped);
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + dataset.size() + ": "
                + Arrays.toString(Arrays.copyOf(indices, Math.min(8, indices.length))) + (indices.length > 8 ? "...)" : ")");
    }
}
