package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Worker threads: order, errors, timeout, early exit, shutdown (threads and native memory), init, iterables. */
class DataLoaderWorkersTest {

    static int loaderThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith("wick-data-")) n++;
        return n;
    }

    static void awaitLoaderThreads(int expected, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (loaderThreads() != expected && System.currentTimeMillis() < end) Thread.sleep(20);
        assertEquals(expected, loaderThreads(), "loader threads");
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        throw new IllegalStateException("no VmRSS");
    }

    /** Sample i is a float tensor filled with i; optionally slow or failing at chosen indices. */
    static Dataset<Example<Tensor, Long>> filled(int n, long[] shape, int failAt, int slowAt, long slowMillis) {
        return new Dataset<>() {
            public Example<Tensor, Long> get(int i) {
                if (i == failAt) throw new IllegalStateException("bad sample " + i);
                if (i == slowAt) {
                    try { Thread.sleep(slowMillis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
                return new Example<>(Tensor.full(i, shape), (long) i);
            }
            public int size() { return n; }
        };
    }

    @Test
    void batchesArriveInSamplerOrderEvenWhenAWorkerIsSlow() {
        // batch 0 (worker 0) is slow: batches 1..3 are ready first but must wait their turn
        var ds = filled(40, new long[]{2}, -1, 0, 300);
        try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader =
                     DataLoader.builder(ds).batchSize(4).numWorkers(3).prefetchFactor(3).build();
             Scope s = Scope.open()) {
            long expect = 0;
            for (Example<Tensor, Tensor> b : loader)
                for (long t : b.target().toLongArray()) assertEquals(expect++, t);
            assertEquals(40, expect);
        }
    }

    @Test
    void aWorkersExceptionNamesTheWorkerTheIndicesAndKeepsTheCause() throws Exception {
        int before = loaderThreads();
        var ds = filled(64, new long[]{2}, 13, -1, 0);
        DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(ds).batchSize(4).numWorkers(2).build();
        List<Integer> seen = new ArrayList<>();
        WorkerException e = assertThrows(WorkerException.class, () -> {
            for (Example<Tensor, Tensor> b : loader) for (long t : b.target().toLongArray()) seen.add((int) t);
        });
        // index 13 is in batch 3 = [12, 13, 14, 15], which went to worker 3 % 2 = 1
        assertEquals(1, e.workerId());
        assertEquals(List.of(12, 13, 14, 15), e.indices());
        assertEquals(13, e.failedIndex());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("bad sample 13", cause.getMessage());
        assertEquals("Caught IllegalStateException in DataLoader worker 1 while loading sample 13 of the batch with sample indices "
                + "[12, 13, 14, 15]: bad sample 13", e.getMessage());
        assertEquals(12, seen.size(), "the batches before the failing one were delivered in order");
        awaitLoaderThreads(before, 3000);                    // the exception shut the workers down
        loader.close();
    }

    @Test
    void withoutWorkersTheExceptionNamesTheCallingThread() {
        var ds = filled(8, new long[]{2}, 5, -1, 0);
        try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(ds).batchSize(3).build()) {
            WorkerException e = assertThrows(WorkerException.class, () -> { for (var b : loader) { } });
            assertEquals(-1, e.workerId());
            assertEquals(List.of(3, 4, 5), e.indices());
            assertTrue(e.getMessage().startsWith("Caught IllegalStateException in the calling thread (numWorkers=0) while loading sample 5"),
                    e.getMessage());
        }
    }

    @Test
    void aCollateExceptionIsReportedToo() {
        Collator<Example<Tensor, Long>, Object> bad = samples -> { throw new ArithmeticException("collate broke"); };
        try (DataLoader<Example<Tensor, Long>, Object> loader =
                     DataLoader.builder(filled(8, new long[]{2}, -1, -1, 0)).batchSize(4).numWorkers(1).collateFn(bad).build()) {
            WorkerException e = assertThrows(WorkerException.class, () -> loader.iterator().next());
            assertEquals(0, e.workerId());
            assertNull(e.failedIndex());
            assertTrue(e.getMessage().contains("while collating the batch with sample indices [0, 1, 2, 3]: collate broke"), e.getMessage());
        }
    }

    @Test
    void aTimeoutNamesTheWorkerAndTheSecondsAndStopsTheWorkers() throws Exception {
        int before = loaderThreads();
        var ds = filled(16, new long[]{2}, -1, 5, 5000);         // sample 5 is in batch 1 -> worker 1
        DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader =
                DataLoader.builder(ds).batchSize(4).numWorkers(2).timeout(0.3).build();
        Iterator<Example<Tensor, Tensor>> it = loader.iterator();
        it.next();
        long t0 = System.nanoTime();
        DataLoaderTimeoutException e = assertThrows(DataLoaderTimeoutException.class, it::next);
        double waited = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, e.workerId());
        assertEquals(0.3, e.seconds());
        assertEquals("DataLoader timed out after 0.3 seconds waiting for worker 1 to deliver batch 1", e.getMessage());
        assertTrue(waited >= 0.3 && waited < 4.5, "waited " + waited + " s");  // the sleeping worker was interrupted
        awaitLoaderThreads(before, 3000);
        loader.close();
    }

    @Test
    void breakingOutEarlyThenClosingLeavesNoThreadsAndNoNativeMemory() throws Exception {
        int threadsBefore = loaderThreads();
        long gcBefore = Scope.gcOwnedLive();
        // 4 workers x prefetch 2 = 8 batches of 32 x [3, 64, 64] float (1.5 MiB each) loaded ahead per pass
        var ds = filled(4096, new long[]{3, 64, 64}, -1, -1, 0);
        long rssBefore = rssKb();
        for (int round = 0; round < 40; round++) {
            try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader =
                         DataLoader.builder(ds).batchSize(32).shuffle(true).numWorkers(4).build()) {
                int k = 0;
                for (Example<Tensor, Tensor> b : loader) {
                    Batches.close(b);                            // what we take, we free
                    if (++k == 2) break;
                }
                assertTrue(loaderThreads() >= threadsBefore + 1, "workers still up before close");
            }
            assertEquals(threadsBefore, loaderThreads(), "round " + round + ": close() joined the workers");
        }
        long grownMb = (rssKb() - rssBefore) / 1024;
        // 40 rounds x ~8 unread batches x 1.5 MiB = 480 MiB if the loaded-ahead batches leaked
        assertTrue(grownMb < 150, "RSS grew by " + grownMb + " MiB");
        // ~640 batch tensors would still be GC-owned if close() had not freed them (the GC may free others meanwhile)
        assertTrue(Scope.gcOwnedLive() <= gcBefore + 8, "GC-owned tensors: " + gcBefore + " before, " + Scope.gcOwnedLive() + " after");
    }

    @Test
    void closingTheIteratorStopsItsWorkers() throws Exception {
        int before = loaderThreads();
        var loader = DataLoader.builder(filled(100, new long[]{2}, -1, -1, 0)).batchSize(4).numWorkers(2).build();
        var it = loader.iterator();
        it.next();
        assertEquals(before + 2, loaderThreads());
        it.close();
        assertEquals(before, loaderThreads());
        assertFalse(it.hasNext());
        loader.close();
        assertThrows(IllegalStateException.class, loader::iterator);
    }

    @Test
    void anAbandonedIteratorIsShutDownByTheGarbageCollector() throws Exception {
        int before = loaderThreads();
        var loader = DataLoader.builder(filled(100, new long[]{2}, -1, -1, 0)).batchSize(4).numWorkers(2).build();
        breakEarly(loader);
        assertEquals(before + 2, loaderThreads());
        long end = System.currentTimeMillis() + 10_000;
        while (loaderThreads() > before && System.currentTimeMillis() < end) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(before, loaderThreads(), "the cleaner stopped the workers of the dropped iterator");
        loader.close();
    }

    private static void breakEarly(DataLoader<Example<Tensor, Long>, Object> loader) {
        for (Object b : loader) {
            Batches.close(b);
            break;
        }
    }

    @Test
    void workerInitFnRunsOncePerWorkerAfterSeedingBeforeLoading() {
        List<String> events = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> seeds = new ConcurrentHashMap<>();
        Dataset<Integer> ds = new Dataset<>() {
            public Integer get(int i) {
                events.add("get" + DataLoader.getWorkerInfo().id());
                return i;
            }
            public int size() { return 24; }
        };
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(ds).batchSize(4).numWorkers(3)
                .workerInitFn(id -> {
                    WorkerInfo w = DataLoader.getWorkerInfo();
                    seeds.put(id, w.seed());
                    assertEquals(id, w.id());
                    assertEquals(3, w.numWorkers());
                    assertSame(ds, w.dataset());
                    events.add("init" + id);
                }).build();
             Scope s = Scope.open()) {
            for (Tensor b : loader) { }
            for (Tensor b : loader) { }
        }
        // non-persistent workers start afresh each epoch: 3 inits per epoch, each before that worker's gets
        assertEquals(6, events.stream().filter(e -> e.startsWith("init")).count());
        for (int w = 0; w < 3; w++) {
            int first = events.indexOf("init" + w), firstGet = events.indexOf("get" + w);
            assertTrue(first >= 0 && first < firstGet, events.toString());
        }
        // seeds are baseSeed + id
        assertEquals(seeds.get(0) + 1, seeds.get(1));
        assertEquals(seeds.get(0) + 2, seeds.get(2));
        assertNull(DataLoader.getWorkerInfo(), "no WorkerInfo on the calling thread");
    }

    @Test
    void persistentWorkersSurviveBetweenEpochs() throws Exception {
        int before = loaderThreads();
        AtomicInteger inits = new AtomicInteger();
        Set<String> names = ConcurrentHashMap.newKeySet();
        Dataset<Integer> ds = new Dataset<>() {
            public Integer get(int i) { names.add(Thread.currentThread().getName()); return i; }
            public int size() { return 20; }
        };
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(ds).batchSize(5).numWorkers(2).persistentWorkers(true)
                .workerInitFn(id -> inits.incrementAndGet()).build();
             Scope s = Scope.open()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                int n = 0;
                for (Tensor b : loader) n += (int) b.size(0);
                assertEquals(20, n);
                assertEquals(before + 2, loaderThreads(), "workers alive between epochs");
            }
            // an epoch left early: the next one starts cleanly on the same workers
            var it = loader.iterator();
            it.next();
            int n = 0;
            for (Tensor b : loader) n += (int) b.size(0);
            assertEquals(20, n);
        }
        assertEquals(2, inits.get(), "workerInitFn ran once per worker, not per epoch");
        assertEquals(2, names.size(), "the same two threads loaded every epoch: " + names);
        awaitLoaderThreads(before, 3000);
    }

    /** An iterable data set of 0..n-1, sharded by worker when asked. */
    static IterableDataset<Integer> stream(int n, boolean shard, boolean knownSize) {
        return new IterableDataset<>() {
            public Iterator<Integer> iterator() {
                WorkerInfo w = DataLoader.getWorkerInfo();
                int start = shard && w != null ? w.id() : 0, step = shard && w != null ? w.numWorkers() : 1;
                List<Integer> out = new ArrayList<>();
                for (int i = start; i < n; i += step) out.add(i);
                return out.iterator();
            }
            public OptionalInt size() { return knownSize ? OptionalInt.of(n) : OptionalInt.empty(); }
        };
    }

    static List<Integer> flatten(DataLoader<Integer, Tensor> loader) {
        List<Integer> out = new ArrayList<>();
        for (Tensor b : loader) for (long v : b.toLongArray()) out.add((int) v);
        return out;
    }

    @Test
    void iterableDatasetsCopyPerWorkerUnlessSharded() {
        try (Scope s = Scope.open()) {
            try (DataLoader<Integer, Tensor> loader = DataLoader.builder(stream(10, false, true)).batchSize(3).numWorkers(2).build()) {
                List<Integer> all = flatten(loader);
                assertEquals(20, all.size(), "2 workers, unsharded: every sample twice, as in PyTorch");
                // batches alternate between the workers: w0 [0,1,2], w1 [0,1,2], w0 [3,4,5], ...
                assertEquals(List.of(0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5), all.subList(0, 12));
                assertEquals(4, loader.size(), "size() follows PyTorch: ceil(10 / 3), whatever the workers");
            }
            try (DataLoader<Integer, Tensor> loader = DataLoader.builder(stream(10, true, true)).batchSize(3).numWorkers(2).build()) {
                List<Integer> all = flatten(loader);
                // worker 0 has 0,2,4,6,8 and worker 1 has 1,3,5,7,9, batched per worker
                assertEquals(List.of(0, 2, 4, 1, 3, 5, 6, 8, 7, 9), all);
            }
            try (DataLoader<Integer, Tensor> loader = DataLoader.builder(stream(10, true, true)).batchSize(3).dropLast(true).numWorkers(2).build()) {
                assertEquals(List.of(0, 2, 4, 1, 3, 5), flatten(loader), "dropLast applies to each worker's last batch");
                assertEquals(3, loader.size());
            }
            try (DataLoader<Integer, Tensor> loader = DataLoader.builder(stream(7, false, true)).batchSize(3).build()) {
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), flatten(loader));
            }
            try (DataLoader<Integer, Tensor> loader = DataLoader.builder(stream(7, false, false)).batchSize(3).build()) {
                var e = assertThrows(UnsupportedOperationException.class, loader::size);
                assertTrue(e.getMessage().contains("does not report its size"), e.getMessage());
            }
        }
    }

    @Test
    void theBatchJoinsTheScopeOpenAtNextOrStaysWithTheGc() {
        var ds = filled(8, new long[]{2}, -1, -1, 0);
        for (int workers : new int[]{0, 2}) {
            var b = DataLoader.builder(ds).batchSize(4);
            if (workers > 0) b.numWorkers(workers);
            try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = b.build()) {
                var it = loader.iterator();
                Example<Tensor, Tensor> inScope;
                try (Scope step = Scope.open()) {
                    inScope = it.next();
                    assertEquals(2, step.ownedCount(), "input and target joined the step's scope");
                }
                assertFalse(inScope.input().isAlive(), "freed with the scope");
                Example<Tensor, Tensor> free = it.next();        // no scope open: the GC owns it
                try (Scope other = Scope.open()) {
                    assertEquals(0, other.ownedCount());
                }
                assertTrue(free.input().isAlive());
                assertEquals(2.0 * (4 + 5 + 6 + 7), free.input().sum().item());   // batch 1: samples 4..7, 2 values each
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, free);
                }
                assertFalse(free.target().isAlive());
            }
        }
    }

    @Test
    void tensorsTheDatasetOwnsAreNeverAdopted() {
        List<Tensor> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) stored.add(Scope.outside(() -> Tensor.ones(2)));
        Dataset<Tensor> ds = new Dataset<>() {
            public Tensor get(int i) { return stored.get(i); }
            public int size() { return 3; }
        };
        try (DataLoader<Tensor, Tensor> loader = DataLoader.builder(ds).batchSize(null).numWorkers(1).build()) {
            try (Scope step = Scope.open()) {
                for (Tensor t : loader) assertTrue(stored.contains(t));
                assertEquals(0, step.ownedCount());
            }
        }
        for (Tensor t : stored) assertTrue(t.isAlive(), "the data set's tensors survive the consumer's scope");
    }

    @Test
    void pinMemoryWithoutAnAcceleratorWarnsOnceAndDoesNothing() {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        var saved = DataLoader.warnings;
        DataLoader.warnings = warnings::add;
        try {
            for (int k = 0; k < 2; k++) {
                try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader =
                             DataLoader.builder(filled(4, new long[]{2}, -1, -1, 0)).batchSize(2).pinMemory(true).build();
                     Scope s = Scope.open()) {
                    for (var b : loader) assertFalse(b.input().unwrap().is_pinned());
                }
            }
            DataLoader.builder(filled(4, new long[]{2}, -1, -1, 0)).pinMemoryDevice("cuda:0").build().close();
        } finally {
            DataLoader.warnings = saved;
        }
        long pinWarnings = warnings.stream().filter(w -> w.contains("no accelerator is found")).count();
        assertTrue(pinWarnings <= 1, "at most once per process: " + warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("pinMemoryDevice is set but pinMemory is false")), warnings.toString());
    }

    @Test
    void aUserSamplerPlugsInAndItsExceptionLeavesNoThreads() throws Exception {
        int before = loaderThreads();
        Sampler<Integer> evensFirst = new Sampler<>() {
            public Iterator<Integer> iterator() {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < 10; i += 2) order.add(i);
                for (int i = 1; i < 10; i += 2) order.add(i);
                return order.iterator();
            }
            public int size() { return 10; }
        };
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(10)).sampler(evensFirst).batchSize(4)
                .numWorkers(2).build(); Scope s = Scope.open()) {
            assertEquals(List.of(0, 2, 4, 6, 8, 1, 3, 5, 7, 9), flatten(loader));
        }
        Sampler<Integer> broken = new Sampler<>() {
            public Iterator<Integer> iterator() {
                return new Iterator<>() {
                    int k;
                    public boolean hasNext() { return true; }
                    public Integer next() {
                        if (k == 5) throw new IllegalStateException("sampler broke");
                        return k++;
                    }
                };
            }
            public int size() { return 10; }
        };
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(10)).sampler(broken).batchSize(2)
                .numWorkers(2).prefetchFactor(4).build()) {
            // priming 4 x 2 batches asks the sampler for index 5 at once: the error comes from iterator()
            var e = assertThrows(IllegalStateException.class, loader::iterator);
            assertEquals("sampler broke", e.getMessage());
        }
        awaitLoaderThreads(before, 3000);
    }
}
