package dev.wick.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.distributed.Distributed;
import dev.wick.distributed.DistributedDataParallel;
import dev.wick.data.transforms.CropFlipNormalize.Placed;
import dev.wick.metrics.Accuracy;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.CrossEntropyLoss;
import dev.wick.optim.Optimizer;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.train.BestCheckpoints;
import dev.wick.train.Callback;
import dev.wick.train.EarlyStopping;
import dev.wick.train.FitResult;
import dev.wick.train.LastCheckpoint;
import dev.wick.train.Mode;
import dev.wick.train.ProgressBar;
import dev.wick.train.RunDir;
import dev.wick.train.SchedulerInterval;
import dev.wick.train.Trainer;

/**
 * A training run built from a {@link RunConfig}: the model, data, optimizer, schedule and
 * {@link Trainer} it names, a run folder, the training, then a pass over the test split.
 *
 * <pre>{@code
 * Job.Result r = Job.train(RunConfig.defaults(List.of()), System.out);   // what `wick train` does
 * Job.resume(r.runDir().path(), List.of(), System.out);                  // what `wick resume <dir>` does
 * }</pre>
 *
 * <p>The run folder gets {@code config.yaml} (the effective config, verbatim) before training starts,
 * then the trainer's {@code metrics.jsonl}, {@code metrics.csv}, {@code plots/} and
 * {@code checkpoints/} ({@code last.pt} for resuming, and the {@code keep_best} best by
 * {@code monitor}); each checkpoint embeds the config text as {@code args}. After training, the test
 * split's loss and accuracy are logged as the last record ({@code kind: test}) and printed.
 *
 * <p>Data-parallel: started by {@code wick launch} (environment {@code WORLD_SIZE} > 1), every process
 * joins the default group ({@link Distributed#init()}), builds the same model from the same seed and
 * wraps it in a {@link DistributedDataParallel} (rank 0's weights on every rank; the optimizer holds the
 * wrapper's parameters), and trains on its shard of a {@link dev.wick.data.DistributedSampler} order,
 * {@code batch_size} per rank. All ranks share one run folder: rank 0 creates it and writes
 * {@code config.yaml}, then sends its path to the others; only rank 0 prints (the trainer writes only
 * there). Validation and test sets are evaluated whole on every rank (the trainer's reduction over ranks
 * then gives the numbers of one process). The group is closed at the end.
 */
final class Job {
    /** Steps between rewrites of {@code last.pt} (it is also written at each epoch's end). */
    static final long LAST_CHECKPOINT_EVERY_STEPS = 200;

    private final ImageData data;
    private final UnaryModule model;                      // the DistributedDataParallel wrapper in a data-parallel run
    private final DistributedDataParallel<UnaryModule> ddp;   // null in one process
    private final Optimizer optimizer;
    private final DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> trainLoader, valLoader, testLoader;
    private final Trainer<Example<Tensor, Tensor>> trainer;
    private final RunDir run;

    /** What a run ended with; {@code main}: this process prints (false on the other ranks of a data-parallel run). */
    record Result(RunDir runDir, FitResult fit, Map<String, Object> test, double seconds, boolean main) {
        double testAcc() { return ((Number) test.get("test_acc")).doubleValue(); }
    }

    private Job(RunConfig cfg, java.util.function.Supplier<RunDir> runDir, PrintStream out) {
        RunConfig.Trainer t = cfg.trainer();
        if (t.threads() != null) Engine.threads(t.threads());
        Engine.manualSeed(t.seed());
        this.data = ImageData.load(cfg.data(), t.seed());
        UnaryModule plain = Scope.outside(() -> Models.build(cfg.model(), data.numClasses()));
        boolean parallel = Distributed.isInitialized() && Distributed.worldSize() > 1;
        this.ddp = parallel ? Scope.outside(() -> new DistributedDataParallel<>(plain)) : null;
        this.model = parallel ? ddp : plain;
        this.optimizer = Optimizers.build(cfg.optimizer(), model);
        this.trainLoader = parallel ? data.trainLoader(Distributed.worldSize(), Distributed.rank()) : data.trainLoader();
        this.valLoader = data.valLoader();
        this.testLoader = data.testLoader();

        long batches = trainLoader.size();
        long stepsPerEpoch = (batches + t.accumulation() - 1) / t.accumulation();   // the short last window steps too
        long total = t.maxSteps() != null ? t.maxSteps() : Long.MAX_VALUE;
        if (t.maxEpochs() != null) total = Math.min(total, t.maxEpochs() * stepsPerEpoch);
        Schedules.Built sched = Schedules.build(cfg.scheduler(), optimizer, stepsPerEpoch, total);
        this.run = runDir.get();                     // made once the config has proved buildable

        var b = Trainer.builder(model, optimizer, trainLoader, new CrossEntropyLoss()::forward)
                .accumulate(t.accumulation())
                .valLoader(valLoader)
                .metrics(new Accuracy())
                .trainMetrics(new Accuracy())
                .runDir(run)
                .config(cfg.yaml())
                .logEverySteps(t.logEvery())
                .progress(new ProgressBar(out, System.console() != null, t.logEvery()));
        if (t.maxEpochs() != null) b.maxEpochs(t.maxEpochs());
        if (t.maxSteps() != null) b.maxSteps(t.maxSteps());
        if (t.clipGradNorm() != null) b.clipGradNorm(t.clipGradNorm());
        if (sched.scheduler() != null) b.scheduler(sched.scheduler(), sched.perStep() ? SchedulerInterval.STEP : SchedulerInterval.EPOCH);
        Mode mode = RunConfig.higherIsBetter(t.monitor()) ? Mode.MAX : Mode.MIN;
        List<Callback> callbacks = new ArrayList<>();
        if (t.keepBest() > 0) callbacks.add(new BestCheckpoints(t.monitor(), mode, t.keepBest()));
        if (t.earlyStopping() != null) callbacks.add(new EarlyStopping(t.monitor(), mode, t.earlyStopping(), 0.0));
        callbacks.add(new LastCheckpoint(LAST_CHECKPOINT_EVERY_STEPS));
        b.callbacks(callbacks.toArray(new Callback[0]));
        this.trainer = b.build();
    }

    /** Trains {@code cfg} in a new run folder under {@code trainer.run_dir}; progress goes to {@code out}. */
    static Result train(RunConfig cfg, PrintStream out) {
        long t0 = System.nanoTime();
        try (Closer c = new Closer(joinGroup())) {
            PrintStream shown = Distributed.isMain() ? out : NOWHERE;
            shown.println(describe(cfg));
            Job job = c.add(new Job(cfg, () -> sharedRunDir(cfg, out), shown));
            FitResult fit = job.trainer.fit();
            return job.finish(fit, shown, t0);
        }
    }

    /** Where output of the ranks other than 0 goes. */
    private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

    /**
     * Joins the default process group when the environment names a data-parallel job ({@code WORLD_SIZE}
     * > 1, as {@code wick launch} sets it) and none is set up yet; true when this call set it up.
     */
    static boolean joinGroup() {
        String ws = System.getenv("WORLD_SIZE");
        if (ws == null || ws.isBlank() || Distributed.isInitialized()) return false;
        int worldSize;
        try {
            worldSize = Integer.parseInt(ws.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(null, "Invalid WORLD_SIZE: '" + ws + "' (must be an integer >= 1)");
        }
        if (worldSize < 1) throw new ConfigException(null, "Invalid WORLD_SIZE: " + worldSize + " (must be >= 1)");
        if (worldSize == 1) return false;
        Distributed.init();
        return true;
    }

    /**
     * A fresh run folder; in a data-parallel run rank 0 makes it and every other rank gets its path (and
     * prints one line saying so: the only line a rank other than 0 prints).
     */
    private static RunDir sharedRunDir(RunConfig cfg, PrintStream out) {
        boolean parallel = Distributed.isInitialized() && Distributed.worldSize() > 1;
        if (!parallel || Distributed.isMain()) {
            RunDir run;
            try {
                run = RunDir.create(cfg.trainer().runDir(), cfg.trainer().runName());
                run.writeConfig(cfg.yaml());
            } catch (RuntimeException e) {
                if (parallel) Distributed.group().broadcast(FAILED + e.getMessage(), 0);   // the others fail now, not at a timeout
                throw e;
            }
            if (parallel) Distributed.group().broadcast(run.path().toString(), 0);
            out.println("run folder " + run.path());
            return run;
        }
        String path = Distributed.group().broadcast((String) null, 0);
        if (path.startsWith(FAILED))
            throw new IllegalStateException("rank " + Distributed.rank() + ": rank 0 could not create the run folder: " + path.substring(FAILED.length()));
        out.println("rank " + Distributed.rank() + " of " + Distributed.worldSize() + ": training in rank 0's run folder " + path);
        return RunDir.at(Path.of(path));
    }

    /** Marks a failure in the run-folder broadcast (a path never starts with a NUL). */
    private static final String FAILED = "\0failed: ";

    /** The keys {@code wick resume --set} may change: the limits; anything else would break the exact resume. */
    static final List<String> RESUME_KEYS = List.of("trainer.max_epochs", "trainer.max_steps");

    /**
     * Continues the run in {@code dir} from its {@code checkpoints/last.pt}, with its own
     * {@code config.yaml}. {@code overrides} may change the limits only ({@link #RESUME_KEYS}), to
     * extend a finished run or finish one started with a lower limit; the run's {@code config.yaml} is
     * then rewritten with the new effective config.
     */
    static Result resume(Path dir, List<String> overrides, PrintStream out) {
        long t0 = System.nanoTime();
        if (!Files.isDirectory(dir)) throw new ConfigException(null, "no run folder at " + dir);
        RunDir run = RunDir.at(dir);
        if (!Files.isRegularFile(run.configYaml()))
            throw new ConfigException(null, dir + " is not a run folder: it has no " + RunDir.CONFIG_YAML);
        Path last = run.lastCheckpoint();
        if (!Files.isRegularFile(last))
            throw new ConfigException(null, "nothing to resume in " + dir + ": it has no " + dir.relativize(last) + " (no step was checkpointed yet)");
        for (String o : overrides) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
            if (!RESUME_KEYS.contains(key))
                throw new ConfigException(key, "cannot change on resume (only " + String.join(" and ", RESUME_KEYS)
                        + " can: any other change would make the resumed run differ from an uninterrupted one)");
        }
        String text;
        try {
            text = Files.readString(run.configYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + run.configYaml() + ": " + e.getMessage(), e);
        }
        RunConfig cfg = RunConfig.parse(text, run.configYaml().toString(), overrides);
        try (Closer c = new Closer(joinGroup())) {
            return resume(run, last, cfg, overrides, Distributed.isMain() ? out : NOWHERE, c, t0);
        }
    }

    private static Result resume(RunDir run, Path last, RunConfig cfg, List<String> overrides, PrintStream out, Closer c, long t0) {
        Path dir = run.path();
        if (!overrides.isEmpty() && Distributed.isMain()) run.writeConfig(cfg.yaml());
        long stepBefore = Scope.compute(() -> {
            try {
                return TrainingCheckpoint.load(last).globalStep();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + last + ": " + e.getMessage(), e);
            }
        });
        out.println("resuming " + run.path() + " from " + dir.relativize(last) + " (optimizer step " + stepBefore + ")");
        Job job = c.add(new Job(cfg, () -> run, out));
        FitResult fit = job.trainer.fit(last);
        if (fit.globalStep() == stepBefore) out.println("the run had already finished (" + fit.stopReason() + "); nothing left to train");
        return job.finish(fit, out, t0);
    }

    private Result finish(FitResult fit, PrintStream out, long t0) {
        Map<String, Object> test = trainer.test(testLoader);
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "stopped: %s after %d epochs, %d optimizer steps%n", fit.stopReason(), fit.epochsCompleted(), fit.globalStep());
        out.printf(Locale.ROOT, "test_loss %.4f  test_acc %.4f  (%d test images, %.1f s in all)%n",
                ((Number) test.get("test_loss")).doubleValue(), ((Number) test.get("test_acc")).doubleValue(), data.testSize(), seconds);
        return new Result(run, fit, test, seconds, Distributed.isMain());
    }

    /** One line on what runs: model, data, optimizer, schedule, limits. */
    static String describe(RunConfig c) {
        RunConfig.Trainer t = c.trainer();
        RunConfig.Data d = c.data();
        return String.format(Locale.ROOT, "%s on %s (batch %d x %d accumulated, %d workers%s), %s lr %s, %s schedule, %s, seed %d",
                c.model().name(), d.dataset(), d.batchSize(), t.accumulation(), d.numWorkers(),
                d.augment() ? ", crop " + d.cropPadding() + " + flip " + d.hflip() : "", c.optimizer().name(), Section.fmt(c.optimizer().lr()),
                c.scheduler().name(), (t.maxEpochs() != null ? t.maxEpochs() + " epochs" : "") + (t.maxEpochs() != null && t.maxSteps() != null ? " / " : "")
                        + (t.maxSteps() != null ? t.maxSteps() + " steps" : ""), t.seed());
    }

    private void close() {
        trainLoader.close();
        valLoader.close();
        testLoader.close();
        if (ddp != null) ddp.close();
    }

    /** Closes the job's loaders (their worker threads) and the process group it joined, however the run ends. */
    private static final class Closer implements AutoCloseable {
        private final boolean ownsGroup;
        private Job job;

        Closer(boolean ownsGroup) { this.ownsGroup = ownsGroup; }

        Job add(Job j) { this.job = j; return j; }

        @Override public void close() {
            try {
                if (job != null) job.close();
            } finally {
                if (ownsGroup) Distributed.destroy();
            }
        }
    }
}
