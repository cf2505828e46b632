package dev.wick.data;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The worker threads of a loader: one thread and one task queue per worker. Tasks are sent round-robin
 * by the consuming thread; each worker runs its queue in order. Holds the {@link Fetcher}, never the
 * loader, so an abandoned loader or iterator can be cleaned while workers are alive.
 */
final class WorkerPool {
    private static final Object POISON = new Object();

    /**
     * One batch to load for a pass. {@code indices} is null for an iterable data set; {@code skip} (only
     * then) reads the batch's samples and discards them (a pass started at a later batch).
     */
    record Task(Pass pass, List<Integer> indices, boolean skip, Slot slot) {}

    private final Fetcher<?> fetcher;
    private final Worker[] workers;
    private volatile boolean closed;

    WorkerPool(Fetcher<?> fetcher, int numWorkers, long baseSeed, IntConsumer workerInitFn, String name) {
        this.fetcher = fetcher;
        this.workers = new Worker[numWorkers];
        for (int i = 0; i < numWorkers; i++) {
            workers[i] = new Worker(i, new WorkerInfo(i, numWorkers, baseSeed + i, fetcher.dataset()), workerInitFn);
            Thread t = new Thread(workers[i], name + "-worker-" + i);
            t.setDaemon(true);
            workers[i].thread = t;
        }
        for (Worker w : workers) w.thread.start();
    }

    int size() { return workers.length; }

    void submit(int worker, Task task) {
        if (closed) { task.slot().cancel(); return; }
        workers[worker].queue.add(task);
    }

    boolean closed() { return closed; }

    /** Number of worker threads still running. */
    int aliveThreads() {
        int n = 0;
        for (Worker w : workers) if (w.thread.isAlive()) n++;
        return n;
    }

    /**
     * Stops the workers: queued tasks are cancelled, each worker ends after its current task. With
     * {@code wait}, joins them; a worker still busy after a second is interrupted (a data set sleeping
     * or blocked in a read), then waited for one more second.
     */
    void shutdown(boolean wait) {
        if (!closed) {
            closed = true;
            for (Worker w : workers) {
                Object o;
                while ((o = w.queue.poll()) != null) if (o instanceof Task t) t.slot().cancel();
                w.queue.add(POISON);
            }
        }
        if (!wait) return;
        if (!join(1000)) {
            for (Worker w : workers) if (w.thread.isAlive()) w.thread.interrupt();
            join(1000);
        }
    }

    private boolean join(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Worker w : workers) {
            long left = deadline - System.nanoTime();
            if (w.thread == Thread.currentThread()) continue;
            try {
                if (left > 0) w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (w.thread.isAlive()) return false;
        }
        return true;
    }

    private final class Worker implements Runnable {
        final int id;
        final WorkerInfo info;
        final IntConsumer initFn;
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Thread thread;
        Throwable initError;
        Pass iterPass;                          // the pass iterState belongs to
        Fetcher.IterState<?> iterState;

        Worker(int id, WorkerInfo info, IntConsumer initFn) {
            this.id = id;
            this.info = info;
            this.initFn = initFn;
        }

        @Override
        public void run() {
            DataLoader.WORKER_INFO.set(info);
            try {
                if (initFn != null) {
                    try {
                        initFn.accept(id);
                    } catch (Throwable e) {
                        initError = e;
                    }
                }
                while (true) {
                    Object o = queue.take();
                    if (o == POISON) break;
                    Task task = (Task) o;
                    if (closed || task.pass().cancelled()) { task.slot().cancel(); continue; }
                    runTask(task);
                }
            } catch (InterruptedException e) {
                // shut down while waiting for work
            } finally {
                Object o;
                while ((o = queue.poll()) != null) if (o instanceof Task t) t.slot().cancel();
                info.release();
                DataLoader.WORKER_INFO.remove();
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void runTask(Task task) {
            if (initError != null) {
                task.slot().fail(new WorkerException(id, task.indices(), null, "running workerInitFn before loading", initError));
                return;
            }
            Pass pass = task.pass();
            try {
                Fetcher.Handover h;
                if (task.indices() != null) {
                    h = fetcher.fetchMap(task.indices(), id, pass.seed(), pass.epoch());
                } else {
                    if (iterPass != pass) { iterPass = pass; iterState = new Fetcher.IterState<>(); }
                    h = task.skip() ? ((Fetcher) fetcher).skipIterable(iterState, id, pass.seed(), pass.epoch())
                                    : ((Fetcher) fetcher).fetchIterable(iterState, id, pass.seed(), pass.epoch());
                }
                if (closed || pass.cancelled()) { Slot.free(h); task.slot().cancel(); }
                else task.slot().complete(h);
            } catch (WorkerException e) {
                task.slot().fail(e);
            } catch (Throwable e) {
                task.slot().fail(new WorkerException(id, task.indices(), null, "loading", e));
            }
        }
    }
}
