package dev.wick.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.checkpoint.TorchFiles;
import dev.wick.data.DataLoader;
import dev.wick.data.DistributedSampler;
import dev.wick.data.Example;
import dev.wick.distributed.DistributedDataParallel;
import dev.wick.distributed.ProcessGroup;
import dev.wick.metrics.Accuracy;
import dev.wick.metrics.ConfusionMatrix;
import dev.wick.metrics.F1Score;
import dev.wick.nn.UnaryModule;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.StepLR;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The runs of the data-parallel tests, built the same way by the single-process reference (here) and
 * by every rank of a job ({@link DdpTrainWorker}): {@link Fixture}'s 4-class problem, 1056 samples
 * (8.25 global batches of 128: the last one is partial, 32 samples, 16 per rank), a per-sample noise
 * augmentation, the order of a {@link DistributedSampler} (seed 7) over {@code world} ranks, SGD with
 * momentum, a per-step schedule, clipping, validation on every rank's shard with additive metrics,
 * train metrics, and the stateful callbacks.
 */
final class DdpRuns {
    static final int SAMPLES = 1056;
    static final Fixture DATA = new Fixture(SAMPLES);

    private DdpRuns() {}

    /**
     * One run's settings.
     *
     * @param batch      per-rank batch size
     * @param dropout    dropout after the hidden layer (0: none; the equivalence runs need none)
     * @param noise      the augmentation's noise (drawn per sample, keyed by (seed, epoch, index))
     */
    record Config(int batch, int accumulate, long epochs, double dropout, double noise, LastWindow lastWindow) {}

    /** The equivalence runs: 1 epoch, no dropout. */
    static Config equivalence(int batch, int accumulate) {
        return new Config(batch, accumulate, 1, 0, 0.1, LastWindow.STEP);
    }

    /** The resume runs: 2 epochs of windows of 2 carried across the epoch's end, dropout, per-rank RNG streams. */
    static Config resumable() {
        return new Config(64, 2, 2, 0.25, 0.2, LastWindow.CARRY);
    }

    /** A built run: the trainer and what the test reads afterwards. */
    record Run(Trainer<Example<Tensor, Tensor>> trainer, UnaryModule model, DataLoader<?, ?> loader) {
        FitResult fit(Path resumeFrom) {
            return resumeFrom == null ? trainer.fit() : trainer.fit(resumeFrom);
        }

        void close() {
            loader.close();
            if (model instanceof DistributedDataParallel<?> d) d.close();
        }
    }

    /**
     * Builds rank {@code rank} of a {@code world}-rank run. With {@code group} the model is wrapped in a
     * DDP on it; with {@code world > 1} and no group, on the default group. The model starts from seed
     * 11 on every rank (DDP copies rank 0's anyway); libtorch's default generator then gets seed
     * {@code 1000 + rank}, so each rank draws its own dropout masks.
     */
    static Run build(Config c, int world, int rank, ProcessGroup group, Path runDir, PrintStream progress, Callback... extra) {
        UnaryModule net;
        synchronized (DdpRuns.class) {                        // in-process ranks share the default generator
            net = Fixture.model(11, c.dropout());
            Engine.manualSeed(1000 + rank);
        }
        UnaryModule model = group != null ? new DistributedDataParallel<>(net, group, DistributedDataParallel.Options.defaults())
                : world > 1 ? new DistributedDataParallel<>(net) : net;
        Optimizer opt = Fixture.sgd(model, 0.05);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> train = DataLoader.builder(DATA.dataset(c.noise()))
                .sampler(new DistributedSampler(SAMPLES, world, rank, true, 7, false))
                .batchSize(c.batch()).seed(21).generator(new Generator(31 + rank)).build();
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> val = DataLoader.builder(DATA.dataset(0))
                .sampler(new DistributedSampler(SAMPLES, world, rank, false, 0, false)).batchSize(100).build();
        var b = Trainer.builder(model, opt, train, Fixture.CE)
                .maxEpochs(c.epochs()).accumulate(c.accumulate()).lastWindow(c.lastWindow()).clipGradNorm(0.5)
                .scheduler(new StepLR(opt, 3, 0.7), SchedulerInterval.STEP)
                .valLoader(val).metrics(new Accuracy(), new F1Score(Fixture.CLASSES), new ConfusionMatrix(Fixture.CLASSES))
                .trainMetrics(new Accuracy())
                .logEverySteps(2)
                .callbacks(new EarlyStopping("val_loss", Mode.MIN, 100, 0.0))
                .config("ddp test\n");
        if (runDir != null) b.runDir(RunDir.at(runDir)).callbacks(new LastCheckpoint(2), new BestCheckpoints("val_acc", Mode.MAX, 1));
        if (progress != null) b.progress(new ProgressBar(progress, false, 2)); else b.progress(false);
        b.callbacks(extra);
        return new Run(b.build(), model, train);
    }

    /** Prints every validation's values on this rank, one line each, for the test to compare across ranks. */
    record PrintValidation(PrintStream out, String run) implements OnValidationEnd {
        @Override public void onValidationEnd(TrainContext ctx, Map<String, Object> metrics) {
            out.println("VAL " + run + " epoch=" + ctx.epoch() + " step=" + ctx.globalStep() + " " + MetricsLogLine.of(metrics));
        }
    }

    /** A record as one comparable line (arrays as lists). */
    static final class MetricsLogLine {
        private MetricsLogLine() {}
        static String of(Map<String, Object> m) {
            StringBuilder sb = new StringBuilder();
            m.forEach((k, v) -> sb.append(k).append('=').append(v instanceof long[][] a ? java.util.Arrays.deepToString(a) : String.valueOf(v)).append(' '));
            return sb.toString().strip();
        }
    }

    /** Requests a checkpoint and a stop after the epoch's {@code batch}-th batch (ctx.batchIdx() == batch) of epoch {@code epoch}. */
    record StopAtBatch(long epoch, long batch, Path file) implements OnBatchEnd {
        @Override public void onBatchEnd(TrainContext ctx, BatchResult result) {
            if (ctx.epoch() == epoch && ctx.batchIdx() == batch) {
                ctx.requestCheckpoint(file);
                ctx.requestStop("test stop");
            }
        }
    }

    /** Requests a checkpoint and a stop at the end of epoch {@code epoch}. */
    record StopAtEpochEnd(long epoch, Path file) implements OnEpochEnd {
        @Override public void onEpochEnd(TrainContext ctx, Map<String, Object> record) {
            if (ctx.epoch() == epoch) {
                ctx.requestCheckpoint(file);
                ctx.requestStop("test stop");
            }
        }
    }

    /** The records without wall-clock values. */
    static List<Map<String, Object>> withoutTimings(List<Map<String, Object>> records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records) out.add(withoutTimings(r));
        return out;
    }

    static Map<String, Object> withoutTimings(Map<String, Object> r) {
        Map<String, Object> c = new LinkedHashMap<>(r);
        c.remove("samples_per_s");
        return c;
    }

    /** Saves the model's parameters and the trainer's records as {@code <name>.pt} and {@code <name>.jsonl} in {@code dir}. */
    static void save(Run run, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> params = new LinkedHashMap<>(run.model().namedParameters());
            TorchFiles.save(params, dir.resolve(name + ".pt"));
            Path jsonl = dir.resolve(name + ".jsonl");
            try (MetricsLog log = new MetricsLog(jsonl, null)) {
                for (Map<String, Object> r : run.trainer().records()) log.append(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parameters saved by {@link #save}, by name, GC-owned. */
    static Map<String, Tensor> params(Path file) {
        return Scope.outside(() -> {
            try {
                Map<String, Tensor> out = new LinkedHashMap<>();
                ((Map<?, ?>) TorchFiles.load(file)).forEach((k, v) -> out.put((String) k, (Tensor) v));
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The largest absolute difference between two parameter sets with the same names. */
    static double maxAbsDiff(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (!a.keySet().equals(b.keySet())) throw new AssertionError("different parameters: " + a.keySet() + " vs " + b.keySet());
        return Fixture.maxAbsDiff(new ArrayList<>(a.values()), new ArrayList<>(b.values()));
    }

    static boolean bitEqual(Map<String, Tensor> a, Map<String, Tensor> b) {
        return a.keySet().equals(b.keySet()) && Fixture.bitEqual(new ArrayList<>(a.values()), new ArrayList<>(b.values()));
    }
}
