package dev.wick.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wick.checkpoint.TorchFiles;
import dev.wick.internal.Json;
import dev.wick.tensor.Tensor;

/**
 * The commands end to end, in process, on a small subset: {@code train} (an MLP on 512 Fashion-MNIST
 * images) leaves a complete run folder, {@code eval} reproduces its test accuracy from a checkpoint,
 * and {@code resume} of a run stopped mid-epoch ends bit-identical to an uninterrupted run.
 */
class CommandLineTest {
    @TempDir static Path runs;
    static Run full;

    /** What one command printed and returned. */
    record Run(int status, String out, String err) {
        List<String> lines() { return out.lines().toList(); }

        String lastLine() { List<String> l = lines(); return l.isEmpty() ? "" : l.get(l.size() - 1); }
    }

    static Run wick(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A tiny run: MLP 784-32-10, 512 training images (8 batches of 64, 4 steps per epoch), 1000 test images. */
    static List<String> small(String name, String... more) {
        List<String> a = new ArrayList<>(List.of("train",
                "--set", "model.name=mlp", "--set", "model.hidden=[32]",
                "--set", "data.train_samples=512", "--set", "data.test_samples=1000",
                "--set", "scheduler.name=step", "--set", "scheduler.warmup_epochs=null", "--set", "scheduler.min_lr=null", "--set", "scheduler.step_size=1", "--set", "scheduler.gamma=0.5",
                "--set", "trainer.max_epochs=2", "--set", "trainer.log_every=1",
                "--set", "trainer.run_dir=" + runs, "--set", "trainer.run_name=" + name));
        for (String m : more) { a.add("--set"); a.add(m); }
        return a;
    }

    @BeforeAll
    static void trainOnce() {
        full = wick(small("full").toArray(new String[0]));
        assertEquals(0, full.status(), full.out() + full.err());
    }

    @Test
    void trainLeavesACompleteRunFolderAndPrintsItsPathLast() throws IOException {
        Path dir = runs.resolve("full");
        assertEquals(dir.toString(), full.lastLine(), "the run folder is the last line");
        for (String f : List.of("config.yaml", "metrics.jsonl", "metrics.csv", "checkpoints/last.pt", "plots/loss.png", "plots/metrics.png", "plots/lr.png"))
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " in the run folder");
        for (String png : List.of("plots/loss.png", "plots/metrics.png")) {
            byte[] head = Arrays8.head(dir.resolve(png));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png + " is a PNG");
        }
        try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
            List<String> best = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("best-")).toList();
            assertEquals(1, best.size(), "keep_best: 1 keeps one best checkpoint: " + best);
            assertTrue(best.get(0).matches("best-epoch=[01]-val_acc=0\\.\\d{4}\\.pt"), best.get(0));
        }

        String config = Files.readString(dir.resolve("config.yaml"));
        assertTrue(config.startsWith("# effective config: default.yaml with --set model.name=mlp"), config);
        RunConfig back = RunConfig.parse(config, "config.yaml", List.of());
        assertEquals("mlp", back.model().name());
        assertEquals(512, back.data().trainSamples());

        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) records.add(Json.parseObject(line));
        for (Map<String, Object> r : records) {
            assertTrue(r.get("epoch") instanceof Long && r.get("step") instanceof Long, "epoch and step in every line: " + r);
        }
        List<Map<String, Object>> epochs = records.stream().filter(r -> "epoch".equals(r.get("kind"))).toList();
        assertEquals(2, epochs.size());
        assertEquals(4L, epochs.get(0).get("step"), "8 batches, 2 per optimizer step");
        assertEquals(8L, epochs.get(1).get("step"));
        for (String k : List.of("train_loss", "train_acc", "val_loss", "val_acc", "lr")) assertTrue(epochs.get(1).containsKey(k), k);
        assertEquals(8, records.stream().filter(r -> "step".equals(r.get("kind"))).count(), "a step record per step (log_every 1)");
        Map<String, Object> test = records.get(records.size() - 1);
        assertEquals("test", test.get("kind"), "the test pass is the last record");
        double acc = (Double) test.get("test_acc");
        assertTrue(acc > 0.5 && acc < 1, "an MLP learns something from 512 images in 2 epochs: " + acc);
        assertTrue(full.out().contains(String.format(java.util.Locale.ROOT, "test_acc %.4f", acc)), full.out());
        assertEquals(0.003 * 0.25, (Double) epochs.get(1).get("lr"), 1e-15, "StepLR(1, 0.5) after 2 epochs: AdamW's lr 0.003 * 0.5^2");

        @SuppressWarnings("unchecked")
        Map<String, Object> ckpt = (Map<String, Object>) TorchFiles.load(dir.resolve("checkpoints/last.pt"));
        assertEquals(config, ckpt.get("args"), "the checkpoint embeds the config verbatim as args");
        assertEquals(8L, ckpt.get("global_step"));
    }

    @Test
    void evalReproducesTheTestAccuracyFromACheckpoint() throws IOException {
        Path dir = runs.resolve("full");
        Run r = wick("eval", "--checkpoint", dir.resolve("checkpoints/last.pt").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        Map<String, Object> test = lastRecord(dir);
        assertEquals(String.format(java.util.Locale.ROOT, "test_loss %.4f  test_acc %.4f", (Double) test.get("test_loss"), (Double) test.get("test_acc")),
                r.lastLine(), "the same model on the same 1000 test images");
        assertTrue(r.out().contains("(epoch 1, optimizer step 8)"), r.out());

        @SuppressWarnings("unchecked")
        Map<String, Object> ckpt = (Map<String, Object>) TorchFiles.load(dir.resolve("checkpoints/last.pt"));
        Path bare = dir.resolve("weights.pt");
        TorchFiles.save(ckpt.get("model"), bare);                          // torch.save(model.state_dict())
        Run noConfig = wick("eval", "--checkpoint", bare.toString());
        assertEquals(2, noConfig.status());
        assertTrue(noConfig.err().contains("has no run config (no 'args' text); give the model with --config run.yaml"), noConfig.err());
        Run withConfig = wick("eval", "--checkpoint", bare.toString(), "--config", dir.resolve("config.yaml").toString());
        assertEquals(0, withConfig.status(), withConfig.err());
        assertEquals(r.lastLine(), withConfig.lastLine());
    }

    @Test
    void resumeAfterAStopMidEpochEndsLikeTheUninterruptedRun() throws IOException {
        Run first = wick(small("cut", "trainer.max_steps=3").toArray(new String[0]));   // stops in epoch 0, mid-way
        assertEquals(0, first.status(), first.err());
        Path dir = runs.resolve("cut");
        assertTrue(first.out().contains("stopped: max_steps after 0 epochs, 3 optimizer steps"), first.out());

        Run refused = wick("resume", dir.toString(), "--set", "optimizer.lr=1");
        assertEquals(2, refused.status());
        assertEquals("wick resume: optimizer.lr: cannot change on resume (only trainer.max_epochs and trainer.max_steps can: "
                + "any other change would make the resumed run differ from an uninterrupted one)", refused.err().strip());

        Run resumed = wick("resume", dir.toString(), "--set", "trainer.max_steps=null");
        assertEquals(0, resumed.status(), resumed.out() + resumed.err());
        assertEquals(dir.toString(), resumed.lastLine());
        assertTrue(resumed.out().contains("resuming " + dir + " from checkpoints/last.pt (optimizer step 3)"), resumed.out());

        Map<String, Object> a = load(runs.resolve("full/checkpoints/last.pt")), b = load(dir.resolve("checkpoints/last.pt"));
        assertEquals(a.get("global_step"), b.get("global_step"));
        Map<?, ?> wa = (Map<?, ?>) a.get("model"), wb = (Map<?, ?>) b.get("model");
        assertEquals(wa.keySet(), wb.keySet());
        for (Object k : wa.keySet()) assertTrue(((Tensor) wa.get(k)).equal((Tensor) wb.get(k)), k + " bit-identical to the uninterrupted run");
        assertEquals(lastRecord(runs.resolve("full")).get("test_acc"), lastRecord(dir).get("test_acc"));
        RunConfig now = RunConfig.parse(Files.readString(dir.resolve("config.yaml")), "config.yaml", List.of());
        assertEquals(null, now.trainer().maxSteps(), "config.yaml holds the resumed run's limits");
        assertEquals(2L, now.trainer().maxEpochs());
    }

    @Test
    void usageAndConfigErrorsExitWithStatus2() {
        Run help = wick();
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: wick"), help.out());
        for (String c : List.of("train", "eval", "resume", "launch", "bench")) assertTrue(help.out().contains("  " + c + " "), c + " listed");

        Run bad = wick("train", "--set", "optimizer.lr=-0.1");
        assertEquals(2, bad.status());
        assertEquals("wick train: optimizer.lr: must be a positive number, got -0.1", bad.err().strip());

        Run missing = wick("eval");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("Missing required option: '--checkpoint=FILE'"), missing.err());

        Run noRun = wick("resume", runs.resolve("nowhere").toString());
        assertEquals(2, noRun.status());
        assertEquals("wick resume: no run folder at " + runs.resolve("nowhere"), noRun.err().strip());
    }

    @Test
    void benchHandsItsArgumentsToWickBench() {
        Run r = wick("bench", "no-such-workload");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("wick bench: error: Unknown workload: 'no-such-workload'"), r.err());
    }

    @Test
    void printConfigShowsTheEffectiveConfigWithoutTraining() {
        Run r = wick("train", "--print-config", "--set", "trainer.max_epochs=3");
        assertEquals(0, r.status(), r.err());
        RunConfig c = RunConfig.parse(r.out(), "printed", List.of());
        assertEquals(3L, c.trainer().maxEpochs());
        assertEquals("simple_classifier", c.model().name());
    }

    private static Map<String, Object> lastRecord(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        return Json.parseObject(lines.get(lines.size() - 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path p) throws IOException {
        return (Map<String, Object>) TorchFiles.load(p);
    }

    /** The first bytes of a file. */
    static final class Arrays8 {
        static byte[] head(Path p) throws IOException {
            try (var in = Files.newInputStream(p)) {
                return in.readNBytes(4);
            }
        }
    }
}
