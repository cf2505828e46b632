package dev.wick.data;

import java.util.List;

/**
 * Turns the samples of one batch into the batch the loader yields (PyTorch's {@code collate_fn}).
 * The default is {@link Collate#defaultCollate}.
 *
 * <pre>{@code
 * // the seed's collate: images stacked to [B, C, H, W], targets kept as a list
 * Collator<Example<Tensor, Long>, Example<Tensor, List<Long>>> keepTargets = samples -> new Example<>(
 *         Tensor.stack(samples.stream().map(Example::input).toList(), 0),
 *         samples.stream().map(Example::target).toList());
 * var loader = DataLoader.builder(ds).batchSize(64).collateFn(keepTargets).build();
 * }</pre>
 *
 * <p>It runs on the worker thread that loaded the samples (the calling thread with 0 workers), so it
 * must be safe to call from several threads at once. Tensors it makes there are handed to the
 * consumer; see {@link DataLoader} for who owns them.
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
@FunctionalInterface
public interface Collator<T, B> {

    /** The batch made of {@code samples} (never empty). */
    B collate(List<T> samples);
}
