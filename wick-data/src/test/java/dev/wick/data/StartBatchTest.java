package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wick.data.DeterminismTest.Epoch;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code DataLoader.iterator(startBatch)}: a pass started at batch b is the tail of a full pass, bit for
 * bit, with the generator left exactly where a full pass leaves it, and the skipped batches are never
 * loaded.
 */
class StartBatchTest {
    private static final int SIZE = 7;            // 200 samples in batches of 32: 6 of 32 and one of 8

    /** Batches of an iterator: targets (sample indices) and augmented inputs, in order. */
    private static Epoch drain(Iterator<Example<Tensor, Tensor>> it) {
        Epoch ep = new Epoch(new ArrayList<>(), new ArrayList<>());
        while (it.hasNext()) {
            Example<Tensor, Tensor> b = it.next();
            try (Scope step = Scope.open()) {
                Batches.adopt(step, b);
                ep.targets().add(b.target().toLongArray());
                ep.inputs().add(b.input().toFloatArray());
            }
        }
        return ep;
    }

    private static Epoch tail(Epoch e, int from) {
        return new Epoch(e.targets().subList(from, e.targets().size()), e.inputs().subList(from, e.inputs().size()));
    }

    /** Shuffled, augmented (random crop + flip per sample), generator seed 3. */
    private static DataLoader<?, Example<Tensor, Tensor>> augmented(Generator g, int workers, boolean persistent) {
        var b = DataLoader.builder(DeterminismTest.generic()).batchSize(32).shuffle(true).generator(g);
        if (workers > 0) b.numWorkers(workers).persistentWorkers(persistent);
        return b.build();
    }

    /** Two full epochs with 0 workers, and the generator's state after each. */
    private record Reference(Epoch[] epochs, byte[][] stateAfter, byte[] stateAtEpoch1) {}

    private static Reference reference() {
        Generator g = new Generator(3);
        try (DataLoader<?, Example<Tensor, Tensor>> loader = augmented(g, 0, false)) {
            Epoch e0 = drain(loader.iterator());
            byte[] s0 = g.getState();
            Epoch e1 = drain(loader.iterator());
            return new Reference(new Epoch[] {e0, e1}, new byte[][] {s0, g.getState()}, s0);
        }
    }

    private static final Reference REF = reference();

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 1, 2})
    void aPassFromBatchBIsTheTailOfAFullPassAndTheNextEpochIsUnchanged(int workers) {
        assertEquals(SIZE, REF.epochs()[0].targets().size());
        for (int b : new int[] {3, SIZE - 1, SIZE}) {
            Generator g = new Generator(3);
            try (DataLoader<?, Example<Tensor, Tensor>> loader = augmented(g, workers, false)) {
                Epoch e0 = drain(loader.iterator(b));
                assertEquals(SIZE - b, e0.targets().size(), "batches from " + b);
                assertTrue(tail(REF.epochs()[0], b).same(e0), "epoch 0 from batch " + b + " with " + workers + " workers");
                assertArrayEquals(REF.stateAfter()[0], g.getState(), "the generator is where a full pass leaves it (b=" + b + ")");
                assertEquals(SIZE, loader.size(), "size() still counts the whole pass");
                Epoch e1 = drain(loader.iterator());
                assertTrue(REF.epochs()[1].same(e1), "the next epoch is unchanged (b=" + b + ")");
                assertArrayEquals(REF.stateAfter()[1], g.getState());
            }
        }
        // the test could fail: the two epochs differ in order and augmentation
        assertFalse(REF.epochs()[0].same(REF.epochs()[1]));
        assertFalse(Arrays.equals(REF.epochs()[0].targets().get(3), REF.epochs()[1].targets().get(3)));
    }

    @Test
    void resumingMidEpochWithPersistentWorkersGivesTheRestOfThatEpoch() {
        // what a trainer does: a fresh loader, the generator as it was when epoch 1 started, setEpoch(1)
        Generator g = new Generator(99);
        g.setState(REF.stateAtEpoch1());
        try (DataLoader<?, Example<Tensor, Tensor>> loader = augmented(g, 2, true)) {
            loader.setEpoch(1);
            Epoch rest = drain(loader.iterator(4));
            assertTrue(tail(REF.epochs()[1], 4).same(rest), "epoch 1 from batch 4, 2 persistent workers");
            assertArrayEquals(REF.stateAfter()[1], g.getState());
            assertEquals(2, loader.nextEpoch());
        }
    }

    /** Counts get() per index and records which worker (-1: the calling thread) read each sample. */
    private static final class Counting implements Dataset<Integer> {
        final Map<Integer, AtomicInteger> gets = new ConcurrentHashMap<>();
        final Map<Integer, Integer> worker = new ConcurrentHashMap<>();

        @Override public Integer get(int i) {
            gets.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
            WorkerInfo w = DataLoader.getWorkerInfo();
            worker.put(i, w == null ? -1 : w.id());
            return i;
        }

        @Override public int size() { return 50; }

        int total() { return gets.values().stream().mapToInt(AtomicInteger::get).sum(); }
    }

    private static DataLoader<Integer, Tensor> counting(Counting ds, int workers, boolean persistent) {
        var b = DataLoader.builder(ds).batchSize(5).shuffle(true).generator(new Generator(8));
        if (workers > 0) b.numWorkers(workers).persistentWorkers(persistent);
        return b.build();
    }

    private static List<long[]> batches(Iterator<Tensor> it) {
        List<long[]> out = new ArrayList<>();
        try (Scope s = Scope.open()) {
            while (it.hasNext()) out.add(it.next().toLongArray());
        }
        return out;
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 1, 2, -2})       // -2: two persistent workers
    void theSkippedBatchesAreNeverLoaded(int workers) {
        Counting fullDs = new Counting();
        List<long[]> full;
        try (DataLoader<Integer, Tensor> loader = counting(fullDs, Math.abs(workers), workers < 0)) {
            full = batches(loader.iterator());
        }
        assertEquals(10, full.size());
        assertEquals(50, fullDs.total());

        Counting ds = new Counting();
        try (DataLoader<Integer, Tensor> loader = counting(ds, Math.abs(workers), workers < 0)) {
            List<long[]> rest = batches(loader.iterator(3));          // odd: with 2 workers, batch 3 is worker 1's
            assertEquals(7, rest.size());
            for (int k = 0; k < 7; k++) assertArrayEquals(full.get(3 + k), rest.get(k), "batch " + (3 + k));
        }
        for (int k = 0; k < 3; k++)
            for (long i : full.get(k)) assertFalse(ds.gets.containsKey((int) i), "sample " + i + " of skipped batch " + k + " was loaded");
        assertEquals(35, ds.total(), "each sample of batches 3..9 loaded once, nothing else: " + ds.gets);
        for (int k = 3; k < 10; k++)
            for (long i : full.get(k))
                assertEquals(fullDs.worker.get((int) i), ds.worker.get((int) i), "batch " + k + " is loaded by the worker of a full pass");
    }

    @Test
    void startBatchIsCheckedBeforeAnythingIsDrawn() {
        Generator g = new Generator(4);
        byte[] before = g.getState();
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(new Counting()).batchSize(5).shuffle(true).generator(g).build()) {
            var e = assertThrows(IllegalArgumentException.class, () -> loader.iterator(11));
            assertEquals("Invalid startBatch: 11 (must be in [0, size()] = [0, 10])", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> loader.iterator(-1));
            assertEquals("Invalid startBatch: -1 (must be in [0, size()] = [0, 10])", e.getMessage());
            assertArrayEquals(before, g.getState(), "a rejected startBatch draws nothing");
            assertEquals(0, loader.nextEpoch(), "and does not advance the epoch");
            try (var it = loader.iterator(10)) {
                assertFalse(it.hasNext(), "startBatch == size(): an empty pass");
            }
        }
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(DataLoaderWorkersTest.stream(7, false, false)).batchSize(3).build()) {
            var e = assertThrows(IllegalArgumentException.class, () -> loader.iterator(-2));
            assertEquals("Invalid startBatch: -2 (must be >= 0; the IterableDataset does not report its size)", e.getMessage());
            try (var it = loader.iterator(5)) {
                assertFalse(it.hasNext(), "an iterable data set that runs out before startBatch gives an empty pass");
            }
        }
    }

    /** 0..n-1, sample i as i * 1000 plus a draw from its SampleRandom; worker w yields perWorker[w] samples. */
    private static IterableDataset<Long> noisyStream(int n, int[] perWorker, AtomicInteger read) {
        return new IterableDataset<>() {
            public Iterator<Long> iterator() {
                WorkerInfo w = DataLoader.getWorkerInfo();
                int count = w == null ? n : perWorker[w.id()];
                int offset = w == null ? 0 : w.id() * 100;
                return new Iterator<>() {
                    int i;
                    public boolean hasNext() { return i < count; }
                    public Long next() {
                        read.incrementAndGet();
                        return (offset + i++) * 1000L + SampleRandom.current().nextInt(1000);
                    }
                };
            }
            public OptionalInt size() { return OptionalInt.of(n); }
        };
    }

    private static List<long[]> iterableBatches(int n, int[] perWorker, int batch, int startBatch, AtomicInteger collates, AtomicInteger read) {
        var b = DataLoader.builder(noisyStream(n, perWorker, read)).batchSize(batch).seed(5)
                .collateFn((List<Long> xs) -> { collates.incrementAndGet(); return Collate.<Tensor>defaultCollate(xs); });
        if (perWorker != null) b.numWorkers(perWorker.length);
        try (DataLoader<Long, Tensor> loader = b.build(); Scope s = Scope.open()) {
            List<long[]> out = new ArrayList<>();
            for (Iterator<Tensor> it = loader.iterator(startBatch); it.hasNext(); ) out.add(it.next().toLongArray());
            return out;
        }
    }

    @Test
    void anIterableDatasetReadsTheSkippedSamplesWithoutCollatingThem() {
        // {workers' sample counts (null: 0 workers), batch size, startBatch}
        Object[][] cases = {
                {null, 3, 2},                  // [0..2] [3..5] | [6..8] [9]
                {new int[] {7, 5}, 3, 3},      // w0, w1, w0 | w1, w0 [6], w1 END
                {new int[] {6, 0}, 2, 2},      // w0 [0,1], w1 END, w0 [2,3] | w0 [4,5]: an END among the skipped tasks
        };
        for (Object[] c : cases) {
            int[] perWorker = (int[]) c[0];
            int batch = (int) c[1], start = (int) c[2];
            String name = (perWorker == null ? "0 workers" : "workers " + Arrays.toString(perWorker)) + ", from batch " + start;
            AtomicInteger fullCollates = new AtomicInteger(), fullRead = new AtomicInteger();
            List<long[]> full = iterableBatches(10, perWorker, batch, 0, fullCollates, fullRead);
            AtomicInteger collates = new AtomicInteger(), read = new AtomicInteger();
            List<long[]> rest = iterableBatches(10, perWorker, batch, start, collates, read);
            assertEquals(full.size() - start, rest.size(), name);
            for (int k = 0; k < rest.size(); k++) assertArrayEquals(full.get(start + k), rest.get(k), name + ": batch " + (start + k));
            assertEquals(fullRead.get(), read.get(), name + ": every sample is still read (there are no indices to skip by)");
            if (perWorker == null || perWorker[1] > 0)
                assertEquals(rest.size(), collates.get(), name + ": only the yielded batches are collated");
            else
                assertTrue(collates.get() < fullCollates.get(), name + ": " + collates.get() + " collates");
        }
    }
}
