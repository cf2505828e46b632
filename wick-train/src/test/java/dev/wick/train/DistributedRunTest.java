package dev.wick.train;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wick.data.DataLoader;
import dev.wick.data.DistributedSampler;
import dev.wick.data.Example;
import dev.wick.distributed.DistributedDataParallel;
import dev.wick.distributed.DistributedException;
import dev.wick.distributed.ProcessGroup;
import dev.wick.distributed.Rendezvous;
import dev.wick.metrics.Accuracy;
import dev.wick.metrics.ConfusionMatrix;
import dev.wick.metrics.F1Score;
import dev.wick.metrics.Mean;
import dev.wick.metrics.Metric;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's distributed decisions with the ranks of a 2-rank group as threads of this JVM (each
 * with its own process group and DDP model): a non-finite loss, a stop, a failed checkpoint write
 * or a dead peer on one rank stop every rank at the same point with the same reason; metrics over
 * ranks are the metrics over all samples; the start-of-run checks name what differs.
 */
@Timeout(60)
class DistributedRunTest {
    @TempDir
    Path dir;

    @Test
    void aNonFiniteLossOnOneRankStopsEveryRankAtThatBatch() {
        List<Outcome<Long>> out = runRanks(2, group -> {
            DdpRuns.Run run = DdpRuns.build(DdpRuns.equivalence(64, 2), 2, group.rank(), group, null, null);
            UnaryModule model = run.model();
            AtomicInteger calls = new AtomicInteger();
            StepFunction<Example<Tensor, Tensor>> step = b -> {
                Tensor output = model.forward(b.input());
                Tensor loss = Fixture.CE.apply(output, b.target());
                if (group.rank() == 1 && calls.incrementAndGet() == 4) loss = loss.mul(Double.NaN);    // rank 1's 4th batch
                return StepOutput.of(loss, output, b.target());
            };
            @SuppressWarnings("unchecked")
            var loader = (DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>>) run.loader();
            Trainer<Example<Tensor, Tensor>> t = Trainer.builder(model, Fixture.sgd(model, 0.05), loader, step)
                    .maxEpochs(1).accumulate(2).progress(false).build();
            try {
                t.fit();
                return -1L;
            } finally {
                run.close();
            }
        });
        for (int r = 0; r < 2; r++) {
            NonFiniteLossException e = assertInstanceOf(NonFiniteLossException.class, out.get(r).error(), "rank " + r);
            assertEquals("Non-finite loss nan on rank 1 of 2 at epoch 0, step 1 (batch 3 of the epoch)", e.getMessage());
            assertEquals(1, e.rank());
        }
    }

    @Test
    void onlyTheLastMicroBatchOfAWindowAllReducesGradients() {
        // windows of 3 over 9 batches; collectives counted between consecutive OnBatchEnd hooks
        List<Outcome<List<Long>>> out = runRanks(2, group -> {
            List<Long> deltas = new ArrayList<>();
            long[] last = {-1};
            Callback count = (OnBatchEnd) (ctx, b) -> {
                long now = group.sequenceNumber();
                deltas.add(last[0] < 0 ? -1 : now - last[0]);
                last[0] = now;
            };
            DdpRuns.Run run = DdpRuns.build(DdpRuns.equivalence(64, 3), 2, group.rank(), group, null, null, count);
            try {
                run.fit(null);
                return deltas;
            } finally {
                run.close();
            }
        });
        List<Long> d = out.get(0).value();
        System.out.println("collectives before each micro-batch's end: " + d);
        assertEquals(d, out.get(1).value());
        assertEquals(9, d.size());
        long buckets = d.get(5) - 1;
        assertTrue(buckets >= 1, d.toString());
        // from the second window on (the first one rebuilds the reducer's buckets): the first micro-batch has the
        // previous step's agreement and its loss exchange, a middle one only its loss exchange (noSync), the last
        // one its loss exchange and the gradient buckets
        for (int i = 4; i < 9; i++) assertEquals(i % 3 == 0 ? 2 : i % 3 == 1 ? 1 : 1 + buckets, d.get(i), "micro-batch " + i + " of " + d);
    }

    @Test
    void aStopRequestedOnOneRankStopsEveryRankAtTheEndOfTheSameStep() {
        List<Outcome<FitResult>> out = runRanks(2, group -> {
            Callback stopOnRank1 = (OnBatchEnd) (ctx, b) -> {
                if (group.rank() == 1 && ctx.batchIdx() == 3) ctx.requestStop("signal");     // inside the window [2, 3]
            };
            DdpRuns.Run run = DdpRuns.build(DdpRuns.equivalence(64, 2), 2, group.rank(), group, null, null, stopOnRank1);
            try {
                return run.fit(null);
            } finally {
                run.close();
            }
        });
        for (int r = 0; r < 2; r++) {
            FitResult f = out.get(r).value();
            assertEquals("signal (requested on rank 1)", f.stopReason(), "rank " + r);
            assertEquals(2, f.globalStep(), "rank " + r + ": the window [2, 3] ended first");
        }
    }

    @Test
    void aFailedCheckpointWriteOnRankZeroStopsEveryRank() throws IOException {
        Files.createDirectories(dir.resolve("rank0"));
        Files.writeString(dir.resolve("rank0").resolve(RunDir.CHECKPOINTS), "a file where the folder should be");
        List<Outcome<FitResult>> out = runRanks(2, group -> {
            DdpRuns.Run run = DdpRuns.build(DdpRuns.equivalence(64, 1), 2, group.rank(), group, dir.resolve("rank" + group.rank()), null);
            try {
                return run.fit(null);
            } finally {
                run.close();
            }
        });
        Throwable e0 = out.get(0).error(), e1 = out.get(1).error();
        assertInstanceOf(java.io.UncheckedIOException.class, e0, String.valueOf(e0));
        assertTrue(e0.getMessage().startsWith("Cannot write checkpoint " + dir.resolve("rank0/checkpoints/last.pt")), e0.getMessage());
        assertInstanceOf(IllegalStateException.class, e1, String.valueOf(e1));
        assertEquals("Rank 0 failed to write a checkpoint, so every rank stops: " + e0.getMessage(), e1.getMessage());
    }

    @Test
    void aPeerThatFailsIsExplainedOnTheOtherRank() {
        // rank 1 fails after step 2; rank 0 waits in the next collective, which times out (3 s) or sees the
        // connection close, and the trainer reports it with the rank and the likely cause
        List<Outcome<FitResult>> out = runRanks(2, Duration.ofSeconds(3), group -> {
            Callback crash = (OnStepEnd) (ctx, s) -> {
                if (group.rank() == 1 && ctx.globalStep() == 2) throw new IllegalStateException("rank 1 crashed");
            };
            DdpRuns.Run run = DdpRuns.build(DdpRuns.equivalence(64, 1), 2, group.rank(), group, null, null, crash);
            try {
                return run.fit(null);
            } finally {
                run.close();                                  // the reducer lets go of Gloo; the group closes next
            }
        });
        assertEquals("rank 1 crashed", out.get(1).error().getMessage());
        DistributedException e = assertInstanceOf(DistributedException.class, out.get(0).error(), String.valueOf(out.get(0).error()));
        assertTrue(e.getMessage().startsWith("rank 0 of 2: "), e.getMessage());
        assertTrue(e.getMessage().contains("another rank has probably died") || e.getMessage().contains("another rank is stuck"), e.getMessage());
    }

    @Test
    void metricsOverRanksAreTheMetricsOverAllSamples() {
        // 6 samples, 3 classes; rank 0 sees the first 2, rank 1 the last 4 (uneven shards)
        long[] pred = {0, 1, 2, 1, 2, 2}, target = {1, 1, 2, 0, 2, 2};
        List<Metric<?>> all = List.of(new Accuracy(), new F1Score(3), new ConfusionMatrix(3));
        for (Metric<?> m : all) m.update(Tensor.of(pred), Tensor.of(target));
        Map<String, Object> single = new LinkedHashMap<>();
        for (Metric<?> m : all) single.put("val_" + m.name(), m.compute());

        List<Outcome<Map<String, Object>>> out = runRanks(2, group -> {
            int from = group.rank() == 0 ? 0 : 2, to = group.rank() == 0 ? 2 : 6;
            long[] p = java.util.Arrays.copyOfRange(pred, from, to), y = java.util.Arrays.copyOfRange(target, from, to);
            List<Metric<?>> mine = List.of(new Accuracy(), new F1Score(3), new ConfusionMatrix(3), new Mean("loss"), new Median());
            for (Metric<?> m : mine) m.update(Tensor.of(p), Tensor.of(y));
            Map<String, Object> before = mine.get(0).stateDict();
            Map<String, Object> v = new LinkedHashMap<>(DistributedRun.on(group).compute(mine, "val", to - from));
            assertEquals(before, mine.get(0).stateDict(), "the metric keeps its own state");
            v.put("own_f1", mine.get(1).compute());
            return v;
        });
        for (int r = 0; r < 2; r++) {
            Map<String, Object> v = out.get(r).value();
            assertEquals(4 / 6.0, (Double) single.get("val_acc"), 1e-15);
            assertEquals(single.get("val_acc"), v.get("val_acc"));
            assertEquals(0.5, (Double) single.get("val_f1"), 1e-15);
            assertEquals((Double) single.get("val_f1"), (Double) v.get("val_f1"), 1e-15);
            assertEquals(java.util.Arrays.deepToString((long[][]) single.get("val_confusion_matrix")),
                    java.util.Arrays.deepToString((long[][]) v.get("val_confusion_matrix")));
            assertEquals(8 / 6.0, (Double) v.get("val_loss"), 1e-15);       // a Mean (of the outputs): additive
            // not additive: the ranks' medians (0.5 and 2) weighted by their 2 and 4 samples
            assertEquals((0.5 * 2 + 2.0 * 4) / 6, (Double) v.get("val_median"), 1e-15);
        }
        // the comparison can fail: averaging the ranks' F1 (1/3 and 1/3) would not give the F1 over all samples
        double f1Mean = ((Double) out.get(0).value().get("own_f1") * 2 + (Double) out.get(1).value().get("own_f1") * 4) / 6;
        assertEquals(1 / 3.0, f1Mean, 1e-12);
    }

    @Test
    void combinedStateKeepsTypesShapesAndConstants() {
        List<Outcome<List<Object>>> out = runRanks(2, group -> {
            DistributedRun run = DistributedRun.on(group);
            int r = group.rank();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("count", (long) (r + 1));
            s.put("sum", 0.25 * (r + 1));
            s.put("n", r + 2);
            s.put("name", "same");
            s.put("counts", Tensor.of(new long[]{r, 10L * r, 1, 2}, 2, 2));
            s.put("scalar", Tensor.scalar(1.5f + r));
            Map<String, Object> summed = run.sum(List.of(s)).get(0);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("rng", Tensor.of(new byte[]{(byte) r, (byte) (200 + r)}));
            state.put("grad", Tensor.of(new float[]{r, -r, 0.5f}, 3, 1));
            state.put("epoch", 3L);
            List<Map<String, Object>> gathered = run.gather(state);
            return List.of(summed, gathered);
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> summed = (Map<String, Object>) out.get(0).value().get(0);
        assertEquals(3L, summed.get("count"));
        assertEquals(0.75, summed.get("sum"));
        assertEquals(5, summed.get("n"));
        assertEquals("same", summed.get("name"));
        Tensor counts = (Tensor) summed.get("counts");
        assertEquals(DType.INT64, counts.dtype());
        assertEquals(List.of(2L, 2L), List.of(counts.size(0), counts.size(1)));
        assertEquals(List.of(1L, 10L, 2L, 4L), java.util.Arrays.stream(counts.toLongArray()).boxed().toList());
        Tensor scalar = (Tensor) summed.get("scalar");
        assertEquals(0, scalar.dim());
        assertEquals(DType.FLOAT32, scalar.dtype());
        assertEquals(4.0, scalar.item());
        assertEquals(List.of(), out.get(1).value().get(1), "only rank 0, which writes, gets the ranks' states");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> gathered = (List<Map<String, Object>>) out.get(0).value().get(1);
        assertEquals(2, gathered.size());
        for (int r = 0; r < 2; r++) {
            assertEquals(List.of(r, 200 + r), java.util.Arrays.stream(((Tensor) gathered.get(r).get("rng")).toIntArray()).boxed().toList());
            Tensor g = (Tensor) gathered.get(r).get("grad");
            assertEquals(List.of(3L, 1L), List.of(g.size(0), g.size(1)));
            assertEquals(List.of((double) r, (double) -r, 0.5), java.util.Arrays.stream(g.toDoubleArray()).boxed().toList());
            assertEquals(3L, gathered.get(r).get("epoch"));
        }
    }

    @Test
    void startChecksNameTheRankAndTheValueThatDiffer() {
        // rank 1's sampler is built for rank 0: both ranks fail at once, naming it
        List<Outcome<Void>> wrongSampler = runRanks(2, group -> {
            var ds = DdpRuns.DATA.dataset(0);
            var loader = DataLoader.builder(ds).sampler(new DistributedSampler(ds.size(), 2, 0)).batchSize(64).build();
            DistributedRun.on(group).checkStart(loader, new String[]{"x"}, new long[]{0});
            return null;
        });
        String rule = ": build it with new DistributedSampler(n, Distributed.worldSize(), Distributed.rank())";
        assertEquals("The training loader's DistributedSampler is for rank 0 of 2, but this process is rank 1 of 2" + rule,
                wrongSampler.get(1).error().getMessage());
        assertEquals("Rank 1's training loader's DistributedSampler is for rank 0 of 2, but that process is rank 1 of 2" + rule,
                wrongSampler.get(0).error().getMessage());

        List<Outcome<Void>> differ = runRanks(2, group -> {
            var ds = DdpRuns.DATA.dataset(0);
            var loader = DataLoader.builder(ds).sampler(new DistributedSampler(ds.size(), 2, group.rank())).batchSize(64).build();
            DistributedRun.on(group).checkStart(loader, new String[]{"accumulate", "batches per epoch"}, new long[]{2, 9 + group.rank()});
            return null;
        });
        for (int r = 0; r < 2; r++) {
            String m = differ.get(r).error().getMessage();
            assertTrue(m.startsWith("Rank 1 disagrees with rank 0 on batches per epoch: 10 vs 9 (every rank must run the same loop"), m);
        }

        List<Outcome<Void>> same = runRanks(2, group -> {
            var ds = DdpRuns.DATA.dataset(0);
            var loader = DataLoader.builder(ds).sampler(new DistributedSampler(ds.size(), 2, group.rank())).batchSize(64).build();
            DistributedRun.on(group).checkStart(loader, new String[]{"batches per epoch"}, new long[]{9});
            return null;
        });
        assertNull(same.get(0).error());
        assertNull(same.get(1).error());
    }

    /** A metric that is not additive: the median of the outputs seen. */
    private static final class Median implements Metric<Double> {
        private final List<Double> values = new ArrayList<>();
        @Override public void update(Tensor output, Tensor target) { for (double v : output.toDoubleArray()) values.add(v); }
        @Override public Double compute() {
            List<Double> s = values.stream().sorted().toList();
            int n = s.size();
            return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
        @Override public void reset() { values.clear(); }
        @Override public String name() { return "median"; }
        @Override public Map<String, Object> stateDict() { return Map.of("values", new ArrayList<Object>(values)); }
        @Override public void loadStateDict(Map<String, Object> sd) { throw new UnsupportedOperationException(); }
    }

    // ------------------------------------------------------------------ ranks as threads

    interface RankBody<T> {
        T run(ProcessGroup group) throws Exception;
    }

    record Outcome<T>(T value, Throwable error) {}

    static <T> List<Outcome<T>> runRanks(int world, RankBody<T> body) {
        return runRanks(world, Duration.ofSeconds(10), body);
    }

    /** Runs {@code body} on every rank of a fresh group on 127.0.0.1, one thread each. */
    static <T> List<Outcome<T>> runRanks(int world, Duration collectiveTimeout, RankBody<T> body) {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(world);
        try {
            List<Future<Outcome<T>>> fs = new ArrayList<>();
            for (int r = 0; r < world; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    try (ProcessGroup g = ProcessGroup.init(Rendezvous.tcp(rank, world, "127.0.0.1", port).withTimeout(collectiveTimeout));
                         Scope s = Scope.open()) {
                        return new Outcome<>(body.run(g), null);
                    } catch (Throwable e) {
                        return new Outcome<T>(null, e);
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<Outcome<T>> f : fs) out.add(f.get(45, TimeUnit.SECONDS));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("an in-process rank did not finish in 45 s", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
