package dev.wick.data;

import java.util.OptionalInt;

/**
 * A data set read as a stream, like PyTorch's {@code IterableDataset}: samples come from
 * {@link #iterator()} in order, with no random access.
 *
 * <pre>{@code
 * IterableDataset<String> lines = () -> Files.lines(path).iterator();
 * var loader = DataLoader.builder(lines).batchSize(32).build();
 * }</pre>
 *
 * <p><b>Workers.</b> With {@code numWorkers = N > 0} the {@link DataLoader} calls {@link #iterator()}
 * once in each worker thread. Without sharding, the data set is therefore read N times and every
 * sample appears N times, exactly as in PyTorch. To shard, call {@link DataLoader#getWorkerInfo()}
 * inside {@code iterator()} and keep only this worker's share:
 *
 * <pre>{@code
 * public Iterator<Integer> iterator() {
 *     WorkerInfo w = DataLoader.getWorkerInfo();              // null on the calling thread (0 workers)
 *     int start = w == null ? 0 : w.id(), step = w == null ? 1 : w.numWorkers();
 *     return IntStream.iterate(start, i -> i < n, i -> i + step).boxed().iterator();
 * }
 * }</pre>
 *
 * <p>{@code shuffle}, {@code sampler} and {@code batchSampler} cannot be used with an iterable data
 * set (as in PyTorch).
 *
 * @param <T> the sample type
 */
public interface IterableDataset<T> extends Iterable<T> {

    /**
     * The number of samples one full pass yields, when known. PyTorch's {@code __len__} is optional on
     * an {@code IterableDataset}; here an empty result means "unknown", which makes
     * {@link DataLoader#size()} throw. The default is unknown.
     */
    default OptionalInt size() {
        return OptionalInt.empty();
    }
}
