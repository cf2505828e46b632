package dev.wick.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import dev.wick.tensor.Device;
import dev.wick.tensor.Generator;

/**
 * Iterates a data set in batches, as PyTorch's {@code torch.utils.data.DataLoader}, with worker
 * threads instead of worker processes.
 *
 * <pre>{@code
 * try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(train)
 *         .batchSize(128).shuffle(true).numWorkers(2).generator(new Generator(0)).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Example<Tensor, Tensor> batch : loader) {       // input [128, C, H, W], target [128]
 *             try (Scope step = Scope.open()) {
 *                 Batches.adopt(step, batch);                   // freed with the step
 *                 ...
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Options (PyTorch's, with its defaults and rules)</h2>
 * <ul>
 *   <li>{@code batchSize} 1; {@code null} turns automatic batching off (each sample is yielded as is).</li>
 *   <li>{@code shuffle} false; true draws a new order each epoch ({@link RandomSampler} over the data
 *       set, driven by {@code generator}). Exclusive with {@code sampler}.</li>
 *   <li>{@code sampler}: the index order; {@code batchSampler}: whole batches of indices, exclusive with
 *       {@code batchSize} (other than 1), {@code shuffle}, {@code sampler} and {@code dropLast}.</li>
 *   <li>{@code numWorkers} 0 (load on the calling thread); N loads on N worker threads, each running
 *       up to {@code prefetchFactor} (default 2; an error to set with 0 workers) batches ahead.</li>
 *   <li>{@code collateFn}: {@link Collate#defaultCollate} by default.</li>
 *   <li>{@code dropLast} false; {@code timeout} 0 seconds = wait forever (only with workers, as PyTorch);
 *       when exceeded, a {@link DataLoaderTimeoutException} names the worker and the seconds.</li>
 *   <li>{@code workerInitFn}: called once in each worker thread with its id, after its seed is set
 *       and before it loads anything.</li>
 *   <li>{@code generator}: drives the random sampler and the workers' base seed; null uses libtorch's
 *       global generator (what {@code Engine.manualSeed} seeds).</li>
 *   <li>{@code persistentWorkers} false: true keeps the workers between epochs (needs workers).</li>
 *   <li>{@code pinMemory} false / {@code pinMemoryDevice} "": pinned host memory for faster copies to
 *       an accelerator; on a machine without one, a one-time warning and nothing else, as PyTorch.</li>
 * </ul>
 * Every rule is checked by {@link Builder#build()}, with a message naming the options involved.
 *
 * <h2>Order and randomness</h2>
 * Batches come in sampler order whatever the number of workers. Each pass (epoch) draws PyTorch's base
 * seed {@code torch.empty((), int64).random_(generator)} first, then the sampler draws its order, so with
 * the same generator seed the index lists equal PyTorch 1.13's. Per-sample augmentation draws from
 * {@link SampleRandom#current()}, a stream keyed by (seed, epoch, sample index): the batches are the
 * same, bit for bit, with 0, 1 or N workers. The seed is {@link Builder#seed(long)} if given, else the
 * generator's initial seed (the global generator's when none). The epoch counts passes from 0;
 * {@link #setEpoch(int)} sets it, e.g. when resuming (restore the generator's state too), and
 * {@link #iterator(int)} starts a pass at a given batch without loading the ones before it.
 *
 * <h2>Iterable data sets</h2>
 * Each worker iterates its own {@link IterableDataset#iterator()}; without sharding (see
 * {@link #getWorkerInfo()}) N workers yield every sample N times, as in PyTorch. Each worker makes its
 * own batches ({@code dropLast} applies per worker); batches are taken from the workers in turn.
 * Per-sample randomness is keyed by (seed, epoch, worker id, position in that worker's stream).
 *
 * <h2>Memory and threads</h2>
 * A batch is made on a worker thread inside a scope there; its own tensors are handed to the consumer
 * and everything else made while loading (per-sample tensors) is freed at once. When {@code next()} is
 * called with a {@link dev.wick.tensor.Scope} open on the consuming thread, the batch's tensors join
 * that scope; otherwise the garbage collector owns them until someone adopts them
 * ({@link Batches#adopt}). A for-each loop calls {@code next()} before its body opens a scope, so adopt
 * there. Tensors the data set itself owns and returns unchanged are never adopted.
 * <p>Workers are daemon threads. They stop when a pass ends, when an iterator is closed
 * ({@link BatchIterator#close()}), when an exception ends the pass, when the loader is closed, and when an
 * abandoned iterator (a loop left by {@code break}) is garbage collected; batches loaded but never
 * taken are freed then. Close the loader (try-with-resources) to release everything at once.
 * <p>A worker's exception reaches the consumer as a {@link WorkerException} naming the worker, the
 * batch's sample indices and, as its cause, the original exception.
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
public final class DataLoader<T, B> implements Iterable<B>, AutoCloseable {
    static final ThreadLocal<WorkerInfo> WORKER_INFO = new ThreadLocal<>();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final AtomicBoolean PIN_WARNED = new AtomicBoolean();
    static volatile Consumer<String> warnings = msg -> System.getLogger(DataLoader.class.getName()).log(System.Logger.Level.WARNING, msg);

    private final Fetcher<T> fetcher;
    private final Dataset<T> mapDataset;
    private final IterableDataset<T> iterDataset;
    private final Integer batchSize;
    private final boolean dropLast;
    private final Sampler<Integer> sampler;
    private final Sampler<List<Integer>> batchSampler;
    private final int numWorkers;
    private final double timeout;
    private final IntConsumer workerInitFn;
    private final Generator generator;
    private final int prefetchFactor;
    private final boolean persistentWorkers;
    private final Long seed;
    private final String name;

    private final Set<Pass> live = ConcurrentHashMap.newKeySet();
    private final PoolHolder persistent = new PoolHolder();
    private int nextEpoch;
    private Long persistentBaseSeed;
    private Pass persistentPass;
    private volatile boolean closed;

    /** The persistent workers, reachable from the loader's cleaner without the loader. */
    private static final class PoolHolder implements Runnable {
        volatile WorkerPool pool;
        @Override public void run() { WorkerPool p = pool; if (p != null) p.shutdown(false); }
    }

    private DataLoader(Builder<T, ?> b) {
        this.mapDataset = b.mapDataset;
        this.iterDataset = b.iterDataset;
        this.numWorkers = b.numWorkers;
        this.timeout = b.timeout;
        this.workerInitFn = b.workerInitFn;
        this.generator = b.generator;
        this.persistentWorkers = b.persistentWorkers;
        this.seed = b.seed;
        this.prefetchFactor = b.prefetchFactor == null ? 2 : b.prefetchFactor;
        this.name = "wick-data-" + IDS.incrementAndGet();

        Sampler<Integer> s = b.sampler;
        Sampler<List<Integer>> bs = b.batchSampler;
        Integer batch = b.batchSize;
        boolean drop = b.dropLast;
        if (bs != null) { batch = null; drop = false; }
        if (mapDataset != null && s == null) {
            if (b.shuffle) {
                try {
                    s = new RandomSampler(mapDataset.size(), generator);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("shuffle=true needs a non-empty data set: " + e.getMessage(), e);
                }
            } else {
                s = new SequentialSampler(mapDataset.size());
            }
        }
        if (mapDataset != null && batch != null && bs == null) bs = new BatchSampler(s, batch, drop);
        this.sampler = s;
        this.batchSampler = bs;
        this.batchSize = batch;
        this.dropLast = drop;
        boolean autoCollation = bs != null || (iterDataset != null && batch != null);

        boolean pin = false;
        if (b.pinMemoryDevice.isEmpty()) {
            pin = b.pinMemory && Device.cudaAvailable();
            if (b.pinMemory && !pin && PIN_WARNED.compareAndSet(false, true))
                warnings.accept("pinMemory is set but no accelerator is found; pinned memory won't be used");
        } else {
            if (!b.pinMemory)
                warnings.accept("pinMemoryDevice is set but pinMemory is false, so pinned memory won't be used; set pinMemory(true) to use it");
            pin = b.pinMemory && Device.cudaAvailable();
            if (b.pinMemory && !pin && PIN_WARNED.compareAndSet(false, true))
                warnings.accept("pinMemory is set but no accelerator is found; pinned memory won't be used");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (numWorkers > cpus)
            warnings.accept("This DataLoader will create " + numWorkers + " worker threads in total, but this machine has "
                    + cpus + " cores; too many workers make loading slower, not faster");

        @SuppressWarnings("unchecked")
        Collator<T, ?> collate = (Collator<T, ?>) b.collateFn;
        boolean defaultCollate = collate == null && autoCollation;
        if (defaultCollate) collate = Collate.defaultCollator();
        this.fetcher = new Fetcher<>(mapDataset, iterDataset, autoCollation, batch == null ? 1 : batch, drop, collate,
                defaultCollate, pin);
        CLEANER.register(this, persistent);
    }

    // ------------------------------------------------------------------ construction

    /** A builder for a map-style data set. */
    public static <T> Builder<T, Object> builder(Dataset<T> dataset) {
        if (dataset == null) throw new IllegalArgumentException("dataset must not be null");
        return new Builder<>(dataset, null);
    }

    /** A builder for an iterable data set (no shuffle, sampler or batchSampler). */
    public static <T> Builder<T, Object> builder(IterableDataset<T> dataset) {
        if (dataset == null) throw new IllegalArgumentException("dataset must not be null");
        return new Builder<>(null, dataset);
    }

    /**
     * The options of a {@link DataLoader}; each setter checks its own value, {@link #build()} checks
     * how they combine.
     *
     * @param <T> the sample type
     * @param <B> the batch type ({@code Object} until {@link #collateFn} gives one)
     */
    public static final class Builder<T, B> {
        private final Dataset<T> mapDataset;
        private final IterableDataset<T> iterDataset;
        private Integer batchSize = 1;
        private boolean shuffle;
        private Sampler<Integer> sampler;
        private Sampler<List<Integer>> batchSampler;
        private int numWorkers;
        private Collator<? super T, ?> collateFn;
        private boolean pinMemory;
        private boolean dropLast;
        private double timeout;
        private IntConsumer workerInitFn;
        private Generator generator;
        private Integer prefetchFactor;
        private boolean persistentWorkers;
        private String pinMemoryDevice = "";
        private Long seed;

        private Builder(Dataset<T> mapDataset, IterableDataset<T> iterDataset) {
            this.mapDataset = mapDataset;
            this.iterDataset = iterDataset;
        }

        @SuppressWarnings("unchecked")
        private <R> Builder<T, R> self() { return (Builder<T, R>) this; }

        /** Samples per batch (default 1); null turns automatic batching off. */
        public Builder<T, B> batchSize(Integer batchSize) {
            if (batchSize != null && batchSize <= 0)
                throw new IllegalArgumentException("Invalid batchSize: " + batchSize + " (must be > 0, or null to turn automatic batching off)");
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the samples every epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) { this.shuffle = shuffle; return this; }

        /** The order of the indices (exclusive with shuffle). */
        public Builder<T, B> sampler(Sampler<Integer> sampler) { this.sampler = sampler; return this; }

        /** Whole batches of indices (exclusive with batchSize, shuffle, sampler and dropLast). */
        public Builder<T, B> batchSampler(Sampler<List<Integer>> batchSampler) { this.batchSampler = batchSampler; return this; }

        /** Worker threads (default 0: load on the calling thread). */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0)
                throw new IllegalArgumentException("Invalid numWorkers: " + numWorkers + " (must be >= 0; use numWorkers=0 to load on the calling thread)");
            this.numWorkers = numWorkers;
            return this;
        }

        /** How a list of samples becomes a batch (default {@link Collate#defaultCollate}). */
        public <R> Builder<T, R> collateFn(Collator<? super T, R> collateFn) {
            if (collateFn == null) throw new IllegalArgumentException("collateFn must not be null");
            this.collateFn = collateFn;
            return self();
        }

        /** Copy batches to pinned host memory (default false; a no-op with a warning without an accelerator). */
        public Builder<T, B> pinMemory(boolean pinMemory) { this.pinMemory = pinMemory; return this; }

        /** Drop the last, incomplete batch (default false). */
        public Builder<T, B> dropLast(boolean dropLast) { this.dropLast = dropLast; return this; }

        /** Seconds to wait for a worker's batch (default 0 = forever). */
        public Builder<T, B> timeout(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds))
                throw new IllegalArgumentException("Invalid timeout: " + seconds + " (must be a finite number of seconds >= 0; 0 waits forever)");
            this.timeout = seconds;
            return this;
        }

        /** Called once in each worker with its id, after seeding, before loading. */
        public Builder<T, B> workerInitFn(IntConsumer workerInitFn) { this.workerInitFn = workerInitFn; return this; }

        /** The generator of the random sampler and the base seed (default: libtorch's global one). */
        public Builder<T, B> generator(Generator generator) { this.generator = generator; return this; }

        /** Batches in flight per worker (default 2 with workers; setting it with 0 workers is an error). */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor < 1) throw new IllegalArgumentException("Invalid prefetchFactor: " + prefetchFactor + " (must be >= 1)");
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** Keep the workers between epochs (default false; needs numWorkers > 0). */
        public Builder<T, B> persistentWorkers(boolean persistentWorkers) { this.persistentWorkers = persistentWorkers; return this; }

        /** The device to pin for, e.g. "cuda:0" (default "": the current accelerator). */
        public Builder<T, B> pinMemoryDevice(String device) {
            if (device == null) throw new IllegalArgumentException("pinMemoryDevice must not be null (use \"\" for the default)");
            if (!device.isEmpty()) Device.parse(device);
            this.pinMemoryDevice = device;
            return this;
        }

        /**
         * The seed of per-sample randomness ({@link SampleRandom}); default: the generator's initial
         * seed, or the global generator's when there is no generator. Wick only.
         */
        public Builder<T, B> seed(long seed) { this.seed = seed; return this; }

        /**
         * Checks the options together and makes the loader. The batch type {@code R} is the collate
         * function's; with the default collate it is what {@link Collate} says for the sample type,
         * named by the variable the loader is assigned to.
         */
        @SuppressWarnings("unchecked")
        public <R extends B> DataLoader<T, R> build() {
            if (iterDataset != null) {
                if (shuffle) throw new IllegalArgumentException("DataLoader with an IterableDataset: expected no shuffle option, but got shuffle=true");
                if (sampler != null) throw new IllegalArgumentException("DataLoader with an IterableDataset: expected no sampler option, but got sampler=" + sampler);
                if (batchSampler != null)
                    throw new IllegalArgumentException("DataLoader with an IterableDataset: expected no batchSampler option, but got batchSampler=" + batchSampler);
            }
            if (numWorkers == 0 && prefetchFactor != null)
                throw new IllegalArgumentException("prefetchFactor can only be set with numWorkers > 0 (got prefetchFactor="
                        + prefetchFactor + ", numWorkers=0)");
            if (persistentWorkers && numWorkers == 0)
                throw new IllegalArgumentException("persistentWorkers needs numWorkers > 0 (got persistentWorkers=true, numWorkers=0)");
            if (sampler != null && shuffle)
                throw new IllegalArgumentException("sampler is mutually exclusive with shuffle (got a sampler and shuffle=true)");
            if (batchSampler != null && (batchSize == null || batchSize != 1 || shuffle || sampler != null || dropLast)) {
                StringBuilder got = new StringBuilder();
                if (batchSize == null || batchSize != 1) got.append("batchSize=").append(batchSize).append(", ");
                if (shuffle) got.append("shuffle=true, ");
                if (sampler != null) got.append("a sampler, ");
                if (dropLast) got.append("dropLast=true, ");
                throw new IllegalArgumentException("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (got "
                        + got.substring(0, got.length() - 2) + ")");
            }
            if (batchSampler == null && batchSize == null && dropLast)
                throw new IllegalArgumentException("batchSize=null turns automatic batching off and is mutually exclusive with dropLast=true");
            return (DataLoader<T, R>) new DataLoader<>(this);
        }
    }

    // ------------------------------------------------------------------ use

    /**
     * Inside a worker thread, what it knows about itself (id, count, seed, data set); null on any other
     * thread, in particular with 0 workers (as PyTorch's {@code get_worker_info()}).
     */
    public static WorkerInfo getWorkerInfo() { return WORKER_INFO.get(); }

    /**
     * The number of batches of one pass: from the batch sampler (or the sampler without automatic
     * batching); for an iterable data set, from its {@link IterableDataset#size()}, which must be
     * known. As in PyTorch, an unsharded iterable data set read by N workers yields N times more.
     */
    public int size() {
        if (mapDataset != null) return batchSampler != null ? batchSampler.size() : sampler.size();
        OptionalInt n = iterDataset.size();
        if (n.isEmpty())
            throw new UnsupportedOperationException("size(): the IterableDataset does not report its size (IterableDataset.size() is empty)");
        if (batchSize == null) return n.getAsInt();
        return dropLast ? n.getAsInt() / batchSize : (int) (((long) n.getAsInt() + batchSize - 1) / batchSize);
    }

    /**
     * Sets the epoch of the next pass (later passes count up from it): it keys per-sample randomness,
     * and a {@link DistributedSampler} (as the sampler, or inside the batch sampler) gets it too.
     */
    public void setEpoch(int epoch) {
        this.nextEpoch = epoch;
        syncSamplerEpoch(epoch);
    }

    /**
     * NOTE [sampler epoch]: the loader owns a {@link DistributedSampler}'s epoch: every pass sets it to
     * the pass's epoch, so a plain {@code for} over epochs reshuffles per rank as PyTorch's
     * {@code sampler.set_epoch(epoch)} does, without the call.
     */
    private void syncSamplerEpoch(int epoch) {
        if (sampler instanceof DistributedSampler d) d.setEpoch(epoch);
        if (batchSampler instanceof BatchSampler b && b.sampler() instanceof DistributedSampler d) d.setEpoch(epoch);
    }

    /** The epoch the next pass will have. */
    public int nextEpoch() { return nextEpoch; }

    public Object dataset() { return mapDataset != null ? mapDataset : iterDataset; }
    public Integer batchSize() { return batchSize; }
    public boolean dropLast() { return dropLast; }
    public int numWorkers() { return numWorkers; }
    public int prefetchFactor() { return prefetchFactor; }
    public double timeout() { return timeout; }
    public boolean persistentWorkers() { return persistentWorkers; }
    public Generator generator() { return generator; }
    /** The index sampler (null for an iterable data set or with a custom batch sampler only). */
    public Sampler<Integer> sampler() { return sampler; }
    /** The batch sampler (null without automatic batching and for iterable data sets). */
    public Sampler<List<Integer>> batchSampler() { return batchSampler; }

    /**
     * An iterator over the batches of {@code B}; closing it (or dropping it: a cleaner does it then)
     * stops its workers and frees the batches loaded ahead.
     */
    public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {
        @Override void close();
    }

    /** Starts a pass (an epoch): see the class doc for what it draws and which threads it starts. */
    @Override
    public BatchIterator<B> iterator() { return iterator(0); }

    /**
     * Starts a pass (an epoch) at batch {@code startBatch}: the pass is the one {@link #iterator()} would
     * start, less its first {@code startBatch} batches, which are never loaded. For resuming mid-epoch.
     *
     * <pre>{@code
     * generator.setState(stateAtEpochStart);        // as it was when the interrupted pass started
     * loader.setEpoch(epoch);
     * try (var batches = loader.iterator(batchesDone)) {
     *     while (batches.hasNext()) train(batches.next());   // batch batchesDone, batchesDone + 1, ...
     * }
     * }</pre>
     *
     * <p>What is the same as in a full pass: the base seed and the sampler's order are drawn exactly as
     * for a full pass (the sampler is advanced past the skipped batches' indices, so its generator is
     * consumed as far as if they had been taken), so the batches from {@code startBatch} on, the
     * generator's state and everything drawn after are identical; per-sample randomness (keyed by
     * seed, epoch and index) is untouched; batch {@code k} of a map-style data set goes to the worker
     * that would have loaded it ({@code k mod numWorkers}); {@link #size()} still counts the whole pass. What differs: the skipped
     * batches' samples are not read (no {@link Dataset#get}, transform, collate), and the workers start
     * prefetching at batch {@code startBatch}.
     *
     * <p>An {@link IterableDataset} has no indices, so its skipped batches are read from its
     * iterator(s) and thrown away, without collating (samples are consumed, with the
     * {@link SampleRandom} each would have had): cheaper than loading, not free. With workers, a batch a
     * worker reads after another worker's stream ended can still be loaded in full and discarded. If
     * the data set runs out first, the pass yields nothing.
     *
     * @param startBatch the first batch to yield, {@code 0 <= startBatch <= size()} ({@code size()}:
     *                   a pass with no batches; for an iterable data set of unknown size, any
     *                   {@code startBatch >= 0})
     * @throws IllegalArgumentException naming {@code startBatch} and {@code size()} when out of range;
     *                   nothing is drawn and the epoch does not advance then
     */
    public BatchIterator<B> iterator(int startBatch) {
        if (closed) throw new IllegalStateException("DataLoader is closed");
        checkStartBatch(startBatch);
        int epoch = nextEpoch++;
        syncSamplerEpoch(epoch);
        if (persistentWorkers && persistentPass != null) persistentPass.shutdown(false);
        long baseSeed;
        if (persistentWorkers && persistentBaseSeed != null) {
            baseSeed = persistentBaseSeed;
        } else {
            baseSeed = Draws.int64(generator);
            if (persistentWorkers) persistentBaseSeed = baseSeed;
        }
        long sampleSeed = seed != null ? seed : Draws.initialSeed(generator);
        Iterator<List<Integer>> indices = null;
        if (mapDataset != null) {
            if (batchSampler != null) indices = batchSampler.iterator();
            else {
                Iterator<Integer> it = sampler.iterator();
                indices = new Iterator<>() {
                    @Override public boolean hasNext() { return it.hasNext(); }
                    @Override public List<Integer> next() { return List.of(it.next()); }
                };
            }
        }
        WorkerPool pool = null;
        boolean ownsPool = false;
        if (numWorkers > 0) {
            if (persistentWorkers) {
                pool = persistent.pool;
                if (pool == null) persistent.pool = pool = new WorkerPool(fetcher, numWorkers, baseSeed, workerInitFn, name);
            } else {
                pool = new WorkerPool(fetcher, numWorkers, baseSeed, workerInitFn, name + "-epoch-" + epoch);
                ownsPool = true;
            }
        }
        Pass[] self = new Pass[1];
        Set<Pass> liveSet = live;                          // not `this`: workers must not keep the loader reachable
        Pass pass = new Pass(fetcher, epoch, sampleSeed, pool, ownsPool, indices, startBatch, prefetchFactor, timeout, () -> {
            if (self[0] != null) liveSet.remove(self[0]);
        });
        self[0] = pass;
        live.add(pass);
        if (persistentWorkers) persistentPass = pass;
        PassIterator<B> it = new PassIterator<>(pass);
        CLEANER.register(it, () -> pass.shutdown(false));
        return it;
    }

    private void checkStartBatch(int startBatch) {
        if (startBatch == 0) return;                       // iterator(): never asks a sampler or data set for its size
        OptionalInt known = mapDataset != null || iterDataset.size().isPresent() ? OptionalInt.of(size()) : OptionalInt.empty();
        if (startBatch < 0 || (known.isPresent() && startBatch > known.getAsInt()))
            throw new IllegalArgumentException("Invalid startBatch: " + startBatch + (known.isPresent()
                    ? " (must be in [0, size()] = [0, " + known.getAsInt() + "])"
                    : " (must be >= 0; the IterableDataset does not report its size)"));
    }

    private static final class PassIterator<B> implements BatchIterator<B> {
        private final Pass pass;
        PassIterator(Pass pass) { this.pass = pass; }
        @Override public boolean hasNext() { return pass.hasNext(); }
        @SuppressWarnings("unchecked")
        @Override public B next() { return (B) pass.next(); }
        @Override public void close() { pass.shutdown(true); }
    }

    /**
     * Stops every worker of this loader (persistent ones included) and frees the batches loaded but not
     * taken. Idempotent; the loader cannot be iterated afterwards.
     */
    @Override
    public void close() {
        closed = true;
        for (Pass p : live) p.shutdown(true);
        WorkerPool p = persistent.pool;
        persistent.pool = null;
        if (p != null) p.shutdown(true);
    }

    @Override
    public String toString() {
        return "DataLoader(" + (mapDataset != null ? "map-style, " + mapDataset.size() + " samples" : "iterable")
                + ", batchSize=" + batchSize + ", numWorkers=" + numWorkers + ", dropLast=" + dropLast + ")";
    }
}
