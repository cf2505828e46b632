package dev.wick.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dev.wick.checkpoint.Stateful;
import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.metrics.Mean;
import dev.wick.metrics.Metric;
import dev.wick.nn.Module;
import dev.wick.nn.UnaryModule;
import dev.wick.optim.GradClip;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.LRScheduler;
import dev.wick.optim.lr.ReduceLROnPlateau;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Trains a model: the loop every training script writes (epochs or steps, gradient accumulation,
 * clipping, a scheduler, validation, metrics, callbacks, logs, plots, checkpoints), with a run that
 * can be stopped at any batch and resumed bit for bit.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.05).withMomentum(0.9));
 * Trainer<Example<Tensor, Tensor>> trainer = Trainer.builder(model, opt, trainLoader, new CrossEntropyLoss()::forward)
 *         .maxEpochs(10)
 *         .accumulate(4)                                            // 4 batches per optimizer step
 *         .clipGradNorm(1.0)
 *         .scheduler(new CosineAnnealingLR(opt, 10), SchedulerInterval.EPOCH)
 *         .valLoader(valLoader)
 *         .metrics(new Accuracy(), new F1Score(10))                 // val_acc, val_f1
 *         .callbacks(new EarlyStopping("val_loss", Mode.MIN, 3, 0.0),
 *                    new BestCheckpoints("val_acc", Mode.MAX, 3),
 *                    new LastCheckpoint(500))
 *         .runDir(RunDir.create(Path.of("runs"), "fashion-mlp"))
 *         .config(yamlText)                                         // saved verbatim as the checkpoints' args
 *         .build();
 * FitResult result = trainer.fit();
 * // later, after a crash or a kill:  fresh model/optimizer/loader/trainer built the same way, then
 * trainer.fit(Path.of("runs/fashion-mlp/checkpoints/last.pt"));
 * }</pre>
 *
 * <h2>The step (nanoGPT's order)</h2>
 * For each accumulation window of {@code L} batches ({@code L = accumulate}, or fewer for a short
 * last window, see {@link LastWindow}):
 * <ol>
 *   <li>the learning rate in effect is the one the scheduler set after the previous step;</li>
 *   <li>per batch, in its own {@link Scope}: {@code loss = step(batch)}; a NaN or infinite loss throws
 *       {@link NonFiniteLossException}; {@code (loss / L).backward()} (no division when {@code L == 1});
 *       {@link OnBatchEnd};</li>
 *   <li>clip ({@link GradClip} by norm or by value), {@code optimizer.step()}, {@code optimizer.zeroGrad()};</li>
 *   <li>the scheduler steps (per-step interval), {@link OnStepEnd}, a step record every
 *       {@code logEverySteps}, validation when due by steps;</li>
 *   <li>checkpoint point: requested checkpoints are written, a requested stop ends the run.</li>
 * </ol>
 * The default step, for {@code Example<Tensor, Tensor>} batches and a {@link UnaryModule}, is
 * {@code lossFn(model.forward(input), target)}; any other batch takes a {@link StepFunction}. With
 * {@code Reduction.MEAN} losses, {@code k} batches of size {@code b} accumulated give the gradient of
 * one batch of size {@code k·b}. Limits: {@code maxEpochs} (whole passes) and/or {@code maxSteps}
 * (optimizer steps, nanoGPT's {@code max_iters}); the first reached ends the run. A run that hits
 * {@code maxSteps} mid-epoch ends there, without the epoch's end (validation, epoch record); one that
 * hits it on an epoch's last batch ends that epoch first.
 *
 * <h2>Exact resume</h2>
 * A training checkpoint ({@link TrainingCheckpoint}) holds the model, optimizer and scheduler state;
 * the position (epoch, optimizer step, batches consumed in the epoch, batches in the open window) and
 * the gradients accumulated in that window; libtorch's default generator, the data loader's generator
 * as it was at the start of the epoch and as it is now, and any named {@link Generator}s; the metrics'
 * accumulators and the state of every {@link Stateful} callback. {@link #fit(Path)} restores all of it
 * into freshly built objects, sets the loader's epoch, restarts its pass from the saved generator state
 * at the first batch not yet trained on ({@code DataLoader.iterator(startBatch)}: the batches before it
 * have their indices drawn, as in the interrupted pass, but are never loaded), so the run continues
 * with the same batches, the same augmentations (keyed by (seed, epoch, index), see
 * {@code SampleRandom}) and the same dropout masks: its parameters end bit-identical to an
 * uninterrupted run's, with any number of loader workers. Requirements: the same config, and data
 * order drawn from the loader's generator (or libtorch's default one), which is what
 * {@code shuffle(true)} does.
 *
 * <h2>Outputs</h2>
 * With a {@link RunDir}: {@code metrics.jsonl} and {@code metrics.csv} (records of kind {@code step},
 * {@code val}, {@code epoch}, {@code test}, see {@link MetricsLog}), PNG plots at each epoch's end
 * ({@link Plots}), and the checkpoints callbacks ask for. A {@link ProgressBar} on standard output
 * unless {@code progress(false)}.
 *
 * <p>Stopping from outside: {@link #requestStop} is safe from any thread, e.g. a shutdown hook on
 * SIGTERM that waits for {@code fit()} to return; with a {@link LastCheckpoint}, {@code last.pt} is
 * written on the way out and {@code fit(run.lastCheckpoint())} resumes exactly.
 * <pre>{@code
 * CountDownLatch done = new CountDownLatch(1);
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> {
 *     trainer.requestStop("SIGTERM");
 *     try { done.await(); } catch (InterruptedException ignored) { }
 * }));
 * try { trainer.fit(); } finally { done.countDown(); }
 * }</pre>
 *
 * <p>The loader: before each pass the trainer sets the training loader's epoch
 * ({@code DataLoader.setEpoch}) to its own epoch, so per-sample randomness is keyed by the trainer's
 * epoch, and a resumed run replays it.
 *
 * <p>Memory: every batch and step runs in its own {@link Scope}; what outlives them (optimizer state,
 * accumulated gradients, metric counters) is long-lived by construction, so native memory stays flat.
 *
 * <h2>Data-parallel runs</h2>
 * With a {@code DistributedDataParallel} model (or whenever {@code Distributed.isInitialized()}), each
 * process is one rank of the job and runs this loop on its own share of the data, built the same way
 * on every rank:
 * <pre>{@code
 * Distributed.init();                                                  // started by the Launcher
 * var sampler = new DistributedSampler(train.size(), Distributed.worldSize(), Distributed.rank());
 * var loader = DataLoader.builder(train).sampler(sampler).batchSize(64).build();    // 64 per rank
 * var model = new DistributedDataParallel<>(new Mlp());
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.05));
 * Trainer.builder(model, opt, loader, new CrossEntropyLoss()::forward).maxEpochs(10).accumulate(2)
 *         .valLoader(valShard).metrics(new Accuracy()).runDir(run).callbacks(new LastCheckpoint(100))
 *         .build().fit();                                              // resume: fit(rank 0's last.pt) on every rank
 * }</pre>
 * <ul>
 *   <li>the training loader's epoch is set before every pass, the first one after a resume included,
 *       and {@code DataLoader.setEpoch} hands it to the loader's {@code DistributedSampler}: a new order
 *       every epoch, split the same way on every rank. A sampler built for another rank or world size
 *       is an error; ranks with different numbers of batches per epoch are an error at the start;</li>
 *   <li>in an accumulation window, every micro-batch but the last runs inside {@code ddp.noSync()}: one
 *       gradient all-reduce per optimizer step;</li>
 *   <li>the ranks exchange every micro-batch's loss before its backward: a non-finite loss on any rank
 *       stops all of them at that batch ({@link NonFiniteLossException} names the rank), and the train
 *       loss that hooks, logs and the progress bar see is the global batch's, the same on every rank;</li>
 *   <li>validation and test values and the epoch's train metrics are over all ranks' samples and the
 *       same on every rank: each rank evaluates its own loader (e.g. a shard from an unshuffled
 *       {@code DistributedSampler}), additive metrics ({@link Metric#isAdditive()}) are computed from
 *       the summed states (exactly the single-process values when the shards cover the data once),
 *       others are averaged weighted by samples ({@code ProcessGroup.reduceMetrics});</li>
 *   <li>only rank 0 writes {@code metrics.jsonl}, {@code metrics.csv}, plots and checkpoints, and
 *       shows the progress bar; the other ranks keep their records in memory ({@link #records()});
 *       after rank 0's checkpoint writes, every rank waits until they are done;</li>
 *   <li>checkpoint and stop requests are agreed on by all ranks at the end of an optimizer step (one
 *       made inside an accumulation window waits for its end), so a stop asked for on one rank (a
 *       signal) stops every rank at the same step;</li>
 *   <li>every rank resumes from rank 0's checkpoint, {@code fit(path)}: the file holds each rank's RNG
 *       states and open-window gradients, so the job continues exactly as if uninterrupted; a job of
 *       another size can resume from an epoch's end (with rank 0's RNG states on every rank);</li>
 *   <li>a communication failure in a step (a peer died, a collective timed out) comes out as a
 *       {@code DistributedException} naming the rank and the likely cause.</li>
 * </ul>
 *
 * @param <B> the batch type
 */
public final class Trainer<B> implements TrainContext {
    // ------------------------------------------------------------------ fixed by the builder
    private final Module model;
    private final Optimizer optimizer;
    private final DataLoader<?, B> train;
    private final long batchesPerEpoch;
    private final StepFunction<B> step;
    private final LRScheduler scheduler;
    private final SchedulerInterval interval;
    private final String plateauMonitor;
    private final long maxEpochs;
    private final long maxSteps;
    private final int accumulate;
    private final LastWindow lastWindow;
    private final double clipNorm;
    private final double clipNormType;
    private final double clipValue;
    private final Iterable<B> valLoader;
    private final int valEveryEpochs;
    private final long valEverySteps;
    private final List<Metric<?>> trainMetrics;
    private final List<Metric<?>> evalMetrics;
    private final List<Callback> callbacks;
    private final Map<String, Stateful> callbackState;
    private final RunDir runDir;
    private final Object config;
    private final int logEverySteps;
    private final boolean plots;
    private final Map<String, Generator> generators;
    private final Map<String, Stateful> extraState;

    // ------------------------------------------------------------------ where the run is (checkpointed)
    private long epoch;
    private boolean epochDone;
    private long globalStep;
    private long batchIdx;
    private int microStep;
    private int windowLength;
    private double windowLoss;
    private long windowSamples;
    private long stepsThisEpoch;
    private long stepsSincePlateau;
    private final Mean trainLoss = new Mean("loss");
    private byte[] loaderStateAtEpochStart;
    private Map<String, Object> lastValidation = Map.of();
    private Map<String, Object> lastEpochRecord = Map.of();

    // ------------------------------------------------------------------ per fit()
    private MetricsLog log;
    private final Map<String, Object> pendingLog = new LinkedHashMap<>();
    private final List<Request> requested = new ArrayList<>();
    private volatile String stopRequest;      // asked for by a hook or another thread, on this rank
    private String agreedStop;                // in a distributed run: the stop every rank agreed on
    private DistributedRun dist;
    private long windowStartNanos;
    private boolean atEpochEnd;

    private record Request(Path file, Runnable afterWrite) {}

    private Trainer(Builder<B> b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.train = b.train;
        this.batchesPerEpoch = b.batchesPerEpoch;
        this.step = b.step;
        this.scheduler = b.scheduler;
        this.interval = b.interval;
        this.plateauMonitor = b.plateauMonitor;
        this.maxEpochs = b.maxEpochs;
        this.maxSteps = b.maxSteps;
        this.accumulate = b.accumulate;
        this.lastWindow = b.lastWindow;
        this.clipNorm = b.clipNorm;
        this.clipNormType = b.clipNormType;
        this.clipValue = b.clipValue;
        this.valLoader = b.valLoader;
        this.valEveryEpochs = b.valEveryEpochs;
        this.valEverySteps = b.valEverySteps;
        this.trainMetrics = List.copyOf(b.trainMetrics);
        this.evalMetrics = List.copyOf(b.evalMetrics);
        List<Callback> cbs = new ArrayList<>(b.callbacks);
        if (b.progress != null) cbs.add(b.progress);
        this.callbacks = List.copyOf(cbs);
        this.callbackState = stateKeys(callbacks);
        this.runDir = b.runDir;
        this.config = b.config;
        this.logEverySteps = b.logEverySteps;
        this.plots = b.plots;
        this.generators = Collections.unmodifiableMap(new LinkedHashMap<>(b.generators));
        this.extraState = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraState));
        this.dist = DistributedRun.of(model);
    }

    /**
     * A builder for the default step: batches are {@code Example<Tensor, Tensor>} and
     * {@code loss = lossFn(model.forward(input), target)}; metrics see {@code (output, target)}.
     */
    public static Builder<Example<Tensor, Tensor>> builder(UnaryModule model, Optimizer optimizer,
                                                           DataLoader<?, Example<Tensor, Tensor>> train, LossFunction lossFn) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lossFn, "lossFn");
        return new Builder<>(model, optimizer, train, defaultStep(model, lossFn));
    }

    /** A builder for any batch type, with a {@link StepFunction} computing each batch's loss. */
    public static <B> Builder<B> builder(Module model, Optimizer optimizer, DataLoader<?, B> train, StepFunction<B> step) {
        return new Builder<>(model, optimizer, train, step);
    }

    /** The default step: {@code lossFn(model.forward(input), target)}. */
    public static StepFunction<Example<Tensor, Tensor>> defaultStep(UnaryModule model, LossFunction lossFn) {
        return batch -> {
            Tensor output = model.forward(batch.input());
            return StepOutput.of(lossFn.apply(output, batch.target()), output, batch.target());
        };
    }

    // ================================================================== the loop

    /** Trains from the start until a limit is reached or a stop is requested. */
    public FitResult fit() { return run(null); }

    /**
     * Restores the training checkpoint {@code checkpoint} into this trainer's (freshly built) model,
     * optimizer, scheduler, metrics and callbacks, then continues exactly where it was taken.
     */
    public FitResult fit(Path checkpoint) { return run(Objects.requireNonNull(checkpoint, "checkpoint")); }

    private FitResult run(Path resumeFrom) {
        stopRequest = null;
        agreedStop = null;
        dist = DistributedRun.of(model);
        DataLoader.BatchIterator<B> resumed = resumeFrom == null ? null : restore(resumeFrom);
        dist.checkStart(train, new String[]{"batches per epoch", "accumulate", "epoch", "global step", "batch index", "micro step"},
                new long[]{batchesPerEpoch, accumulate, epoch, globalStep, batchIdx, microStep});
        openLog(resumeFrom != null);
        model.train();
        fire(OnTrainStart.class, h -> h.onTrainStart(this));
        while (stop() == null && limitReached() == null) {
            if (epochDone) nextEpoch();
            boolean passOver;
            try (DataLoader.BatchIterator<B> batches = resumed != null ? resumed : startEpoch()) {
                resumed = null;
                passOver = trainPass(batches);
            }
            if (passOver && stop() == null) {
                endEpoch();              // validation, per-epoch scheduler step, OnEpochEnd, epoch record
                checkpointPoint(true);
            }
        }
        String reason = stop() != null ? stop() : limitReached();
        fire(OnTrainEnd.class, h -> h.onTrainEnd(this));
        checkpointPoint(true);
        finishLog();
        return new FitResult(epochsCompleted(), globalStep, reason, lastEpochRecord, lastValidation);
    }

    /** The stop in effect: this rank's request in a plain run; in a distributed run, the one the ranks agreed on. */
    private String stop() { return dist.active() ? agreedStop : stopRequest; }

    /** One pass over the epoch's batches; true when the pass is over, false when a limit or stop cut it. */
    private boolean trainPass(DataLoader.BatchIterator<B> batches) {
        windowStartNanos = System.nanoTime();
        while (true) {
            if (stop() != null) return false;
            if (maxSteps > 0 && globalStep >= maxSteps) return !batches.hasNext();   // at a pass's end the epoch still ends
            if (!batches.hasNext()) return passEnded();
            if (microStep == 0 && !openWindow()) return true;      // LastWindow.DROP: skip the short window
            trainBatch(batches);                                   // forward, loss / L, backward, OnBatchEnd
            if (microStep == windowLength) optimizerStep();        // clip, step, zero grads, scheduler, hooks
            checkpointPoint(false);
        }
    }

    // ================================================================== the building blocks of the loop

    private boolean passEnded() {
        if (microStep > 0 && lastWindow != LastWindow.CARRY)
            throw new IllegalStateException("The training loader's pass ended after " + batchIdx + " batches, inside an accumulation window, "
                    + "but its size() said " + batchesPerEpoch + " (the last window is sized from it)");
        return true;
    }

    private DataLoader.BatchIterator<B> startEpoch() {
        batchIdx = 0;
        stepsThisEpoch = 0;
        trainLoss.reset();
        for (Metric<?> m : trainMetrics) m.reset();
        fire(OnEpochStart.class, h -> h.onEpochStart(this));
        loaderStateAtEpochStart = loaderGenerator().getState();
        train.setEpoch(Math.toIntExact(epoch));
        return train.iterator();
    }

    private void nextEpoch() {
        epoch++;
        epochDone = false;
        batchIdx = 0;
    }

    /**
     * Fixes the length of the window that starts now; false when the rest of the epoch is dropped.
     *
     * NOTE [window length]: each batch's loss is divided by the length of its window, known when the
     * window opens (from the loader's size()), so a short last window of r batches steps on the mean
     * of r batch losses, like a batch of r·b samples: the scaling never depends on how the run ends.
     */
    private boolean openWindow() {
        long leftInEpoch = batchesPerEpoch - batchIdx;
        switch (lastWindow) {
            case STEP -> windowLength = (int) Math.min(accumulate, Math.max(1, leftInEpoch));
            case DROP -> {
                if (accumulate > 1 && leftInEpoch < accumulate) return false;
                windowLength = accumulate;
            }
            case CARRY -> {
                long left = maxEpochs > 0 ? (maxEpochs - epoch - 1) * batchesPerEpoch + leftInEpoch : Long.MAX_VALUE;
                windowLength = (int) Math.min(accumulate, Math.max(1, left));
            }
        }
        if (accumulate == 1) windowLength = 1;
        return true;
    }

    /**
     * NOTE [distributed batch]: with a {@code DistributedDataParallel} model, every micro-batch but the
     * last of its window runs forward and backward inside {@code noSync()}, so gradients accumulate
     * locally and the window's last backward all-reduces their sum once. Before backward the ranks
     * exchange their losses (NOTE [agreement] in {@link DistributedRun}): a non-finite loss on any rank
     * stops every rank at the same batch, and the loss the logs, hooks and progress see is the mean over
     * all ranks' samples, the same on every rank (the loss of the global batch).
     */
    private void trainBatch(DataLoader.BatchIterator<B> batches) {
        OnBatchEnd.BatchResult result;
        try (Scope s = Scope.open(); var skip = dist.noSync(microStep == windowLength - 1)) {
            B batch = batches.next();                              // its tensors join this scope
            StepOutput out = step.apply(batch);
            double loss = out.loss().item();
            long n = Evaluation.batchSize(batch, out);
            if (dist.active()) {
                double[] all = dist.gatherLosses(loss, n);         // [loss_0, n_0, loss_1, n_1, ...]
                double sum = 0, samples = 0;
                for (int r = 0; r < all.length / 2; r++) {
                    if (!Double.isFinite(all[2 * r]))
                        throw new NonFiniteLossException(all[2 * r], epoch, globalStep, batchIdx, r, dist.worldSize());
                    sum += all[2 * r] * all[2 * r + 1];
                    samples += all[2 * r + 1];
                }
                loss = samples > 0 ? sum / samples : loss;
                n = (long) samples;
            } else if (!Double.isFinite(loss)) {
                throw new NonFiniteLossException(loss, epoch, globalStep, batchIdx);
            }
            Tensor scaled = windowLength == 1 ? out.loss() : out.loss().div(windowLength);
            scaled.backward();
            Evaluation.update(trainMetrics, out);
            trainLoss.add(loss, n);
            windowLoss += loss;
            windowSamples += n;
            result = new OnBatchEnd.BatchResult(loss, n, batchIdx);
        } catch (RuntimeException e) {
            throw dist.explain(e);
        }
        batchIdx++;
        microStep++;
        fire(OnBatchEnd.class, h -> h.onBatchEnd(this, result));
    }

    private void optimizerStep() {
        double lr = optimizer.paramGroups().get(0).lr();
        double gradNorm = Double.NaN;
        try (Scope s = Scope.open()) {
            if (!Double.isNaN(clipNorm)) gradNorm = GradClip.clipGradNorm(model.parameters(), clipNorm, clipNormType);
            else if (!Double.isNaN(clipValue)) GradClip.clipGradValue(model.parameters(), clipValue);
            optimizer.step();
            optimizer.zeroGrad();
        } catch (RuntimeException e) {
            throw dist.explain(e);
        }
        globalStep++;
        stepsThisEpoch++;
        stepsSincePlateau++;
        if (scheduler != null && interval == SchedulerInterval.STEP && !(scheduler instanceof ReduceLROnPlateau)) scheduler.step();
        double seconds = (System.nanoTime() - windowStartNanos) / 1e9;
        OnStepEnd.StepResult r = new OnStepEnd.StepResult(windowLoss / windowLength, windowLength, windowSamples, gradNorm, lr, seconds);
        microStep = 0;
        windowLoss = 0;
        windowSamples = 0;
        fire(OnStepEnd.class, h -> h.onStepEnd(this, r));
        if (logEverySteps > 0 && globalStep % logEverySteps == 0) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("train_loss", r.loss());
            rec.put("lr", lr);
            rec.put("samples_per_s", seconds > 0 ? r.samples() / seconds : Double.NaN);
            if (!Double.isNaN(gradNorm)) rec.put("grad_norm", gradNorm);
            record("step", rec);
        } else {
            pendingLog.clear();
        }
        if (valLoader != null && valEverySteps > 0 && globalStep % valEverySteps == 0) record("val", new LinkedHashMap<>(validateNow()));
        windowStartNanos = System.nanoTime();
    }

    private void endEpoch() {
        atEpochEnd = true;
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("train_loss", trainLoss.compute());
        rec.putAll(dist.compute(trainMetrics, "train", 1.0));     // over all ranks (every rank trains on as many samples)
        if (valLoader != null && valEveryEpochs > 0 && (epoch + 1) % valEveryEpochs == 0) rec.putAll(validateNow());
        if (scheduler != null && interval == SchedulerInterval.EPOCH && stepsThisEpoch > 0 && !(scheduler instanceof ReduceLROnPlateau))
            scheduler.step();
        rec.put("lr", optimizer.paramGroups().get(0).lr());
        epochDone = true;
        Map<String, Object> view = Collections.unmodifiableMap(rec);
        fire(OnEpochEnd.class, h -> h.onEpochEnd(this, view));
        lastEpochRecord = record("epoch", rec);
        atEpochEnd = false;
        if (plots && runDir != null && dist.isMain()) Plots.write(log.records(), runDir.plots());
    }

    /** Runs the validation loader, steps a plateau scheduler, fires {@link OnValidationEnd}. */
    private Map<String, Object> validateNow() {
        Map<String, Object> m = evaluate(valLoader, "val");
        lastValidation = m;
        if (scheduler instanceof ReduceLROnPlateau plateau && stepsSincePlateau > 0) {
            if (!(m.get(plateauMonitor) instanceof Number v))
                throw new IllegalStateException("ReduceLROnPlateau monitors '" + plateauMonitor + "', which validation did not produce (it produced "
                        + m.keySet() + "); set it with scheduler(s, interval, monitor)");
            plateau.step(v.doubleValue());
            stepsSincePlateau = 0;
        }
        fire(OnValidationEnd.class, h -> h.onValidationEnd(this, m));
        return m;
    }

    /**
     * Writes the checkpoints hooks asked for; the loop then honours a requested stop.
     *
     * NOTE [distributed checkpoint point]: in a distributed run the ranks first agree (one small
     * all-reduce) on whether any of them asked for a checkpoint or a stop, so that they all stop, and
     * all take part in the checkpoint's collectives, at the same batch. To keep that to one exchange
     * per optimizer step, requests made inside an accumulation window wait for the window's end (an
     * epoch's and the run's end always count). Only rank 0 writes, and runs the requests' afterWrite
     * actions; then every rank waits until the files are written (the barrier, which also carries a
     * failed write to every rank), so another rank may read them at once.
     *
     * @param always also inside an accumulation window (an epoch's or the run's end)
     */
    private void checkpointPoint(boolean always) {
        if (dist.active()) {
            if (microStep > 0 && !always) return;
            DistributedRun.Agreement a = dist.agree(!requested.isEmpty(), stopRequest);
            if (a.stop() != null && agreedStop == null) agreedStop = a.stop();
            if (!a.checkpoint()) return;
        } else if (requested.isEmpty()) {
            return;
        }
        List<Request> todo = new ArrayList<>(requested);
        requested.clear();
        writeAll(checkpoint(), todo);                          // checkpoint(): every rank, it gathers the rank-local state
    }

    /** Writes {@code ckpt} for each request: here in a plain run; on rank 0, then the barrier, in a distributed one. */
    private void writeAll(TrainingCheckpoint ckpt, List<Request> todo) {
        if (!dist.active()) {
            for (Request r : todo) write(ckpt, r);
            return;
        }
        RuntimeException error = null;
        if (dist.isMain()) {
            try {
                for (Request r : todo) write(ckpt, r);
            } catch (RuntimeException e) {
                error = e;
            }
        }
        String failed = dist.checkpointWritten(error == null ? null : String.valueOf(error.getMessage()));
        if (error != null) throw error;
        if (failed != null) throw new IllegalStateException("Rank 0 failed to write a checkpoint, so every rank stops: " + failed);
    }

    private static void write(TrainingCheckpoint ckpt, Request r) {
        try {
            ckpt.save(r.file());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + r.file() + ": " + e.getMessage(), e);
        }
        if (r.afterWrite() != null) r.afterWrite().run();
    }

    private String limitReached() {
        if (maxSteps > 0 && globalStep >= maxSteps) return "max_steps";
        if (maxEpochs > 0 && epochsCompleted() >= maxEpochs) return "max_epochs";
        return null;
    }

    private long epochsCompleted() { return epochDone ? epoch + 1 : epoch; }

    private <H> void fire(Class<H> type, Consumer<H> call) {
        boolean main = dist.isMain();
        for (Callback c : callbacks) {
            if (!main && c instanceof ProgressBar) continue;       // progress is rank 0's
            if (type.isInstance(c)) call.accept(type.cast(c));
        }
    }

    // ================================================================== evaluation

    /** Runs the validation loader now and returns its values ({@code val_loss}, {@code val_acc}, ...); logs a {@code val} record. */
    public Map<String, Object> validate() {
        if (valLoader == null) throw new IllegalStateException("validate(): no valLoader was given to the builder");
        ensureLog();
        dist = DistributedRun.of(model);
        Map<String, Object> m = evaluate(valLoader, "val");
        record("val", new LinkedHashMap<>(m));
        return m;
    }

    /** Evaluates on {@code loader} ({@code test_loss}, {@code test_acc}, ...) and logs a {@code test} record. */
    public Map<String, Object> test(Iterable<B> loader) {
        Objects.requireNonNull(loader, "loader");
        ensureLog();
        dist = DistributedRun.of(model);
        Map<String, Object> m = evaluate(loader, "test");
        record("test", new LinkedHashMap<>(m));
        if (plots && runDir != null && dist.isMain()) Plots.write(log.records(), runDir.plots());
        return m;
    }

    /**
     * One evaluation pass over {@code loader}: {@code <prefix>_loss} and the metrics. In a distributed
     * run each rank evaluates its own loader (a shard of the data, e.g. with a DistributedSampler) and
     * the values are over all ranks' samples, the same on every rank (see {@link DistributedRun#compute}).
     */
    private Map<String, Object> evaluate(Iterable<B> loader, String prefix) {
        try {
            Evaluation.Pass pass = Evaluation.pass(model, loader, step, evalMetrics);
            List<Metric<?>> all = new ArrayList<>();
            all.add(pass.loss());                                  // named "loss": <prefix>_loss
            all.addAll(evalMetrics);
            return dist.compute(all, prefix, pass.samples());
        } catch (RuntimeException e) {
            throw dist.explain(e);
        }
    }

    // ================================================================== logs

    /** The files are rank 0's: other ranks keep their records in memory only. */
    private void openLog(boolean resuming) {
        if (log != null) log.close();
        log = runDir == null || !dist.isMain() ? new MetricsLog(null, null)
                : new MetricsLog(runDir.metricsJsonl(), runDir.metricsCsv(), resuming ? resumeLogRecords : 0);
    }

    /** Outside fit() (a test after training, or alone): continue the run folder's existing records. */
    private void ensureLog() {
        if (log == null) log = runDir == null || !DistributedRun.of(model).isMain() ? new MetricsLog(null, null)
                : new MetricsLog(runDir.metricsJsonl(), runDir.metricsCsv(), Long.MAX_VALUE);
    }

    private void finishLog() {
        if (plots && runDir != null && dist.isMain() && log.size() > 0) Plots.write(log.records(), runDir.plots());
    }

    private long resumeLogRecords;

    /** Writes a record: kind, epoch, step, then {@code values}, then what hooks logged since the last record. */
    private Map<String, Object> record(String kind, Map<String, Object> values) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("epoch", epoch);
        rec.put("step", globalStep);
        rec.putAll(values);
        rec.putAll(pendingLog);
        pendingLog.clear();
        log.append(rec);
        return rec;
    }

    // ================================================================== checkpoints

    /**
     * The state of the run now, as a training checkpoint. It refers to the live model and optimizer
     * tensors: save it at once ({@link TrainingCheckpoint#save}). Hooks should use
     * {@link #requestCheckpoint} instead, which saves at the next consistent point. In a distributed run
     * every rank must call it at the same point: it gathers every rank's RNG states (NOTE [distributed
     * checkpoint]).
     */
    public TrainingCheckpoint checkpoint() {
        dist = DistributedRun.of(model);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        if (microStep > 0) {
            try (Autograd.Guard g = Autograd.noGrad()) {
                for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                    Tensor grad = e.getValue().grad();
                    if (grad != null) grads.put(e.getKey(), Scope.outside(grad::clone));
                }
            }
        }
        Map<String, Object> rng = new LinkedHashMap<>();
        rng.put("torch", Scope.outside(() -> TrainingCheckpoint.rngTensor(Generator.defaultGenerator().getState())));
        Map<String, Object> loader = new LinkedHashMap<>();
        loader.put("epoch", epoch);
        if (loaderStateAtEpochStart != null) loader.put("epoch_start", Scope.outside(() -> TrainingCheckpoint.rngTensor(loaderStateAtEpochStart)));
        if (train.generator() != null) loader.put("now", Scope.outside(() -> TrainingCheckpoint.rngTensor(train.generator().getState())));
        rng.put("loader", loader);
        Map<String, Object> named = new LinkedHashMap<>();
        generators.forEach((k, g) -> named.put(k, Scope.outside(() -> TrainingCheckpoint.rngTensor(g.getState()))));
        rng.put("generators", named);

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("trainer", trainerState());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", trainLoss.stateDict());         // over all ranks already (NOTE [distributed batch])
        List<Map<String, Object>> additive = new ArrayList<>();
        for (Metric<?> m : trainMetrics) if (dist.active() && m.isAdditive()) additive.add(m.stateDict());
        List<Map<String, Object>> summed = dist.active() ? dist.sum(additive) : List.of();
        int i = 0;
        for (Metric<?> m : trainMetrics) metrics.put("train_" + m.name(), dist.active() && m.isAdditive() ? summed.get(i++) : m.stateDict());
        extra.put("metrics", metrics);
        Map<String, Object> cbs = new LinkedHashMap<>();
        callbackState.forEach((k, s) -> cbs.put(k, s.stateDict()));
        extra.put("callbacks", cbs);
        extraState.forEach((k, s) -> extra.put(k, s.stateDict()));
        if (dist.active()) extra.put(DISTRIBUTED, distributedState(rng, grads));
        return new TrainingCheckpoint(model.stateDict(), optimizer.stateDict(), scheduler == null ? null : scheduler.stateDict(),
                epoch, globalStep, batchIdx, microStep, config, best(), rng, grads, extra);
    }

    /** The checkpoint key of a distributed run's section. */
    private static final String DISTRIBUTED = "distributed";

    /**
     * NOTE [distributed checkpoint]: every rank holds the same model, optimizer, scheduler, position,
     * callbacks and train loss (they follow the same all-reduced gradients and the same reduced values),
     * so rank 0's are the checkpoint's. What differs per rank is kept for every rank, so that a resumed
     * job continues exactly: the RNG states (libtorch's default generator, which drives dropout; the
     * loader's generator at the epoch's start and now; the named generators) and, inside an
     * accumulation window, the gradients accumulated locally (under {@code noSync()}). Rank 0's are the
     * checkpoint's own {@code rng_state} and {@code grads}, so a plain process can resume from the
     * file too; the other ranks' go under
     * {@code distributed = {"world_size": W, "ranks": {"1": {"rng_state": ..., "grads": ...}, ...}}}
     * (filled in on rank 0, which writes; empty in the other ranks' checkpoint objects).
     * The train metrics that are additive are saved summed over the ranks (rank 0 loads the sum and
     * the others start from zero, so the epoch's total comes out the same); others are rank 0's.
     */
    private Map<String, Object> distributedState(Map<String, Object> rng, Map<String, Tensor> grads) {
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("rng_state", rng);
        mine.put("grads", new LinkedHashMap<String, Object>(grads));
        List<Map<String, Object>> all = dist.gather(mine);
        Map<String, Object> ranks = new LinkedHashMap<>();
        for (int r = 1; r < all.size(); r++) ranks.put(String.valueOf(r), all.get(r));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("world_size", (long) dist.worldSize());
        d.put("ranks", ranks);
        return d;
    }

    /**
     * Writes {@link #checkpoint()} to {@code file} now (atomically). Outside fit(), or from a hook at your
     * own risk. In a distributed run every rank must call it (it gathers every rank's RNG state); rank 0
     * writes, and every rank returns once the file is written.
     */
    public void saveCheckpoint(Path file) {
        Objects.requireNonNull(file, "file");
        writeAll(checkpoint(), List.of(new Request(file, null)));
    }

    private TrainingCheckpoint.Best best() {
        for (Callback c : callbacks) {
            if (c instanceof BestCheckpoints b && !Double.isNaN(b.bestValue())) return new TrainingCheckpoint.Best(b.monitor(), b.bestValue());
        }
        for (Callback c : callbacks) {
            if (c instanceof EarlyStopping e && Double.isFinite(e.bestValue())) return new TrainingCheckpoint.Best(e.monitor(), e.bestValue());
        }
        return null;
    }

    private Map<String, Object> trainerState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch_done", epochDone);
        m.put("window_length", (long) windowLength);
        m.put("window_loss", windowLoss);
        m.put("window_samples", windowSamples);
        m.put("steps_this_epoch", stepsThisEpoch);
        m.put("steps_since_plateau", stepsSincePlateau);
        m.put("log_records", log == null ? 0L : (long) log.size());
        m.put("last_validation", scalars(lastValidation));
        m.put("last_epoch_record", scalars(lastEpochRecord));
        return m;
    }

    private static Map<String, Object> scalars(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> { if (v instanceof Number || v instanceof String || v instanceof Boolean) out.put(k, v); });
        return out;
    }

    /**
     * Loads the checkpoint into this trainer's objects and positions the loader; returns the resumed pass, or null.
     *
     * NOTE [exact resume]: a pass's data order is drawn when the pass starts (the loader's base seed,
     * then the sampler's permutation), from the loader's generator (or libtorch's default one). So the
     * epoch is replayed from the generator state saved at its start, starting at the first batch not
     * trained on: iterator(batchIdx) draws the base seed and advances the sampler past the trained
     * batches exactly as the interrupted pass did (its workers prefetch from there, so the sampler is
     * as far ahead as it was then), without loading them; augmentation is keyed by (seed, epoch,
     * index), not by a stream, so nothing else depends on them. (Before DataLoader could start a pass
     * at batch b, the trainer iterated and discarded them: same result, every skipped batch loaded.)
     * Only then are the generators set to their state at the checkpoint, which includes everything the
     * model drew since (dropout) and the draws of the skipped part of the pass. Gradients of an open
     * accumulation window are restored as they were; the next backward adds to them, exactly as in
     * the uninterrupted run.
     */
    private DataLoader.BatchIterator<B> restore(Path file) {
        TrainingCheckpoint c = Scope.outside(() -> {
            try {
                return TrainingCheckpoint.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot resume from " + file + ": " + e.getMessage(), e);
            }
        });
        model.loadStateDict(c.model());
        optimizer.loadStateDict(c.optimizer());
        if ((c.scheduler() == null) != (scheduler == null))
            throw new IllegalStateException("Cannot resume from " + file + ": the checkpoint " + (c.scheduler() == null ? "has no" : "has a")
                    + " scheduler state but this trainer " + (scheduler == null ? "has no" : "has a") + " scheduler");
        if (scheduler != null) scheduler.loadStateDict(c.scheduler());
        epoch = c.epoch();
        globalStep = c.globalStep();
        batchIdx = c.batchIdx();
        microStep = Math.toIntExact(c.microStep());
        Map<String, Object> t = section(c.extra(), "trainer", file);
        epochDone = (Boolean) t.get("epoch_done");
        windowLength = ((Number) t.get("window_length")).intValue();
        windowLoss = ((Number) t.get("window_loss")).doubleValue();
        windowSamples = ((Number) t.get("window_samples")).longValue();
        stepsThisEpoch = ((Number) t.get("steps_this_epoch")).longValue();
        stepsSincePlateau = ((Number) t.get("steps_since_plateau")).longValue();
        resumeLogRecords = ((Number) t.get("log_records")).longValue();
        lastValidation = section(t, "last_validation", file);
        lastEpochRecord = section(t, "last_epoch_record", file);
        Map<String, Object> metrics = section(c.extra(), "metrics", file);
        trainLoss.loadStateDict(section(metrics, "train_loss", file));
        boolean shard = dist.rank() > 0;                    // an additive metric's saved total goes to rank 0 only
        for (Metric<?> m : trainMetrics) {
            if (shard && m.isAdditive()) m.reset();
            else m.loadStateDict(section(metrics, "train_" + m.name(), file));
        }
        Map<String, Object> cbs = section(c.extra(), "callbacks", file);
        callbackState.forEach((k, s) -> s.loadStateDict(section(cbs, k, file)));
        extraState.forEach((k, s) -> s.loadStateDict(section(c.extra(), k, file)));
        RankState own = rankState(c, file);
        if (microStep > 0) {
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                Tensor g = own.grads().get(e.getKey());
                e.getValue().setGrad(g == null ? null : g);
            }
        }

        Map<String, Object> rng = own.rngState();
        if (!rng.containsKey("torch"))
            throw new IllegalStateException("Cannot resume from " + file + ": rng_state has no 'torch' entry (it has " + rng.keySet() + ")");
        Map<String, Object> loader = section(rng, "loader", file);
        DataLoader.BatchIterator<B> it = null;
        if (!epochDone && batchIdx > 0) {                    // mid-epoch: replay the pass's start, from the first batch not trained on
            if (batchesPerEpoch >= 0 && batchIdx > batchesPerEpoch)
                throw new IllegalStateException("Cannot resume from " + file + ": it was taken after " + batchIdx + " batches of epoch " + epoch
                        + " but the training loader's pass has only " + batchesPerEpoch);
            loaderStateAtEpochStart = TrainingCheckpoint.rngBytes(loader.get("epoch_start"), "rng_state.loader.epoch_start");
            loaderGenerator().setState(loaderStateAtEpochStart);
            train.setEpoch(Math.toIntExact(epoch));
            it = train.iterator(Math.toIntExact(batchIdx)); // the trained batches' indices drawn, never loaded
        }
        Generator.defaultGenerator().setState(TrainingCheckpoint.rngBytes(rng.get("torch"), "rng_state.torch"));
        if (train.generator() != null && loader.get("now") != null)
            train.generator().setState(TrainingCheckpoint.rngBytes(loader.get("now"), "rng_state.loader.now"));
        Map<String, Object> named = section(rng, "generators", file);
        generators.forEach((k, g) -> g.setState(TrainingCheckpoint.rngBytes(named.get(k), "rng_state.generators." + k)));
        return it;
    }

    private record RankState(Map<String, Object> rngState, Map<String, Tensor> grads) {}

    /**
     * This rank's RNG states and open-window gradients (NOTE [distributed checkpoint]): the checkpoint's
     * own for rank 0 and a plain run, rank r's for rank r of a job of the size that wrote it. A job of
     * another size may resume only from an epoch's end, with rank 0's states on every rank (mid-epoch,
     * the data would be split differently from the interrupted pass).
     */
    private RankState rankState(TrainingCheckpoint c, Path file) {
        long saved = 1;
        Map<String, Object> ranks = Map.of();
        if (c.extra().get(DISTRIBUTED) != null) {
            Map<String, Object> d = section(c.extra(), DISTRIBUTED, file);
            if (!(d.get("world_size") instanceof Number n))
                throw new IllegalStateException("Cannot resume from " + file + ": its '" + DISTRIBUTED + "' section has no world_size");
            saved = n.longValue();
            ranks = section(d, "ranks", file);
        }
        if (saved != dist.worldSize() && (microStep > 0 || (!epochDone && batchIdx > 0)))
            throw new IllegalStateException("Cannot resume from " + file + ": it was taken inside epoch " + epoch + " (after batch " + batchIdx
                    + (microStep > 0 ? ", inside an accumulation window" : "") + ") by a job of " + saved + " process(es), and this job has "
                    + dist.worldSize() + ", which splits the epoch's data differently; resume from a checkpoint taken at an epoch's end");
        if (dist.rank() == 0 || saved != dist.worldSize()) return new RankState(c.rngState(), c.grads());
        Map<String, Object> mine = section(ranks, String.valueOf(dist.rank()), file);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        section(mine, "grads", file).forEach((k, v) -> grads.put(k, (Tensor) v));
        return new RankState(section(mine, "rng_state", file), grads);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> m, String key, Path file) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?>))
            throw new IllegalStateException("Cannot resume from " + file + ": its state has no '" + key + "' section (it has " + m.keySet() + ")");
        return (Map<String, Object>) v;
    }

    private Generator loaderGenerator() {
        return train.generator() != null ? train.generator() : Generator.defaultGenerator();
    }

    private static Map<String, Stateful> stateKeys(List<Callback> callbacks) {
        Map<String, Stateful> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            if (!(c instanceof Stateful s)) continue;
            String base = c.getClass().getSimpleName();
            int n = seen.merge(base, 1, Integer::sum);
            out.put(n == 1 ? base : base + "#" + n, s);
        }
        return out;
    }

    // ================================================================== TrainContext

    @Override public long epoch() { return epoch; }
    @Override public long globalStep() { return globalStep; }
    @Override public long batchIdx() { return batchIdx; }
    @Override public int microStep() { return microStep; }
    @Override public boolean atEpochEnd() { return atEpochEnd; }
    @Override public int accumulate() { return accumulate; }
    @Override public long batchesPerEpoch() { return batchesPerEpoch; }
    @Override public long maxEpochs() { return maxEpochs; }
    @Override public long maxSteps() { return maxSteps; }
    @Override public Module model() { return model; }
    @Override public Optimizer optimizer() { return optimizer; }
    @Override public LRScheduler scheduler() { return scheduler; }
    @Override public RunDir runDir() { return runDir; }
    @Override public Object config() { return config; }
    @Override public Map<String, Object> lastValidation() { return Collections.unmodifiableMap(lastValidation); }
    /**
     * The records written so far ({@code metrics.jsonl}'s lines), read-only. In a distributed run the
     * other ranks have the same records in memory (those of this process's fit() calls after a resume).
     */
    public List<Map<String, Object>> records() { ensureLog(); return log.records(); }

    @Override
    public void log(String key, Object value) {
        Objects.requireNonNull(key, "key");
        pendingLog.put(key, value);
    }

    @Override
    public void requestCheckpoint(Path file, Runnable afterWrite) {
        Objects.requireNonNull(file, "file");
        requested.add(new Request(file, afterWrite));
    }

    @Override
    public void requestStop(String reason) {
        if (stopRequest == null) stopRequest = reason == null ? "stop requested" : reason;
    }

    @Override public boolean stopRequested() { return stopRequest != null; }

    @Override
    public String toString() {
        return "Trainer(epoch=" + epoch + ", step=" + globalStep + ", batch=" + batchIdx + ", micro_step=" + microStep + ")";
    }

    // ================================================================== builder

    /**
     * The options of a {@link Trainer}. Required: the model, optimizer, training loader and step (given
     * to {@link Trainer#builder}), and {@link #maxEpochs} or {@link #maxSteps}. Each setter checks its
     * value; {@link #build()} checks how they combine.
     *
     * @param <B> the batch type
     */
    public static final class Builder<B> {
        private final Module model;
        private final Optimizer optimizer;
        private final DataLoader<?, B> train;
        private final StepFunction<B> step;
        private long batchesPerEpoch = -1;
        private long maxEpochs;
        private long maxSteps;
        private int accumulate = 1;
        private LastWindow lastWindow = LastWindow.STEP;
        private LRScheduler scheduler;
        private SchedulerInterval interval = SchedulerInterval.EPOCH;
        private String plateauMonitor = "val_loss";
        private double clipNorm = Double.NaN;
        private double clipNormType = 2.0;
        private double clipValue = Double.NaN;
        private Iterable<B> valLoader;
        private Integer valEveryEpochs;
        private long valEverySteps;
        private final List<Metric<?>> trainMetrics = new ArrayList<>();
        private final List<Metric<?>> evalMetrics = new ArrayList<>();
        private final List<Callback> callbacks = new ArrayList<>();
        private RunDir runDir;
        private Object config;
        private int logEverySteps = 50;
        private ProgressBar progress = new ProgressBar();
        private boolean plots = true;
        private final Map<String, Generator> generators = new LinkedHashMap<>();
        private final Map<String, Stateful> extraState = new LinkedHashMap<>();

        private Builder(Module model, Optimizer optimizer, DataLoader<?, B> train, StepFunction<B> step) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.train = Objects.requireNonNull(train, "train loader");
            this.step = Objects.requireNonNull(step, "step function");
        }

        /** Stop after this many epochs (whole passes over the training loader). */
        public Builder<B> maxEpochs(long maxEpochs) {
            if (maxEpochs <= 0) throw new IllegalArgumentException("Invalid maxEpochs: " + maxEpochs + " (must be > 0)");
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** Stop after this many optimizer steps (nanoGPT's {@code max_iters}); epochs roll over as needed. */
        public Builder<B> maxSteps(long maxSteps) {
            if (maxSteps <= 0) throw new IllegalArgumentException("Invalid maxSteps: " + maxSteps + " (must be > 0)");
            this.maxSteps = maxSteps;
            return this;
        }

        /** Batches per optimizer step (gradient accumulation; default 1). */
        public Builder<B> accumulate(int batches) {
            if (batches < 1) throw new IllegalArgumentException("Invalid accumulate: " + batches + " (must be >= 1)");
            this.accumulate = batches;
            return this;
        }

        /** What to do with an epoch's short last window (default {@link LastWindow#STEP}). */
        public Builder<B> lastWindow(LastWindow lastWindow) {
            this.lastWindow = Objects.requireNonNull(lastWindow, "lastWindow");
            return this;
        }

        /** A scheduler stepped per epoch (PyTorch's usual place). */
        public Builder<B> scheduler(LRScheduler scheduler) { return scheduler(scheduler, SchedulerInterval.EPOCH); }

        /** A scheduler and when to step it; it steps only after the optimizer stepped. */
        public Builder<B> scheduler(LRScheduler scheduler, SchedulerInterval interval) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * A {@link ReduceLROnPlateau} stepped after each validation with the value of {@code monitor}
         * ({@code "val_loss"} by default).
         */
        public Builder<B> scheduler(ReduceLROnPlateau scheduler, String monitor) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            if (monitor == null || monitor.isBlank()) throw new IllegalArgumentException("Invalid monitor: '" + monitor + "' (must be non-blank)");
            this.plateauMonitor = monitor;
            return this;
        }

        /** Clip the gradients' total 2-norm to {@code maxNorm} before each step. */
        public Builder<B> clipGradNorm(double maxNorm) { return clipGradNorm(maxNorm, 2.0); }

        /** Clip the gradients' total {@code normType}-norm to {@code maxNorm} before each step. */
        public Builder<B> clipGradNorm(double maxNorm, double normType) {
            if (!(maxNorm > 0)) throw new IllegalArgumentException("Invalid max norm: " + maxNorm + " (must be > 0)");
            if (!(normType > 0)) throw new IllegalArgumentException("Invalid norm type: " + normType + " (must be > 0, or infinity)");
            this.clipNorm = maxNorm;
            this.clipNormType = normType;
            return this;
        }

        /** Clamp every gradient element to {@code [-clipValue, clipValue]} before each step. */
        public Builder<B> clipGradValue(double clipValue) {
            if (!(clipValue > 0)) throw new IllegalArgumentException("Invalid clip value: " + clipValue + " (must be > 0)");
            this.clipValue = clipValue;
            return this;
        }

        /** The validation data (a loader, or any iterable of batches); validated every epoch unless set otherwise. */
        public Builder<B> valLoader(Iterable<B> valLoader) {
            this.valLoader = Objects.requireNonNull(valLoader, "valLoader");
            return this;
        }

        /** Validate at the end of every {@code n}-th epoch (default 1 when a valLoader is set). */
        public Builder<B> validateEveryEpochs(int n) {
            if (n < 1) throw new IllegalArgumentException("Invalid validateEveryEpochs: " + n + " (must be >= 1)");
            this.valEveryEpochs = n;
            return this;
        }

        /** Validate after every {@code n}-th optimizer step (and not at epoch ends unless validateEveryEpochs is also set). */
        public Builder<B> validateEverySteps(long n) {
            if (n < 1) throw new IllegalArgumentException("Invalid validateEverySteps: " + n + " (must be >= 1)");
            this.valEverySteps = n;
            return this;
        }

        /** Metrics of validation and test passes (logged {@code val_<name>}, {@code test_<name>}); the loss is always logged. */
        public Builder<B> metrics(Metric<?>... metrics) {
            for (Metric<?> m : metrics) evalMetrics.add(Objects.requireNonNull(m, "metric"));
            return this;
        }

        /** Metrics accumulated over each training epoch (logged {@code train_<name>}); use other instances than {@link #metrics}'. */
        public Builder<B> trainMetrics(Metric<?>... metrics) {
            for (Metric<?> m : metrics) trainMetrics.add(Objects.requireNonNull(m, "metric"));
            return this;
        }

        /** Hooks, called in this order (see {@link Callback}). */
        public Builder<B> callbacks(Callback... callbacks) {
            for (Callback c : callbacks) this.callbacks.add(Objects.requireNonNull(c, "callback"));
            return this;
        }

        /** The run folder for metrics, plots and checkpoints (default none: nothing is written). */
        public Builder<B> runDir(RunDir runDir) {
            this.runDir = Objects.requireNonNull(runDir, "runDir");
            return this;
        }

        /** The run's config or arguments ({@code String} such as the YAML text, or a {@code Map}), saved verbatim in checkpoints as {@code args}. */
        public Builder<B> config(Object config) {
            if (config != null && !(config instanceof String) && !(config instanceof Map<?, ?>))
                throw new IllegalArgumentException("Invalid config: a " + config.getClass().getSimpleName() + " (expected a String, a Map or null)");
            this.config = config;
            return this;
        }

        /** Write a step record every {@code n} optimizer steps (default 50; 0 writes none). */
        public Builder<B> logEverySteps(int n) {
            if (n < 0) throw new IllegalArgumentException("Invalid logEverySteps: " + n + " (must be >= 0)");
            this.logEverySteps = n;
            return this;
        }

        /** Show the default progress bar (default true). */
        public Builder<B> progress(boolean on) {
            this.progress = on ? new ProgressBar() : null;
            return this;
        }

        /** Use this progress bar (its output stream, live or plain). */
        public Builder<B> progress(ProgressBar bar) {
            this.progress = Objects.requireNonNull(bar, "progress bar");
            return this;
        }

        /** Write PNG plots to the run folder at each epoch's end (default true). */
        public Builder<B> plots(boolean on) {
            this.plots = on;
            return this;
        }

        /** A generator whose state goes into checkpoints under {@code rng_state.generators.<name>} (e.g. one a model draws from). */
        public Builder<B> generator(String name, Generator generator) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("Invalid generator name: '" + name + "'");
            generators.put(name, Objects.requireNonNull(generator, "generator"));
            return this;
        }

        /** Any other state saved in checkpoints under {@code key} and restored on resume. */
        public Builder<B> state(String key, Stateful state) {
            if (key == null || key.isBlank()) throw new IllegalArgumentException("Invalid state key: '" + key + "'");
            if (TrainingCheckpoint.RESERVED_KEYS.contains(key) || List.of("trainer", "metrics", "callbacks", DISTRIBUTED).contains(key))
                throw new IllegalArgumentException("Invalid state key: '" + key + "' (reserved by the checkpoint layout)");
            extraState.put(key, Objects.requireNonNull(state, "state"));
            return this;
        }

        /** Checks the options together and makes the trainer. */
        public Trainer<B> build() {
            if (maxEpochs == 0 && maxSteps == 0) throw new IllegalArgumentException("Set maxEpochs or maxSteps (or both): the run needs a limit");
            if (!Double.isNaN(clipNorm) && !Double.isNaN(clipValue))
                throw new IllegalArgumentException("clipGradNorm and clipGradValue are mutually exclusive (got maxNorm=" + clipNorm + " and clipValue=" + clipValue + ")");
            if (valLoader == null && (valEveryEpochs != null || valEverySteps > 0))
                throw new IllegalArgumentException("validateEveryEpochs/validateEverySteps need a valLoader");
            if (scheduler != null && scheduler.optimizer() != optimizer)
                throw new IllegalArgumentException("The scheduler drives another optimizer than the trainer's");
            if (scheduler instanceof ReduceLROnPlateau && valLoader == null)
                throw new IllegalArgumentException("ReduceLROnPlateau steps on a validation metric ('" + plateauMonitor + "'): set a valLoader");
            for (Metric<?> m : trainMetrics)
                for (Metric<?> e : evalMetrics)
                    if (m == e) throw new IllegalArgumentException("Metric '" + m.name() + "' is given to both metrics() and trainMetrics(); use two instances");
            try {
                batchesPerEpoch = train.size();
            } catch (UnsupportedOperationException e) {
                batchesPerEpoch = -1;
            }
            if (batchesPerEpoch == 0) throw new IllegalArgumentException("The training loader yields no batches (size 0)");
            if (batchesPerEpoch < 0 && accumulate > 1)
                throw new IllegalArgumentException("accumulate=" + accumulate + " needs a training loader that knows its size (DataLoader.size()), to size the last window");
            if (valEveryEpochs == null) valEveryEpochs = valLoader != null && valEverySteps == 0 ? 1 : 0;
            return new Trainer<>(this);
        }
    }
}
