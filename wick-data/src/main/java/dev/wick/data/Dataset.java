package dev.wick.data;

/**
 * A map-style data set: a fixed number of samples, each reachable by its index, like PyTorch's
 * {@code torch.utils.data.Dataset} with {@code __getitem__} and {@code __len__}.
 *
 * <pre>{@code
 * Dataset<Example<Tensor, Long>> ds = new FashionMnist(root, true);
 * Example<Tensor, Long> first = ds.get(0);
 * var loader = DataLoader.builder(ds).batchSize(128).shuffle(true).numWorkers(2).build();
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #size()} is constant for the life of the data set, and {@code get(i)} accepts every
 *       {@code 0 <= i < size()}; an index outside that range throws {@link IndexOutOfBoundsException}.
 *   <li>{@code get} may be called concurrently from several {@link DataLoader} worker threads, so an
 *       implementation must be safe for concurrent reads (read-only state is enough).
 *   <li>Tensors returned from a worker thread are made outside any {@code Scope} on that thread; see
 *       {@link DataLoader} for who owns them.
 * </ul>
 *
 * @param <T> the sample type, often {@link Example}
 */
public interface Dataset<T> {

    /** The sample at {@code index}, for {@code 0 <= index < size()}. */
    T get(int index);

    /** The number of samples. */
    int size();

    /**
     * The samples at {@code indices} already collated, read in one go, or {@code null} (the default)
     * when this data set has no faster way than {@link #get} per index. PyTorch's {@code __getitems__}
     * fused with {@code default_collate}: a {@link DataLoader} with automatic batching and the default
     * collate function calls it once per batch and falls back to {@code get} + collate on {@code null}.
     *
     * <p>Contract: the result equals {@link Collate#defaultCollate} of {@code get(i)} for each index in
     * order, value for value and dtype for dtype (so a loader gives the same batches either way), and
     * an index outside {@code [0, size())} throws {@link IndexOutOfBoundsException} as {@code get} does.
     * {@link TensorDataset} reads each tensor's rows with one {@code index_select}; {@link Subset}
     * passes its mapped indices on.
     */
    default Object getCollated(int[] indices) { return null; }
}
