/**
 * Data-parallel training on several processes and machines, on libtorch's own distributed engine
 * (c10d with the Gloo backend), as PyTorch's {@code torch.distributed}.
 *
 * <ul>
 *   <li>{@link dev.wick.distributed.Rendezvous}: rank, world size, master address and port, store
 *       (TCP or file) and timeouts, from the environment ({@code torchrun}'s variables) or from code.</li>
 *   <li>{@link dev.wick.distributed.ProcessGroup}: the rendezvous and its checks, and the collectives
 *       (all-reduce, broadcast, all-gather, reduce-scatter, barrier) on tensors and on Java values.</li>
 *   <li>{@link dev.wick.distributed.Distributed}: the default group and the rank questions
 *       ({@code isMain()}, {@code rank()}, {@code reduceMetrics(...)}) that also answer in a plain
 *       single-process run.</li>
 *   <li>{@link dev.wick.distributed.DistributedDataParallel}: the model wrapper that averages gradients
 *       during backward with libtorch's bucketed {@code Reducer}, with {@code noSync()} for gradient
 *       accumulation.</li>
 *   <li>{@link dev.wick.distributed.Launcher}: starts N processes with the environment set, prefixes
 *       their output with the rank, and stops everything when one fails.</li>
 * </ul>
 *
 * <h2>For a training loop (the trainer's contract)</h2>
 * <pre>{@code
 * if (Rendezvous.launchedByLauncher(System.getenv())) Distributed.init();
 * var sampler = new DistributedSampler(train.size(), Distributed.worldSize(), Distributed.rank(), true, seed, false);
 * var loader = DataLoader.builder(train).sampler(sampler).batchSize(perRankBatch).build();
 * Module model = Distributed.isInitialized() ? new DistributedDataParallel<>(net) : net;
 * for (int epoch = start; epoch < epochs; epoch++) {
 *     sampler.setEpoch(epoch);                 // before iterating, every epoch (loader.setEpoch(epoch) does it too)
 *     for (...) {                              // micro-batches: all but the last inside ddp.noSync()
 *         ...
 *     }
 *     Map<String, Double> val = Distributed.reduceMetrics(evaluate(...), samplesSeen);   // same numbers on every rank
 *     if (Distributed.isMain()) { log(val); plot(val); saveCheckpoint(model.stateDict(), ...); }
 *     Distributed.barrier();                   // the others wait for the checkpoint before going on
 * }
 * }</pre>
 * <ul>
 *   <li>Only rank 0 ({@code Distributed.isMain()}) writes logs, plots and checkpoints. Every rank reads the
 *       same checkpoint to resume: {@code DistributedDataParallel.stateDict()} has the wrapped module's keys,
 *       so the file loads into a plain module too.</li>
 *   <li>The sampler must get {@code setEpoch(epoch)} at the start of every epoch, including the first
 *       epoch after a resume, or every epoch sees the same order.</li>
 *   <li>Each rank's batch is the per-rank batch: 2 ranks of 64 train like 1 rank of 128 (the loss is a
 *       mean, and the gradients are averaged over ranks).</li>
 *   <li>Validation metrics are reduced with {@code reduceMetrics}, weighted by the number of samples each
 *       rank evaluated, so every rank reports the same numbers.</li>
 * </ul>
 */
package dev.wick.distributed;
