package dev.wick.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.metrics.Metric;
import dev.wick.nn.UnaryModule;
import dev.wick.optim.Optimizer;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hooks' documented order, early stopping, best-k and last checkpoints. */
class CallbacksTest {
    private static final Fixture DATA = new Fixture(32);

    @TempDir
    Path dir;

    /** A validation "metric" that reports a scripted value per validation pass (reset() starts the next). */
    static final class Scripted implements Metric<Double> {
        private final double[] values;
        private int pass = -1;

        Scripted(double... values) { this.values = values; }

        @Override public void update(Tensor output, Tensor target) {}
        @Override public Double compute() { return values[Math.min(pass, values.length - 1)]; }
        @Override public void reset() { pass++; }
        @Override public String name() { return "score"; }
        @Override public Map<String, Object> stateDict() { return new LinkedHashMap<>(Map.of("pass", (long) pass)); }
        @Override public void loadStateDict(Map<String, Object> sd) { pass = ((Number) sd.get("pass")).intValue(); }
    }

    private Trainer.Builder<Example<Tensor, Tensor>> builder(UnaryModule m, int batch) {
        Optimizer opt = Fixture.sgd(m, 0.05);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = Fixture.plain(DATA.dataset(0), batch, false);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> val = Fixture.plain(DATA.dataset(0), 32, false);
        return Trainer.builder(m, opt, train, Fixture.CE).progress(false).valLoader(val);
    }

    @Test
    void hooksRunInTheDocumentedOrder() {
        List<String> events = new ArrayList<>();
        class Recorder implements OnTrainStart, OnEpochStart, OnBatchEnd, OnStepEnd, OnValidationEnd, OnEpochEnd, OnTrainEnd {
            @Override public void onTrainStart(TrainContext c) { events.add("trainStart"); }
            @Override public void onEpochStart(TrainContext c) { events.add("epochStart " + c.epoch()); }
            @Override public void onBatchEnd(TrainContext c, BatchResult b) { events.add("batch " + b.batchIdx() + " micro " + c.microStep()); }
            @Override public void onStepEnd(TrainContext c, StepResult s) { events.add("step " + c.globalStep() + " window " + s.windowLength()); }
            @Override public void onValidationEnd(TrainContext c, Map<String, Object> m) { events.add("validation " + m.keySet()); }
            @Override public void onEpochEnd(TrainContext c, Map<String, Object> r) { events.add("epochEnd " + c.epoch()); }
            @Override public void onTrainEnd(TrainContext c) { events.add("trainEnd"); }
        }
        // 32 samples, batch 8: 4 batches per epoch, accumulate 3: windows 3, 1
        FitResult r = builder(Fixture.model(3, 0), 8).maxEpochs(2).accumulate(3).callbacks(new Recorder()).build().fit();
        List<String> one = List.of("batch 0 micro 1", "batch 1 micro 2", "batch 2 micro 3", "step %d window 3", "batch 3 micro 1", "step %d window 1",
                "validation [val_loss]");
        List<String> expected = new ArrayList<>(List.of("trainStart"));
        for (int e = 0; e < 2; e++) {
            expected.add("epochStart " + e);
            int step = 2 * e;
            for (String s : one) expected.add(s.contains("%d") ? String.format(s, ++step) : s);
            expected.add("epochEnd " + e);
        }
        expected.add("trainEnd");
        assertEquals(expected, events);
        assertEquals(4, r.globalStep());
    }

    @Test
    void maxStepsOnAnEpochsLastBatchStillEndsTheEpoch() {
        List<String> ends = new ArrayList<>();
        OnEpochEnd rec = (ctx, r) -> ends.add("epochEnd " + ctx.epoch() + " " + r.containsKey("val_loss"));
        FitResult r = builder(Fixture.model(3, 0), 8).maxSteps(8).callbacks(rec).build().fit();   // 4 steps per epoch
        assertEquals("max_steps", r.stopReason());
        assertEquals(List.of("epochEnd 0 true", "epochEnd 1 true"), ends);
        assertEquals(2, r.epochsCompleted());
        ends.clear();
        FitResult cut = builder(Fixture.model(3, 0), 8).maxSteps(6).callbacks(rec).build().fit();
        assertEquals(List.of("epochEnd 0 true"), ends);                 // stopped mid-way through epoch 1
        assertEquals(1, cut.epochsCompleted());
    }

    @Test
    void earlyStoppingStopsAfterPatienceValidationsWithoutImprovement() {
        // improvement must exceed 0.01: 0.5, 0.6 (better), 0.605 (not), 0.62 (better), 0.62 (not), 0.615 (not: stop)
        EarlyStopping es = new EarlyStopping("val_score", Mode.MAX, 2, 0.01);
        FitResult r = builder(Fixture.model(3, 0), 8).maxEpochs(20).metrics(new Scripted(0.5, 0.6, 0.605, 0.62, 0.62, 0.615, 0.9))
                .callbacks(es).build().fit();
        assertEquals(6, r.epochsCompleted());
        assertEquals("early_stopping: val_score did not improve by more than 0.01 for 2 validations (best 0.620000)", r.stopReason());
        assertEquals(5, es.stoppedAtEpoch());
        assertEquals(0.62, es.bestValue());
        assertEquals(0.615, r.lastValidation().get("val_score"));
    }

    @Test
    void earlyStoppingNamesAMissingMonitor() {
        var t = builder(Fixture.model(3, 0), 8).maxEpochs(2).callbacks(new EarlyStopping("val_acc", Mode.MAX, 2, 0)).build();
        var e = assertThrows(IllegalStateException.class, t::fit);
        assertEquals("EarlyStopping monitors 'val_acc', which validation did not produce (it produced [val_loss])", e.getMessage());
    }

    @Test
    void bestKKeepsExactlyTheKBestFilesAndLastIsLast() throws Exception {
        RunDir run = RunDir.at(dir.resolve("run"));
        BestCheckpoints best = new BestCheckpoints("val_score", Mode.MAX, 2);
        Map<Long, List<Tensor>> paramsAtEpochEnd = new LinkedHashMap<>();
        UnaryModule m = Fixture.model(3, 0);
        OnEpochEnd snap = (ctx, rec) -> paramsAtEpochEnd.put(ctx.epoch(), Fixture.snapshot(m));
        FitResult r = builder(m, 8).maxEpochs(6).runDir(run).plots(false)
                .metrics(new Scripted(0.5, 0.7, 0.6, 0.8, 0.65, 0.75))
                .callbacks(best, new LastCheckpoint(3), snap).build().fit();
        assertEquals(24, r.globalStep());
        List<String> files;
        try (var s = Files.list(run.checkpoints())) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("best-epoch=3-val_score=0.8000.pt", "best-epoch=5-val_score=0.7500.pt", "last.pt"), files);
        assertEquals(run.checkpoints().resolve("best-epoch=3-val_score=0.8000.pt"), best.bestFile());
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = TrainingCheckpoint.load(run.checkpoints().resolve("best-epoch=3-val_score=0.8000.pt"));
            assertEquals(3, c.epoch());
            assertEquals(16, c.globalStep());
            assertEquals(new TrainingCheckpoint.Best("val_score", 0.8), c.best());
            List<Tensor> saved = new ArrayList<>(c.model().values());
            assertTrue(Fixture.bitEqual(paramsAtEpochEnd.get(3L), List.of(saved.get(0), saved.get(1), saved.get(2), saved.get(3))),
                    "best-epoch=3 does not hold the parameters at the end of epoch 3");
            assertFalse(Fixture.bitEqual(paramsAtEpochEnd.get(5L), List.of(saved.get(0), saved.get(1), saved.get(2), saved.get(3))));
            TrainingCheckpoint last = TrainingCheckpoint.load(run.lastCheckpoint());
            assertEquals(24, last.globalStep());
            assertEquals(5, last.epoch());
            assertEquals(new TrainingCheckpoint.Best("val_score", 0.8), last.best());
        }
    }

    @Test
    void validationByStepsNamesCheckpointsWithTheStep() throws Exception {
        RunDir run = RunDir.at(dir.resolve("steps"));
        BestCheckpoints best = new BestCheckpoints("val_score", Mode.MAX, 1);
        // 4 steps per epoch, 8 in all: validations after steps 3 and 6 only (none at epoch ends)
        FitResult r = builder(Fixture.model(3, 0), 8).maxEpochs(2).validateEverySteps(3).runDir(run).plots(false)
                .metrics(new Scripted(0.1, 0.3)).callbacks(best).build().fit();
        assertEquals(8, r.globalStep());
        List<Map<String, Object>> recs = MetricsLog.read(run.metricsJsonl());
        List<String> summary = recs.stream().map(x -> x.get("kind") + "@" + x.get("step") + (x.containsKey("val_score") ? " " + x.get("val_score") : "")).toList();
        assertEquals(List.of("val@3 0.1", "epoch@4", "val@6 0.3", "epoch@8"), summary);
        try (var s = Files.list(run.checkpoints())) {
            assertEquals(List.of("best-epoch=1-step=6-val_score=0.3000.pt"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void bestKNeedsAFolder() {
        var t = builder(Fixture.model(3, 0), 8).maxEpochs(1).callbacks(new BestCheckpoints("val_loss", Mode.MIN, 1)).build();
        var e = assertThrows(IllegalStateException.class, t::fit);
        assertEquals("Checkpoint callbacks need a folder: give the trainer a runDir, or the callback a folder", e.getMessage());
    }

    @Test
    void callbacksRejectBadOptions() {
        assertEquals("Invalid patience: 0 (must be >= 1)",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", Mode.MIN, 0, 0)).getMessage());
        assertEquals("Invalid minDelta: -0.1 (must be >= 0)",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", Mode.MIN, 1, -0.1)).getMessage());
        assertEquals("Invalid k: 0 (must be >= 1)",
                assertThrows(IllegalArgumentException.class, () -> new BestCheckpoints("val_loss", Mode.MIN, 0)).getMessage());
        assertEquals("Invalid everySteps: 0 (must be >= 1)", assertThrows(IllegalArgumentException.class, () -> new LastCheckpoint(0)).getMessage());
        assertEquals("Invalid mode: 'up' (expected min or max)", assertThrows(IllegalArgumentException.class, () -> Mode.parse("up")).getMessage());
    }
}
