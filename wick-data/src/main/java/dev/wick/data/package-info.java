/**
 * Data sets, samplers, collate and the {@link dev.wick.data.DataLoader}: PyTorch's
 * {@code torch.utils.data}, with worker threads instead of worker processes.
 *
 * <pre>{@code
 * Dataset<Example<Tensor, Long>> train = ...;
 * try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(train)
 *         .batchSize(128).shuffle(true).numWorkers(2).generator(new Generator(0)).build()) {
 *     for (Example<Tensor, Tensor> batch : loader) { ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Data sets: {@link dev.wick.data.Dataset} (map-style), {@link dev.wick.data.IterableDataset},
 *       {@link dev.wick.data.TensorDataset}, {@link dev.wick.data.Subset},
 *       {@link dev.wick.data.ConcatDataset}, {@link dev.wick.data.Datasets#randomSplit}.</li>
 *   <li>Samplers: {@link dev.wick.data.SequentialSampler}, {@link dev.wick.data.RandomSampler},
 *       {@link dev.wick.data.SubsetRandomSampler}, {@link dev.wick.data.WeightedRandomSampler},
 *       {@link dev.wick.data.BatchSampler}, {@link dev.wick.data.DistributedSampler}; write your own by
 *       implementing {@link dev.wick.data.Sampler}.</li>
 *   <li>Collate: {@link dev.wick.data.Collate#defaultCollate} and custom {@link dev.wick.data.Collator}s.</li>
 *   <li>Randomness: {@link dev.wick.data.SampleRandom}, per sample, not per worker.</li>
 *   <li>Resuming: {@link dev.wick.data.DataLoader#setEpoch}, and
 *       {@link dev.wick.data.DataLoader#iterator(int)} to start a pass at batch b without loading the
 *       batches before it.</li>
 * </ul>
 *
 * <p>NOTE [threads, not processes]: PyTorch forks worker processes because Python threads share one
 * interpreter lock; samples then travel through pickling and shared-memory files, and each epoch starts
 * the processes again unless they persist. Java threads share one heap, so a worker hands its batch
 * to the consumer as a plain reference: the tensors move from the worker's scope to the consumer by
 * ownership transfer, with no copy. What PyTorch gets from separate processes (a private RNG and
 * private global state per worker) is replaced by {@link dev.wick.data.WorkerInfo#generator()} and by
 * per-sample randomness.
 *
 * <p>NOTE [reproducing PyTorch's index lists]: each pass draws the base seed
 * ({@code torch.empty((), int64).random_(generator)}) before the sampler draws anything; a
 * {@code RandomSampler} without a generator then draws its own seed from the global generator; and
 * 1.13's {@code RandomSampler} draws one extra, empty permutation at the end of each epoch. All three
 * change the next epoch's order, and all three are reproduced, so the same seed gives PyTorch's lists.
 */
package dev.wick.data;
