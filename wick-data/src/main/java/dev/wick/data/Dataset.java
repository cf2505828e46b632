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
}
