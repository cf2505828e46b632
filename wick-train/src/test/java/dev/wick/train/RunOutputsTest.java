package dev.wick.train;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.metrics.Accuracy;
import dev.wick.metrics.ConfusionMatrix;
import dev.wick.metrics.F1Score;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.Losses;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.CosineAnnealingLR;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run leaves behind: metrics.jsonl, metrics.csv, plots, checkpoints with the config, the progress lines. */
class RunOutputsTest {
    private static final Fixture DATA = new Fixture(96);

    @TempDir
    Path dir;

    @Test
    void aRunWritesItsRecordsPlotsAndProgress() throws Exception {
        RunDir run = RunDir.create(dir, "mlp");
        run.writeConfig("model: mlp\nlr: 0.1\n");
        UnaryModule m = Fixture.model(4, 0.1);
        Optimizer opt = Fixture.sgd(m, 0.1);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = Fixture.loader(DATA.dataset(0.1), 16, true, 0, 1);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> val = Fixture.plain(DATA.dataset(0), 48, false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Trainer<Example<Tensor, Tensor>> t = Trainer.builder(m, opt, train, Fixture.CE)
                .maxEpochs(3).logEverySteps(2).clipGradNorm(5.0)
                .scheduler(new CosineAnnealingLR(opt, 3))
                .valLoader(val).metrics(new Accuracy(), new F1Score(4), new ConfusionMatrix(4)).trainMetrics(new Accuracy())
                .callbacks(new LearningRateMonitor(), new LastCheckpoint(100))
                .progress(new ProgressBar(new PrintStream(console, true, StandardCharsets.UTF_8), false, 4))
                .runDir(run).config(Files.readString(run.configYaml()))
                .build();
        FitResult r = t.fit();
        Map<String, Object> test = t.test(val);

        List<Map<String, Object>> recs = MetricsLog.read(run.metricsJsonl());
        assertEquals(recs, t.records());
        List<String> kinds = recs.stream().map(x -> (String) x.get("kind")).toList();
        assertEquals(3 * 3 + 3 + 1, recs.size());                      // 6 steps per epoch logged every 2, 3 epochs, 1 test
        assertEquals(List.of("step", "step", "step", "epoch"), kinds.subList(0, 4));
        Map<String, Object> step2 = recs.get(0);
        assertEquals(List.of("kind", "epoch", "step", "train_loss", "lr", "samples_per_s", "grad_norm", "lr_group0", "momentum_group0"),
                new ArrayList<>(step2.keySet()));
        assertEquals(2L, step2.get("step"));
        assertEquals(0.1, step2.get("lr"));
        Map<String, Object> epoch0 = recs.get(3);
        assertEquals(List.of("kind", "epoch", "step", "train_loss", "train_acc", "val_loss", "val_acc", "val_f1", "val_confusion_matrix", "lr",
                "lr_group0", "momentum_group0"), new ArrayList<>(epoch0.keySet()));
        assertEquals(6L, epoch0.get("step"));
        List<?> cm = assertInstanceOf(List.class, epoch0.get("val_confusion_matrix"));
        long total = 0;
        for (Object row : cm) for (Object v : (List<?>) row) total += ((Number) v).longValue();
        assertEquals(96, total);                                        // every validation sample counted once
        assertEquals(0.1 * (1 + Math.cos(Math.PI / 3)) / 2, (Double) epoch0.get("lr"), 1e-12);   // after the epoch's scheduler step
        Map<String, Object> last = recs.get(recs.size() - 1);
        assertEquals("test", last.get("kind"));
        assertEquals(test.get("test_acc"), last.get("test_acc"));
        assertEquals(r.lastValidation().get("val_acc"), test.get("test_acc"));   // same data, same model: same accuracy

        List<String> csv = Files.readAllLines(run.metricsCsv());
        List<String> header = Arrays.asList(csv.get(0).split(","));
        assertTrue(header.containsAll(List.of("kind", "epoch", "step", "train_loss", "lr", "val_acc", "val_f1", "train_acc", "test_acc")), header.toString());
        assertTrue(!header.contains("val_confusion_matrix"), "matrices stay out of the CSV");
        assertEquals(recs.size() + 1, csv.size());

        for (String plot : List.of("loss.png", "metrics.png", "lr.png")) {
            BufferedImage img = ImageIO.read(run.plots().resolve(plot).toFile());
            assertNotNull(img, plot);
            assertEquals(900, img.getWidth());
        }
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = TrainingCheckpoint.load(run.lastCheckpoint());
            assertEquals("model: mlp\nlr: 0.1\n", c.args());
            assertEquals(18, c.globalStep());
        }

        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(!out.contains("\r"), "plain mode redraws nothing");
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).matches("epoch 1/3 \\[#+\\.*] 4/6 step 4 loss \\d\\.\\d{4} lr 1\\.00e-01 \\d+ samples/s ETA \\d+:\\d\\d \\(run \\d+:\\d\\d\\)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("epoch 1/3 step 6: train_loss "), lines.get(1));
        assertTrue(lines.get(1).contains(" val_acc "), lines.get(1));
        assertEquals(3, lines.stream().filter(l -> l.contains(": train_loss")).count());
    }

    @Test
    void liveModeRedrawsOneLine() {
        UnaryModule m = Fixture.model(4, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = Fixture.plain(DATA.dataset(0), 16, false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Trainer.builder(m, opt, train, Fixture.CE).maxSteps(3)
                .progress(new ProgressBar(new PrintStream(console, true, StandardCharsets.UTF_8), true, 1)).build().fit();
        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\repoch 1 ["), out);
        assertTrue(out.contains(" step 1/3 loss "), out);
    }

    /** A batch type of the user's, with a custom step: only the step function knows what is in it. */
    record Pair(Tensor features, Tensor labels, Tensor weights) {}

    @Test
    void aCustomStepFunctionTrainsAnyBatchType() {
        UnaryModule m = Fixture.model(4, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        var ds = DATA.dataset(0);
        DataLoader<Example<Tensor, Tensor>, Pair> train = DataLoader.builder(ds).batchSize(32)
                .collateFn((List<Example<Tensor, Tensor>> samples) -> {
                    List<Tensor> xs = new ArrayList<>(), ys = new ArrayList<>();
                    for (Example<Tensor, Tensor> e : samples) { xs.add(e.input()); ys.add(e.target()); }
                    return new Pair(Tensor.stack(xs, 0), Tensor.stack(ys, 0), Tensor.ones(samples.size()));
                }).build();
        StepFunction<Pair> step = b -> {
            Tensor logits = m.forward(b.features());                   // (B, 4)
            return StepOutput.of(Losses.crossEntropy(logits, b.labels()), logits, b.labels());
        };
        Trainer<Pair> t = Trainer.builder(m, opt, train, step).progress(false).maxEpochs(4).trainMetrics(new Accuracy()).build();
        FitResult r = t.fit();
        assertEquals(12, r.globalStep());
        double acc = (Double) r.lastEpochRecord().get("train_acc");
        assertTrue(acc > 0.3, "the model should learn something: train_acc " + acc);
    }

    @Test
    void nativeMemoryStaysFlatAcrossEpochs() {
        UnaryModule m = Fixture.model(4, 0.1);
        Optimizer opt = Fixture.sgd(m, 0.1);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = Fixture.loader(DATA.dataset(0.1), 8, true, 0, 1);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> val = Fixture.plain(DATA.dataset(0), 32, false);
        List<Long> live = new ArrayList<>();
        OnEpochEnd probe = (ctx, rec) -> live.add(Scope.gcOwnedLive());
        Trainer.builder(m, opt, train, Fixture.CE).progress(false).maxEpochs(8).accumulate(2).clipGradNorm(1.0)
                .valLoader(val).metrics(new Accuracy()).callbacks(probe).build().fit();
        // 12 batches and 6 steps per epoch: any per-step leak would add at least 6 tensors per epoch
        assertTrue(live.get(7) - live.get(1) < 6, "tensors owned by the GC grew across epochs: " + live);
    }
}
