package dev.wick.data;

import dev.wick.tensor.Generator;

/**
 * What a loader worker thread knows about itself, as PyTorch's {@code WorkerInfo}: returned by
 * {@link DataLoader#getWorkerInfo()} on a worker thread (null elsewhere, e.g. with 0 workers).
 *
 * <pre>{@code
 * WorkerInfo w = DataLoader.getWorkerInfo();
 * int start = w == null ? 0 : w.id(), step = w == null ? 1 : w.numWorkers();   // shard an IterableDataset
 * }</pre>
 *
 * <p>{@link #seed()} is PyTorch's per-worker seed, {@code baseSeed + id}, where the base seed is drawn
 * from the loader's generator once per epoch (once for persistent workers). PyTorch seeds the global
 * torch RNG of each worker process with it; worker threads share one process, so here each worker has
 * its own {@link #generator()} seeded with it instead. Prefer {@link SampleRandom#current()} for
 * augmentation: it does not depend on which worker loads a sample.
 */
public final class WorkerInfo {
    private final int id;
    private final int numWorkers;
    private final long seed;
    private final Object dataset;
    private Generator generator;

    WorkerInfo(int id, int numWorkers, long seed, Object dataset) {
        this.id = id;
        this.numWorkers = numWorkers;
        this.seed = seed;
        this.dataset = dataset;
    }

    /** This worker's id, {@code 0 <= id < numWorkers}. */
    public int id() { return id; }

    /** The number of workers of the loader. */
    public int numWorkers() { return numWorkers; }

    /** {@code baseSeed + id}, as PyTorch. */
    public long seed() { return seed; }

    /** The loader's data set (the same object in every worker: threads share the heap). */
    public Object dataset() { return dataset; }

    /** A generator of this worker, seeded with {@link #seed()} on first use. Use it only on this worker's thread. */
    public Generator generator() {
        if (generator == null) generator = new Generator(seed);
        return generator;
    }

    void release() {
        if (generator != null) {
            generator.nativeGenerator().close();
            generator = null;
        }
    }

    @Override
    public String toString() { return "WorkerInfo(id=" + id + ", numWorkers=" + numWorkers + ", seed=" + seed + ")"; }
}
