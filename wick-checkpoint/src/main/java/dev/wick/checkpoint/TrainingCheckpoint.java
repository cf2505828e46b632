package dev.wick.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.wick.tensor.Tensor;

/**
 * Everything a training run needs to continue exactly where it stopped, even mid-epoch and in the
 * middle of a gradient-accumulation window, as one PyTorch-format file.
 *
 * <pre>{@code
 * var ckpt = new TrainingCheckpoint(model.stateDict(), opt.stateDict(), sched.stateDict(),
 *         3, 1200, 17, 0, configYaml, new TrainingCheckpoint.Best("mAP", 0.71),
 *         Map.of("torch", TrainingCheckpoint.rngTensor(Generator.defaultGenerator().getState())), Map.of(), Map.of());
 * ckpt.save(Path.of("runs/exp1/checkpoints/last.pt"));
 * // Python: ckpt = torch.load("last.pt"); model.load_state_dict(ckpt["model"]); ckpt["epoch"], ckpt["mAP"]
 * TrainingCheckpoint back = TrainingCheckpoint.load(Path.of("runs/exp1/checkpoints/last.pt"));
 * }</pre>
 *
 * <h2>File layout (the keys of the saved dict)</h2>
 * <table>
 * <caption>Keys of a training checkpoint</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@code model}</td><td>the model's state dict ({@code OrderedDict}, keys exactly the module's)</td></tr>
 *   <tr><td>{@code optimizer}</td><td>the optimizer's state dict (PyTorch's layout)</td></tr>
 *   <tr><td>{@code scheduler}</td><td>the scheduler's state dict, or None</td></tr>
 *   <tr><td>{@code epoch}</td><td>the epoch (from 0) the checkpoint was taken in</td></tr>
 *   <tr><td>{@code global_step}</td><td>optimizer steps taken so far</td></tr>
 *   <tr><td>{@code batch_idx}</td><td>batches of {@code epoch} already consumed (trained on)</td></tr>
 *   <tr><td>{@code micro_step}</td><td>batches accumulated in the open gradient-accumulation window (0 at a window boundary)</td></tr>
 *   <tr><td>{@code args}</td><td>the run's arguments or config, verbatim (a str or a dict), or None</td></tr>
 *   <tr><td>{@code best_metric}</td><td>{@code {"name": str, "value": float}}, or None</td></tr>
 *   <tr><td><i>the best metric's name</i> (e.g. {@code mAP})</td><td>its value, so the seed's {@code ckpt['mAP']} reads as before</td></tr>
 *   <tr><td>{@code rng_state}</td><td>every RNG state: {@code "torch"} is libtorch's default generator as a uint8 tensor
 *       ({@code torch.set_rng_state} takes it); other keys are the owner's (data-loader order, named generators)</td></tr>
 *   <tr><td>{@code grads}</td><td>the parameters' accumulated {@code .grad} by state-dict key when {@code micro_step > 0}, else empty</td></tr>
 *   <tr><td><i>extra keys</i></td><td>each other {@link Stateful}'s state dict under its own key (metrics, callbacks, the trainer's counters)</td></tr>
 *   <tr><td>{@code wick}</td><td>{@code {"format": "training-checkpoint", "version": 1}}</td></tr>
 * </table>
 * So the seed's layout {@code {'model', 'optimizer', 'epoch', 'args', 'mAP'}} is a subset of the keys.
 *
 * <p>Numbers are written as Python ints and floats and read back as {@code Long} and {@code Double};
 * tensors read back follow {@link TorchFiles}' ownership rules (the open scope, else the garbage
 * collector). Files are written atomically.
 *
 * @param model      the model's state dict
 * @param optimizer  the optimizer's state dict
 * @param scheduler  the scheduler's state dict, or null
 * @param epoch      the epoch the checkpoint was taken in, from 0
 * @param globalStep optimizer steps so far
 * @param batchIdx   batches of {@code epoch} consumed so far
 * @param microStep  batches accumulated in the open accumulation window (0 at a boundary)
 * @param args       the run's config or arguments verbatim ({@code String}, {@code Map} or null)
 * @param best       the best monitored metric so far, or null
 * @param rngState   RNG states by name ({@code "torch"}: libtorch's default generator as a uint8 tensor)
 * @param grads      accumulated gradients by parameter key (non-empty only when {@code microStep > 0})
 * @param extra      other state dicts by key (each a {@link Stateful}'s)
 */
public record TrainingCheckpoint(Map<String, Tensor> model, Map<String, Object> optimizer, Map<String, Object> scheduler,
                                 long epoch, long globalStep, long batchIdx, long microStep, Object args, Best best,
                                 Map<String, Object> rngState, Map<String, Tensor> grads, Map<String, Object> extra) {

    /** The keys this class writes itself; extra state and the best metric's name may not use them. */
    public static final Set<String> RESERVED_KEYS = Set.of("model", "optimizer", "scheduler", "epoch", "global_step",
            "batch_idx", "micro_step", "args", "best_metric", "rng_state", "grads", "wick");
    /** The version written under {@code wick.version}; a later Wick reads older versions. */
    public static final long FORMAT_VERSION = 1;
    private static final String FORMAT = "training-checkpoint";

    /**
     * The best value of a monitored metric so far.
     *
     * @param name  the metric's name as logged ({@code "val_acc"}, {@code "mAP"})
     * @param value its best value
     */
    public record Best(String name, double value) {
        public Best {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("Invalid best metric name: '" + name + "' (must be non-blank)");
            if (RESERVED_KEYS.contains(name))
                throw new IllegalArgumentException("Invalid best metric name: '" + name + "' (it is a reserved checkpoint key; reserved: "
                        + String.join(", ", new java.util.TreeSet<>(RESERVED_KEYS)) + ")");
        }
    }

    public TrainingCheckpoint {
        Objects.requireNonNull(model, "model state dict");
        Objects.requireNonNull(optimizer, "optimizer state dict");
        if (epoch < 0) throw new IllegalArgumentException("Invalid epoch: " + epoch + " (must be >= 0)");
        if (globalStep < 0) throw new IllegalArgumentException("Invalid global step: " + globalStep + " (must be >= 0)");
        if (batchIdx < 0) throw new IllegalArgumentException("Invalid batch index: " + batchIdx + " (must be >= 0)");
        if (microStep < 0) throw new IllegalArgumentException("Invalid micro step: " + microStep + " (must be >= 0)");
        if (args != null && !(args instanceof String) && !(args instanceof Map<?, ?>))
            throw new IllegalArgumentException("Invalid args: a " + args.getClass().getSimpleName() + " (expected a String, a Map or null)");
        rngState = rngState == null ? Map.of() : unmodifiable(rngState);
        grads = grads == null ? Map.of() : unmodifiable(grads);
        extra = extra == null ? Map.of() : unmodifiable(extra);
        if (microStep == 0 && !grads.isEmpty())
            throw new IllegalArgumentException("Accumulated gradients given (" + grads.size() + ") at micro step 0: a window boundary has none");
        for (String k : extra.keySet()) {
            if (RESERVED_KEYS.contains(k)) throw new IllegalArgumentException("Extra state key '" + k + "' is reserved by the checkpoint layout");
            if (best != null && k.equals(best.name()))
                throw new IllegalArgumentException("Extra state key '" + k + "' is the best metric's name, which the layout writes itself");
        }
        model = unmodifiable(model);
        optimizer = unmodifiable(optimizer);
        scheduler = scheduler == null ? null : unmodifiable(scheduler);
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The dict written to the file, in the layout of the class doc. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", new PyOrderedDict(model));
        out.put("optimizer", optimizer);
        out.put("scheduler", scheduler);
        out.put("epoch", epoch);
        out.put("global_step", globalStep);
        out.put("batch_idx", batchIdx);
        out.put("micro_step", microStep);
        out.put("args", args);
        if (best != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", best.name());
            b.put("value", best.value());
            out.put("best_metric", b);
            out.put(best.name(), best.value());
        } else {
            out.put("best_metric", null);
        }
        out.put("rng_state", new LinkedHashMap<>(rngState));
        out.put("grads", new PyOrderedDict(grads));
        out.putAll(extra);
        out.put("wick", new LinkedHashMap<>(Map.of("format", FORMAT, "version", FORMAT_VERSION)));
        return out;
    }

    /**
     * Reads a checkpoint back from the dict of {@link #toMap()} (as {@link TorchFiles#load} returns it).
     * Every key not in the layout becomes an {@link #extra()} entry.
     *
     * @throws CheckpointFormatException naming the key that is missing or has the wrong type
     */
    public static TrainingCheckpoint fromMap(Map<?, ?> map) throws CheckpointFormatException {
        Objects.requireNonNull(map, "map");
        Object wick = map.get("wick");
        if (wick instanceof Map<?, ?> w) {
            Object v = w.get("version");
            if (v instanceof Number n && n.longValue() > FORMAT_VERSION)
                throw new CheckpointFormatException("Training checkpoint version " + n + " is newer than this Wick reads (" + FORMAT_VERSION + ")");
        }
        for (String k : List.of("model", "optimizer", "epoch", "global_step", "batch_idx", "micro_step"))
            if (!map.containsKey(k)) throw new CheckpointFormatException("Not a training checkpoint: key '" + k + "' is missing (keys: " + map.keySet() + ")");
        Best best = null;
        Object b = map.get("best_metric");
        if (b != null) {
            Map<?, ?> bm = as(b, Map.class, "best_metric");
            best = new Best(as(bm.get("name"), String.class, "best_metric.name"), as(bm.get("value"), Number.class, "best_metric.value").doubleValue());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new CheckpointFormatException("Training checkpoint key " + e.getKey() + " is not a string");
            if (RESERVED_KEYS.contains(k) || (best != null && k.equals(best.name()))) continue;
            extra.put(k, e.getValue());
        }
        try {
            return new TrainingCheckpoint(
                    Stateful.typed(as(map.get("model"), Map.class, "model"), Tensor.class, "model"),
                    Stateful.typed(as(map.get("optimizer"), Map.class, "optimizer"), Object.class, "optimizer"),
                    map.get("scheduler") == null ? null : Stateful.typed(as(map.get("scheduler"), Map.class, "scheduler"), Object.class, "scheduler"),
                    as(map.get("epoch"), Number.class, "epoch").longValue(),
                    as(map.get("global_step"), Number.class, "global_step").longValue(),
                    as(map.get("batch_idx"), Number.class, "batch_idx").longValue(),
                    as(map.get("micro_step"), Number.class, "micro_step").longValue(),
                    map.get("args"), best,
                    map.get("rng_state") == null ? Map.of() : Stateful.typed(as(map.get("rng_state"), Map.class, "rng_state"), Object.class, "rng_state"),
                    map.get("grads") == null ? Map.of() : Stateful.typed(as(map.get("grads"), Map.class, "grads"), Tensor.class, "grads"),
                    extra);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("Invalid training checkpoint: " + e.getMessage());
        }
    }

    private static <T> T as(Object v, Class<T> type, String key) throws CheckpointFormatException {
        if (!type.isInstance(v))
            throw new CheckpointFormatException("Training checkpoint key '" + key + "' holds "
                    + (v == null ? "None" : "a " + v.getClass().getSimpleName()) + ", expected a " + type.getSimpleName());
        return type.cast(v);
    }

    /** Writes this checkpoint to {@code file} atomically, in PyTorch's format ({@link TorchFiles#save}). */
    public void save(Path file) throws IOException {
        TorchFiles.save(toMap(), file);
    }

    /** Reads a checkpoint written by {@link #save} (or by Python with the same keys). */
    public static TrainingCheckpoint load(Path file) throws IOException {
        Object v = TorchFiles.load(file);
        if (!(v instanceof Map<?, ?> m))
            throw new CheckpointFormatException(file + ": not a training checkpoint (holds a " + (v == null ? "None" : v.getClass().getSimpleName()) + ", not a dict)");
        try {
            return fromMap(m);
        } catch (CheckpointFormatException e) {
            throw new CheckpointFormatException(file + ": " + e.getMessage());
        }
    }

    /** An RNG state as a uint8 tensor, the form {@code torch.get_rng_state()} returns and the file holds. */
    public static Tensor rngTensor(byte[] state) {
        return Tensor.fromBytes(state, dev.wick.tensor.DType.UINT8, state.length);
    }

    /** The bytes of an RNG state read back ({@link #rngTensor}'s inverse; also accepts {@code byte[]}). */
    public static byte[] rngBytes(Object state, String key) {
        if (state instanceof byte[] b) return b.clone();
        if (state instanceof Tensor t && t.dtype() == dev.wick.tensor.DType.UINT8) return t.toBytes();
        throw new IllegalArgumentException("RNG state '" + key + "' holds " + (state == null ? "nothing" : "a " + state.getClass().getSimpleName())
                + (state instanceof Tensor t ? " of dtype " + t.dtype() : "") + ", expected a uint8 tensor");
    }

    /** One line for logs: position and best metric. */
    @Override
    public String toString() {
        return "TrainingCheckpoint(epoch=" + epoch + ", global_step=" + globalStep + ", batch_idx=" + batchIdx + ", micro_step=" + microStep
                + (best == null ? "" : ", " + best.name() + "=" + best.value()) + ", model=" + model.size() + " tensors)";
    }
}
