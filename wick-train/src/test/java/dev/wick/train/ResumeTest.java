package dev.wick.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.metrics.Accuracy;
import dev.wick.nn.UnaryModule;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.StepLR;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact resume: a run stopped at a batch, checkpointed, and resumed in fresh objects ends with the
 * parameters of the uninterrupted run, bit for bit. The set-up makes every RNG matter: a shuffled
 * loader with its own generator, a random augmentation per sample, dropout from libtorch's default
 * generator, gradient accumulation (windows of 3 over 10 batches: 3, 3, 3, 1), momentum, clipping, a
 * per-step scheduler, validation with metrics, train metrics and stateful callbacks.
 */
class ResumeTest {
    private static final Fixture DATA = new Fixture(160);     // batch 16: 10 batches per epoch
    private static final int EPOCHS = 3;

    @TempDir
    Path dir;

    /** Training-set get() calls per epoch (the epoch of the SampleRandom the loader set up for the sample). */
    private final Map<Integer, AtomicInteger> getsByEpoch = new ConcurrentHashMap<>();

    private Dataset<Example<Tensor, Tensor>> countingDataset() {
        Dataset<Example<Tensor, Tensor>> ds = DATA.dataset(0.2);
        return new Dataset<>() {
            @Override public Example<Tensor, Tensor> get(int i) {
                getsByEpoch.computeIfAbsent(SampleRandom.current().epoch(), k -> new AtomicInteger()).incrementAndGet();
                return ds.get(i);
            }
            @Override public int size() { return ds.size(); }
        };
    }

    /** Stops the run after global batch {@code at} (epoch * 10 + batch), checkpointing at {@code file}. */
    private record StopAfterBatch(long at, Path file) implements OnBatchEnd {
        @Override public void onBatchEnd(TrainContext ctx, BatchResult batch) {
            if (ctx.epoch() * ctx.batchesPerEpoch() + ctx.batchIdx() == at) {
                ctx.requestCheckpoint(file);
                ctx.requestStop("test stop");
            }
        }
    }

    /** Stops the run at the end of epoch {@code epoch}, checkpointing at {@code file}. */
    private record StopAfterEpoch(long epoch, Path file) implements OnEpochEnd {
        @Override public void onEpochEnd(TrainContext ctx, Map<String, Object> record) {
            if (ctx.epoch() == epoch) {
                ctx.requestCheckpoint(file);
                ctx.requestStop("test stop");
            }
        }
    }

    private record Run(List<Tensor> params, FitResult result) {}

    /** Builds everything fresh (same seeds), runs fit() or fit(resumeFrom). */
    private Run run(int workers, boolean loaderGenerator, LastWindow lastWindow, Callback stop, Path resumeFrom, Path runDir) {
        UnaryModule m = Fixture.model(11, 0.25);
        Optimizer opt = Fixture.sgd(m, 0.05);
        var ds = countingDataset();
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = loaderGenerator
                ? DataLoader.builder(ds).batchSize(16).shuffle(true).numWorkers(workers).generator(new Generator(21)).build()
                : DataLoader.builder(ds).batchSize(16).shuffle(true).numWorkers(workers).seed(21).build();
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> val = Fixture.plain(DATA.dataset(0), 40, false);
        var b = Trainer.builder(m, opt, train, Fixture.CE).progress(false)
                .maxEpochs(EPOCHS).accumulate(3).lastWindow(lastWindow).clipGradNorm(1.0)
                .scheduler(new StepLR(opt, 2, 0.8), SchedulerInterval.STEP)
                .valLoader(val).metrics(new Accuracy()).trainMetrics(new Accuracy())
                .callbacks(new EarlyStopping("val_loss", Mode.MIN, 100, 0.0))
                .config("seed: 11\n");
        if (stop != null) b.callbacks(stop);
        if (runDir != null) b.runDir(RunDir.at(runDir)).callbacks(new BestCheckpoints("val_acc", Mode.MAX, 2));
        Trainer<Example<Tensor, Tensor>> t = b.build();
        try (train) {
            FitResult r = resumeFrom == null ? t.fit() : t.fit(resumeFrom);
            return new Run(Fixture.snapshot(m), r);
        }
    }

    private void assertResumesExactly(int workers, boolean loaderGenerator, LastWindow lw, Callback stop, Path ckpt) {
        Run full = run(workers, loaderGenerator, lw, null, null, null);
        Run first = run(workers, loaderGenerator, lw, stop, null, null);
        assertEquals("test stop", first.result().stopReason());
        assertTrue(Files.exists(ckpt), "no checkpoint written");
        assertFalse(Fixture.bitEqual(full.params(), first.params()), "the interrupted run already has the final parameters");
        Run resumed = run(workers, loaderGenerator, lw, null, ckpt, null);
        assertEquals(full.result().globalStep(), resumed.result().globalStep());
        assertEquals(full.result().epochsCompleted(), resumed.result().epochsCompleted());
        assertTrue(Fixture.bitEqual(full.params(), resumed.params()),
                "resumed run differs from the uninterrupted one by " + Fixture.maxAbsDiff(full.params(), resumed.params()));
        // the epoch's train loss and metric accumulators and the validation continue exactly too
        assertEquals(full.result().lastEpochRecord(), resumed.result().lastEpochRecord());
    }

    @ParameterizedTest(name = "{0} workers, stopped after global batch {1}")
    @CsvSource({
            "0, 15",     // epoch 1, batch 5 done: mid-epoch, 2 batches into a window of 3
            "2, 15",
            "0, 6",      // epoch 0, window boundary
            "2, 22",     // epoch 2, batch 2 done: mid-window, the pass's workers prefetching ahead
            "0, 10",     // the pass is over (short last window stepped) but the epoch's end is not done
    })
    void resumesBitIdentically(int workers, long stopAt) {
        Path ckpt = dir.resolve("stop.pt");
        assertResumesExactly(workers, true, LastWindow.STEP, new StopAfterBatch(stopAt, ckpt), ckpt);
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = TrainingCheckpoint.load(ckpt);
            long epoch = (stopAt - 1) / 10;
            long batch = stopAt - epoch * 10;                    // 1..10
            assertEquals(epoch, c.epoch());
            assertEquals(batch, c.batchIdx());
            assertEquals(batch == 10 ? 0 : batch % 3, c.microStep());   // windows 3, 3, 3, 1
            assertEquals(c.microStep() > 0, !c.grads().isEmpty());
            assertEquals("seed: 11\n", c.args());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 2})
    void aResumeDoesNotLoadTheBatchesAlreadyTrainedOn(int workers) {
        Path ckpt = dir.resolve("loads.pt");
        run(workers, true, LastWindow.STEP, new StopAfterBatch(15, ckpt), null, null);    // epoch 1, 5 batches of 16 done
        getsByEpoch.clear();
        Run resumed = run(workers, true, LastWindow.STEP, null, ckpt, null);
        assertEquals(EPOCHS * 4, resumed.result().globalStep(), "windows 3, 3, 3, 1: 4 steps per epoch");
        assertEquals(Map.of(1, 5 * 16, 2, 10 * 16), counts(),
                "the resumed run loads epoch 1's last 5 batches and all of epoch 2, nothing before");
    }

    private Map<Integer, Integer> counts() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        getsByEpoch.forEach((e, n) -> out.put(e, n.get()));
        return out;
    }

    @Test
    void resumesFromAnEpochEndCheckpoint() {
        Path ckpt = dir.resolve("epoch.pt");
        assertResumesExactly(2, true, LastWindow.STEP, new StopAfterEpoch(0, ckpt), ckpt);
    }

    @Test
    void resumesMidWindowAcrossAnEpochBoundary() {
        // CARRY: 10 batches per epoch, windows of 3; after global batch 11 the window [9, 10, 11] spans epochs 0 and 1
        Path ckpt = dir.resolve("carry.pt");
        assertResumesExactly(0, true, LastWindow.CARRY, new StopAfterBatch(11, ckpt), ckpt);
    }

    @Test
    void resumesWhenTheLoaderDrawsFromTheGlobalGenerator() {
        Path ckpt = dir.resolve("global.pt");
        assertResumesExactly(0, false, LastWindow.STEP, new StopAfterBatch(17, ckpt), ckpt);
    }

    @Test
    void aResumedRunRewritesItsLogFromTheCheckpoint() throws Exception {
        Path full = dir.resolve("full");
        Path cut = dir.resolve("cut");
        run(0, true, LastWindow.STEP, null, null, full);
        Path ckpt = dir.resolve("cut.pt");
        run(0, true, LastWindow.STEP, new StopAfterBatch(16, ckpt), null, cut);
        Run resumed = run(0, true, LastWindow.STEP, null, ckpt, cut);
        List<Map<String, Object>> a = withoutTimings(MetricsLog.read(full.resolve(RunDir.METRICS_JSONL)));
        List<Map<String, Object>> b = withoutTimings(MetricsLog.read(cut.resolve(RunDir.METRICS_JSONL)));
        assertEquals(a, b);
        assertNotEquals(0, a.size());
        // best-k kept the same files, with the same content
        List<String> fullBest = bestFiles(full);
        assertEquals(fullBest, bestFiles(cut));
        assertEquals(2, fullBest.size());
        assertTrue(Files.exists(full.resolve("plots/loss.png")));
        assertEquals(30 / 10 * 4, resumed.result().globalStep());
    }

    private static List<String> bestFiles(Path run) throws Exception {
        try (var s = Files.list(run.resolve(RunDir.CHECKPOINTS))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("best-")).sorted().toList();
        }
    }

    private static List<Map<String, Object>> withoutTimings(List<Map<String, Object>> records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Map<String, Object> c = new java.util.LinkedHashMap<>(r);
            c.remove("samples_per_s");
            out.add(c);
        }
        return out;
    }
}
