package dev.wick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.distributed.Launcher;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * {@code wick launch --nproc-per-node 2 -- java ... dev.wick.cli.Main train --config run.yaml}: two JVMs
 * train ONE data-parallel job (an MLP on 512 Fashion-MNIST images, batch 32 per rank, 2 micro-batches
 * per optimizer step) into one run folder.
 */
class LaunchTrainTest {
    static final String CONFIG = """
            model:
              name: mlp
              hidden: [32]
            data:
              dataset: fashion_mnist
              batch_size: 32
              num_workers: 0
              augment: true
              crop_padding: 2
              hflip: 0.5
              val_fraction: 0.0
              train_samples: 512
              test_samples: 500
            optimizer:
              name: sgd
              lr: 0.05
            scheduler:
              name: none
            trainer:
              max_epochs: 1
              accumulation: 2
              seed: 3
              threads: 1
              run_dir: %s
              keep_best: 1
              monitor: val_acc
              log_every: 1
            """;

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void twoRanksTrainOneJobIntoOneRunFolder(@TempDir Path tmp) throws IOException {
        Path runs = tmp.resolve("runs");
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, String.format(CONFIG, runs));
        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }

        List<String> args = new ArrayList<>(List.of("--nproc-per-node", "2", "--master-addr", "127.0.0.1", "--master-port", Integer.toString(port), "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dorg.bytedeco.javacpp.nopointergc=true", "-Xss4m", "-Xmx768m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(), "train", "--config", config.toString()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int rc = Launcher.run(args.toArray(new String[0]), out, out);   // what `wick launch` runs (its main would System.exit)
        String log = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(log);
        assertEquals(0, rc, log);

        List<Path> folders;
        try (Stream<Path> l = Files.list(runs)) { folders = l.toList(); }
        assertEquals(1, folders.size(), "one run folder for the whole job: " + folders);
        Path dir = folders.get(0);
        for (String f : List.of("config.yaml", "metrics.jsonl", "metrics.csv", "checkpoints/last.pt"))
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " in " + dir);
        assertTrue(Files.readString(dir.resolve("config.yaml")).contains("batch_size: 32"));

        // both ranks ran; rank 0 alone prints the run folder and the results, rank 1 one line naming the same folder
        assertTrue(log.contains("[rank 0] run folder " + dir), log);
        assertTrue(log.contains("[rank 1] rank 1 of 2: training in rank 0's run folder " + dir), log);
        assertTrue(log.contains("[rank 0] test_loss "), log);
        assertFalse(log.contains("[rank 1] test_loss"), log);
        assertFalse(log.contains("[rank 1] run folder"), log);
        assertTrue(log.lines().anyMatch(l -> l.equals("[rank 0] " + dir)), "rank 0's last line is the run folder: " + log);

        // sharded data: 512 samples / 2 ranks = 256 each = 8 batches of 32 = 4 optimizer steps (one process would take 8)
        Scope.compute(() -> {
            TrainingCheckpoint ck;
            try {
                ck = TrainingCheckpoint.load(dir.resolve("checkpoints/last.pt"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertEquals(4, ck.globalStep(), "optimizer steps of the data-parallel epoch");
            Map<String, Tensor> model = ck.model();
            assertFalse(model.isEmpty());
            for (var e : model.entrySet()) {
                assertFalse(e.getKey().startsWith("module."), "the plain model's keys: " + e.getKey());
                for (float v : e.getValue().toFloatArray()) assertTrue(Float.isFinite(v), e.getKey());
            }
            return null;
        });
        List<String> records = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(4, kind(records, "step"), "one step record per optimizer step (log_every 1), written once: " + records);
        assertEquals(1, kind(records, "epoch"), records.toString());
        assertEquals(1, kind(records, "test"), records.toString());
    }

    private static long kind(List<String> records, String kind) {
        return records.stream().filter(l -> l.matches(".*\"kind\"\\s*:\\s*\"" + kind + "\".*")).count();
    }
}
