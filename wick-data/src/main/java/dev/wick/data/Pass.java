package dev.wick.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * One pass (epoch) over a loader, as seen by the consuming thread: PyTorch's
 * {@code _SingleProcessDataLoaderIter} (no pool) and {@code _MultiProcessingDataLoaderIter} (a pool).
 * Batches come back in the order they were sent. Referenced by its tasks and by the loader, never by
 * the user-facing iterator's cleaner, so an abandoned iterator can shut it down.
 */
final class Pass {
    private record Pending(int worker, long index, List<Integer> indices, Slot slot) {}

    private final Fetcher<?> fetcher;
    private final int epoch;
    private final long seed;
    private final WorkerPool pool;            // null: load on the calling thread
    private final boolean ownsPool;
    private final Iterator<List<Integer>> indices;   // null for an iterable data set
    private final long timeoutNanos;
    private final double timeoutSeconds;
    private final Runnable onEnd;
    private final int startBatch;

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean cancelled;
    private Fetcher.Handover ready;
    private boolean[] active;
    private int cycle;
    private long sent;
    private int toSkip;                       // iterable data set: batches still to read and discard
    private long endsSeen;                    // iterable data set: END results received (workers done)
    private Fetcher.IterState<?> iterState;   // 0 workers, iterable data set

    /**
     * Starts the pass at batch {@code startBatch}: a map-style pass draws the skipped batches' indices
     * from {@code indices} here, before anything is sent to a worker; an iterable one reads and discards
     * them on the first {@link #hasNext()}. See NOTE [starting at batch b].
     */
    Pass(Fetcher<?> fetcher, int epoch, long seed, WorkerPool pool, boolean ownsPool, Iterator<List<Integer>> indices,
         int startBatch, int prefetchFactor, double timeoutSeconds, Runnable onEnd) {
        this.fetcher = fetcher;
        this.epoch = epoch;
        this.seed = seed;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.indices = indices;
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        this.onEnd = onEnd;
        this.startBatch = startBatch;
        try {
            if (indices != null) {
                for (int b = 0; b < startBatch && indices.hasNext(); b++) indices.next();   // drawn, never fetched
                sent = startBatch;
            } else {
                toSkip = startBatch;
            }
            if (pool != null) {
                active = new boolean[pool.size()];
                java.util.Arrays.fill(active, true);
                if (indices != null) cycle = startBatch % pool.size();    // batch k goes to worker k mod N, as in a full pass
                for (int i = 0; i < prefetchFactor * pool.size(); i++) tryPut();   // prime the prefetch loop
            } else if (indices == null) {
                iterState = new Fetcher.IterState<>();
            }
        } catch (RuntimeException | Error e) {
            shutdown(true);
            throw e;
        }
    }

    // NOTE [starting at batch b]: a map-style pass knows each batch's indices before loading it, so
    // starting at batch b only needs the sampler advanced by b batches: its random draws (made lazily,
    // as the iterator advances) are then exactly those of a full pass, and nothing is fetched. (The
    // same fast-forward that torchdata's StatefulDataLoader does on the sampler when it restores.) With
    // workers, the round-robin cycle starts at b mod N so each batch goes to the worker that would have
    // loaded it, and the prefetch loop is primed from batch b. An iterable data set has no indices: its
    // first b batches must be read. Each is read by a skip task (samples consumed, not collated) when it
    // is certain to be one of the first b: task t's batch number is t minus the END results (exhausted
    // workers) among the tasks before it, at most t - endsSeen, so a task sent while t - endsSeen < b is
    // one. A task sent later whose result still falls among the first b (a worker ran dry in between)
    // was loaded in full; it is freed like a skipped one.

    int epoch() { return epoch; }
    long seed() { return seed; }
    boolean cancelled() { return cancelled; }

    /** Sends the next batch's indices to the next active worker (PyTorch's {@code _try_put_index}). */
    private void tryPut() {
        List<Integer> idx = null;
        if (indices != null) {
            if (!indices.hasNext()) return;
            idx = indices.next();
        }
        int w = -1;
        for (int k = 0; k < active.length; k++) {
            int c = cycle;
            cycle = (cycle + 1) % active.length;
            if (active[c]) { w = c; break; }
        }
        if (w < 0) return;
        boolean skip = indices == null && sent - endsSeen < startBatch;
        Slot slot = new Slot();
        pending.add(new Pending(w, sent++, idx, slot));
        pool.submit(w, new WorkerPool.Task(this, idx, skip, slot));
    }

    boolean hasNext() {
        if (ready != null) return true;
        if (ended.get()) return false;
        try {
            while (toSkip > 0) {                           // iterable data set: read the skipped batches
                Fetcher.Handover h = pool == null ? skipHere() : receive();
                if (h == null) { end(); return false; }    // it ran out before startBatch
                Slot.free(h);
                toSkip--;
            }
            ready = pool == null ? loadHere() : receive();
        } catch (RuntimeException | Error e) {
            shutdown(true);
            throw e;
        }
        if (ready == null) { end(); return false; }
        return true;
    }

    /** The next batch; its tensors join the scope open on this thread, if any. */
    Object next() {
        if (!hasNext()) throw new NoSuchElementException("The DataLoader pass is over");
        Fetcher.Handover h = ready;
        ready = null;
        Scope scope = Scope.current();
        if (scope != null) for (Tensor t : h.produced()) if (t.isAlive()) scope.adopt(t);
        return h.batch();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Fetcher.Handover loadHere() {
        if (indices != null) {
            if (!indices.hasNext()) return null;
            return fetcher.fetchMap(indices.next(), -1, seed, epoch);
        }
        Fetcher.Handover h = ((Fetcher) fetcher).fetchIterable(iterState, -1, seed, epoch);
        return h.batch() == Fetcher.END ? null : h;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Fetcher.Handover skipHere() {
        Fetcher.Handover h = ((Fetcher) fetcher).skipIterable(iterState, -1, seed, epoch);
        return h.batch() == Fetcher.END ? null : h;
    }

    private Fetcher.Handover receive() {
        while (true) {
            Pending p = pending.peek();
            if (p == null) return null;
            boolean settled;
            try {
                settled = p.slot().await(timeoutNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataLoaderException("Interrupted while waiting for worker " + p.worker() + " to deliver batch " + p.index(), e);
            }
            if (!settled) throw new DataLoaderTimeoutException(p.worker(), p.index(), timeoutSeconds);
            pending.poll();
            Throwable err = p.slot().error();
            if (err instanceof RuntimeException re) throw re;
            if (err instanceof Error er) throw er;
            if (err != null) throw new DataLoaderException(err.toString(), err);
            Fetcher.Handover h = p.slot().result();
            if (h == null) throw new DataLoaderException("Worker " + p.worker() + " stopped before delivering batch " + p.index()
                    + " (the loader was closed)", null);
            if (h.batch() == Fetcher.END) {        // this worker's share of the iterable data set is over
                endsSeen++;
                active[p.worker()] = false;
                tryPut();
                continue;
            }
            tryPut();
            return h;
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) return;
        if (ownsPool) pool.shutdown(true);
        onEnd.run();
    }

    /**
     * Ends the pass early: batches loaded but not taken are freed, queued tasks cancelled, and the
     * workers stopped (unless they are persistent). Idempotent; safe from a cleaner thread.
     */
    void shutdown(boolean wait) {
        cancelled = true;
        if (!ended.compareAndSet(false, true)) return;
        Fetcher.Handover r = ready;
        ready = null;
        Slot.free(r);
        Pending p;
        while ((p = pending.poll()) != null) p.slot().cancel();
        if (ownsPool) pool.shutdown(wait);
        onEnd.run();
    }
}
