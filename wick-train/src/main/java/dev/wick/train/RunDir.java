package dev.wick.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The folder of one training run and the names of what goes in it.
 *
 * <pre>
 * runs/&lt;name or yyyyMMdd-HHmmss&gt;/
 *   config.yaml          the run's config (written by the command line, see {@link #writeConfig})
 *   metrics.jsonl        one JSON object per line: {"kind": "step"|"val"|"epoch"|"test", "epoch": 0, "step": 50, "train_loss": ..., "lr": ...}
 *   metrics.csv          the same records as a table (one column per key; numbers only)
 *   checkpoints/
 *     last.pt            the latest training checkpoint ({@link LastCheckpoint})
 *     best-epoch=3-val_acc=0.8912.pt   the k best by a monitored metric ({@link BestCheckpoints})
 *   plots/
 *     loss.png           train loss per step, train and validation loss per epoch, against the step
 *     metrics.png        every other logged metric against the step (val_acc, train_acc, ...)
 *     lr.png             the learning rate against the step
 * </pre>
 *
 * <pre>{@code
 * RunDir run = RunDir.create(Path.of("runs"), "fashion-mlp");   // runs/fashion-mlp, made if absent
 * RunDir auto = RunDir.create(Path.of("runs"), null);            // runs/20250101-120000 (-2, -3 if taken)
 * }</pre>
 *
 * Checkpoints are PyTorch files ({@code torch.load} reads them); see
 * {@link dev.wick.checkpoint.TrainingCheckpoint} for their keys.
 */
public final class RunDir {
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String CONFIG_YAML = "config.yaml";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String PLOTS = "plots";
    public static final String LAST_CHECKPOINT = "last.pt";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;

    private RunDir(Path path) { this.path = path; }

    /**
     * The run folder {@code root/name}, created if absent. A null or blank name picks a timestamp
     * ({@code yyyyMMdd-HHmmss}), with {@code -2}, {@code -3}, ... appended if that folder exists.
     */
    public static RunDir create(Path root, String name) {
        Objects.requireNonNull(root, "root");
        try {
            Path dir;
            if (name == null || name.isBlank()) {
                String stamp = LocalDateTime.now().format(STAMP);
                dir = root.resolve(stamp);
                for (int i = 2; Files.exists(dir); i++) dir = root.resolve(stamp + "-" + i);
            } else {
                if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals("."))
                    throw new IllegalArgumentException("Invalid run name: '" + name + "' (must be a single folder name)");
                dir = root.resolve(name);
            }
            Files.createDirectories(dir);
            return new RunDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the run folder under " + root + ": " + e.getMessage(), e);
        }
    }

    /** An existing or new run folder at exactly {@code dir} (created if absent). */
    public static RunDir at(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
        return new RunDir(dir);
    }

    public Path path() { return path; }
    public Path metricsJsonl() { return path.resolve(METRICS_JSONL); }
    public Path metricsCsv() { return path.resolve(METRICS_CSV); }
    public Path configYaml() { return path.resolve(CONFIG_YAML); }
    public Path checkpoints() { return path.resolve(CHECKPOINTS); }
    public Path lastCheckpoint() { return checkpoints().resolve(LAST_CHECKPOINT); }
    public Path plots() { return path.resolve(PLOTS); }

    /** Writes {@code config.yaml} verbatim (atomically). */
    public void writeConfig(String yaml) {
        try {
            dev.wick.checkpoint.AtomicFiles.write(configYaml(), yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configYaml() + ": " + e.getMessage(), e);
        }
    }

    @Override public String toString() { return path.toString(); }
}
