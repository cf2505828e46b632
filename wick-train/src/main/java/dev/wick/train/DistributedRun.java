package dev.wick.train;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.data.BatchSampler;
import dev.wick.data.DataLoader;
import dev.wick.data.DistributedSampler;
import dev.wick.distributed.Distributed;
import dev.wick.distributed.DistributedDataParallel;
import dev.wick.distributed.ProcessGroup;
import dev.wick.distributed.ReduceOp;
import dev.wick.metrics.Metric;
import dev.wick.nn.Module;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The trainer's side of a data-parallel run (package-private): the process group, whether this rank
 * writes, and the few collectives that make every rank take the same decisions at the same batch.
 * Without a group (a plain run) every answer is that of a world of one and nothing communicates.
 *
 * <p>The group is the model's when it is a {@link DistributedDataParallel}, else the default group
 * when {@link Distributed#isInitialized()}.
 *
 * <p>NOTE [agreement]: the ranks of a job must issue the same collectives in the same order, or they
 * hang until the collective timeout. The loop is the same on every rank by construction (same config,
 * same number of batches, hooks that see the same reduced values), except for what only one rank may
 * know: a stop asked for from outside (a signal handler), a non-finite loss, a failed write. So the
 * trainer exchanges exactly those: every micro-batch's loss before its backward ({@link #gatherLosses},
 * which also gives the loss over all ranks that the logs report), the stop and checkpoint requests at
 * each checkpoint point that ends an optimizer step ({@link #agree}), and the outcome of rank 0's
 * checkpoint writes ({@link #checkpointWritten}, the barrier after them).
 */
final class DistributedRun {
    private static final DistributedRun LOCAL = new DistributedRun(null, null);

    private final ProcessGroup group;
    private final DistributedDataParallel<?> ddp;

    private DistributedRun(ProcessGroup group, DistributedDataParallel<?> ddp) {
        this.group = group;
        this.ddp = ddp;
    }

    /** The run {@code model} belongs to: its DDP group, else the default group, else a plain run. */
    static DistributedRun of(Module model) {
        if (model instanceof DistributedDataParallel<?> d) return new DistributedRun(d.group(), d);
        if (Distributed.isInitialized()) return new DistributedRun(Distributed.group(), null);
        return LOCAL;
    }

    /** A run on {@code group} without a DDP model (for tests and hand-written loops). */
    static DistributedRun on(ProcessGroup group) {
        return new DistributedRun(java.util.Objects.requireNonNull(group, "group"), null);
    }

    /** Whether this process is one rank of a group (even a group of one). */
    boolean active() { return group != null; }

    int rank() { return group == null ? 0 : group.rank(); }

    int worldSize() { return group == null ? 1 : group.worldSize(); }

    /** Rank 0: the one that writes logs, plots, checkpoints and progress. */
    boolean isMain() { return rank() == 0; }

    /**
     * A {@code ddp.noSync()} guard for a micro-batch whose backward must not all-reduce (every one
     * but the last of an accumulation window), else null (try-with-resources accepts null).
     */
    DistributedDataParallel.NoSync noSync(boolean lastOfWindow) {
        return ddp != null && !lastOfWindow ? ddp.noSync() : null;
    }

    /** A communication failure as a clear {@code DistributedException}; anything else unchanged. */
    RuntimeException explain(RuntimeException e) {
        return group == null ? e : group.explain(e);
    }

    // ------------------------------------------------------------------ checks at the start of fit()

    /** The loader's {@link DistributedSampler}: its sampler, or the one inside its {@link BatchSampler}; null if none. */
    static DistributedSampler distributedSampler(DataLoader<?, ?> loader) {
        if (loader.sampler() instanceof DistributedSampler d) return d;
        if (loader.batchSampler() instanceof BatchSampler b && b.sampler() instanceof DistributedSampler d) return d;
        return null;
    }

    /**
     * Checks that the training loader's {@link DistributedSampler} is built for this rank, and that
     * every rank runs the same loop from the same position ({@code names[i] = values[i]}); warns on
     * rank 0 when the model is not wrapped or the data is not split.
     */
    void checkStart(DataLoader<?, ?> train, String[] names, long[] values) {
        if (group == null) return;
        DistributedSampler sampler = distributedSampler(train);
        if (isMain() && worldSize() > 1) {
            if (sampler == null)
                System.err.println("[wick] warning: the training loader has no DistributedSampler, so every one of the " + worldSize()
                        + " ranks iterates the whole data set (give it a DistributedSampler to split the data)");
            if (ddp == null)
                System.err.println("[wick] warning: the model is not a DistributedDataParallel, so the " + worldSize()
                        + " ranks train independent replicas (wrap it to average gradients)");
        }
        // one exchange, then every rank fails with the same message (none waits for a rank that already failed)
        long[] mine = Arrays.copyOf(values, values.length + 2);
        mine[values.length] = sampler == null ? -1 : sampler.rank();
        mine[values.length + 1] = sampler == null ? -1 : sampler.numReplicas();
        long[][] all = gatherLongs(mine);
        for (int r = 0; r < all.length; r++) {
            long samplerRank = all[r][values.length], replicas = all[r][values.length + 1];
            if (samplerRank >= 0 && (replicas != worldSize() || samplerRank != r))
                throw new IllegalArgumentException((r == rank() ? "The" : "Rank " + r + "'s") + " training loader's DistributedSampler is for rank "
                        + samplerRank + " of " + replicas + ", but " + (r == rank() ? "this process" : "that process") + " is rank " + r + " of " + worldSize()
                        + ": build it with new DistributedSampler(n, Distributed.worldSize(), Distributed.rank())");
        }
        for (int r = 1; r < all.length; r++) {
            for (int i = 0; i < names.length; i++) {
                if (all[r][i] != all[0][i])
                    throw new IllegalStateException("Rank " + r + " disagrees with rank 0 on " + names[i] + ": " + all[r][i] + " vs " + all[0][i]
                            + " (every rank must run the same loop: the same config, a DistributedSampler that gives every rank "
                            + "the same number of batches, and the same checkpoint when resuming)");
            }
        }
    }

    private long[][] gatherLongs(long[] values) {
        long[] flat;
        try (Scope s = Scope.open()) {
            flat = group.allGatherIntoTensor(Tensor.of(values.clone())).toLongArray();
        }
        long[][] out = new long[worldSize()][];
        for (int r = 0; r < out.length; r++) out[r] = Arrays.copyOfRange(flat, r * values.length, (r + 1) * values.length);
        return out;
    }

    // ------------------------------------------------------------------ per micro-batch and per step

    /**
     * Every rank's loss and sample count for the current micro-batch: {@code [loss_0, n_0, loss_1, n_1, ...]}.
     * A plain run gets its own pair back.
     */
    double[] gatherLosses(double loss, long samples) {
        if (group == null) return new double[]{loss, samples};
        try (Scope s = Scope.open()) {
            return group.allGatherIntoTensor(Tensor.of(new double[]{loss, samples})).toDoubleArray();
        }
    }

    /** What the ranks decided together at a checkpoint point. */
    record Agreement(boolean checkpoint, String stop) {}

    /**
     * Whether any rank asked for a checkpoint, and the stop reason of the lowest rank that asked for
     * a stop (with {@code "(requested on rank r)"} when it is not rank 0), or null: the same answer on
     * every rank.
     */
    Agreement agree(boolean wantsCheckpoint, String stopRequest) {
        int w = worldSize();
        double[] flags = group.allReduce(new double[]{wantsCheckpoint ? 1 : 0, stopRequest != null ? w - rank() : 0}, ReduceOp.MAX);
        String stop = null;
        if (flags[1] > 0) {
            int src = w - (int) flags[1];
            String reason = group.broadcast(rank() == src ? stopRequest : "", src);
            stop = src == 0 ? reason : reason + " (requested on rank " + src + ")";
        }
        return new Agreement(flags[0] > 0, stop);
    }

    /**
     * The barrier after rank 0's checkpoint writes, which also tells every rank whether they failed:
     * returns rank 0's failure message, or null. (An all-reduce rather than a plain barrier, so that a
     * failed write stops every rank with the reason instead of leaving them waiting.)
     */
    String checkpointWritten(String failure) {
        double failed = group.allReduce(failure == null ? 0.0 : 1.0, ReduceOp.MAX);
        if (failed == 0) return null;
        return group.broadcast(failure == null ? "" : failure, 0);
    }

    // ------------------------------------------------------------------ rank-local state for checkpoints

    /**
     * Every rank's {@code state}, in rank order, on rank 0 (the one that writes; the others get an
     * empty list): nested maps whose leaves are tensors (RNG states, the gradients of an open
     * accumulation window) and constants (the same on every rank). Every rank must pass the same keys,
     * dtypes, shapes and constants; the tensors come back GC-owned.
     */
    List<Map<String, Object>> gather(Map<String, Object> state) {
        List<Object> leaves = new ArrayList<>();
        StringBuilder signature = new StringBuilder();
        walk("", state, leaves, signature, false);
        checkSameOnEveryRank(signature, "the rank-local checkpoint state (its RNG states and the gradients of the open accumulation window)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object leaf : leaves) bytes.writeBytes(((Tensor) leaf).toBytes());
        byte[] mine = bytes.toByteArray();
        byte[] all;
        if (mine.length == 0) {
            all = new byte[0];
        } else {
            try (Scope s = Scope.open()) {
                all = group.allGatherIntoTensor(Tensor.fromBytes(mine, DType.UINT8, mine.length)).toBytes();
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (!isMain()) return out;
        for (int r = 0; r < worldSize(); r++) {
            int[] pos = {r * mine.length};
            @SuppressWarnings("unchecked")
            Map<String, Object> copy = (Map<String, Object>) Scope.outside(() -> rebuildFromBytes(state, all, pos));
            out.add(copy);
        }
        return out;
    }

    private static Object rebuildFromBytes(Object v, byte[] all, int[] pos) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, rebuildFromBytes(x, all, pos)));
            return out;
        }
        if (!(v instanceof Tensor t)) return v;                 // a constant, the same on every rank
        int n = Math.toIntExact(t.nbytes());
        byte[] slice = Arrays.copyOfRange(all, pos[0], pos[0] + n);
        pos[0] += n;
        return Tensor.fromBytes(slice, t.dtype(), t.shape());
    }

    /**
     * The element-wise sum over the ranks of each state dict (numbers, and tensors, summed in float64
     * and converted back to their own types); strings and booleans must agree. Summed tensors are GC-owned.
     */
    List<Map<String, Object>> sum(List<Map<String, Object>> states) {
        if (states.isEmpty()) return List.of();
        List<Object> leaves = new ArrayList<>();
        StringBuilder signature = new StringBuilder();
        for (int i = 0; i < states.size(); i++) walk("[" + i + "]", states.get(i), leaves, signature, true);
        checkSameOnEveryRank(signature, "the metrics' states (every rank must have the same metrics)");
        int n = 0;
        for (Object leaf : leaves) n += leaf instanceof Tensor t ? Math.toIntExact(t.numel()) : 1;
        double[] flat = new double[n];
        int k = 0;
        for (Object leaf : leaves) {
            if (leaf instanceof Tensor t) {
                double[] d = t.toDoubleArray();
                System.arraycopy(d, 0, flat, k, d.length);
                k += d.length;
            } else {
                flat[k++] = ((Number) leaf).doubleValue();
            }
        }
        double[] total = group.allReduce(flat, ReduceOp.SUM);
        int[] pos = {0};
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : states) {
            @SuppressWarnings("unchecked")
            Map<String, Object> summed = (Map<String, Object>) Scope.outside(() -> rebuildFromSums(s, total, pos));
            out.add(summed);
        }
        return out;
    }

    private static Object rebuildFromSums(Object v, double[] total, int[] pos) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, rebuildFromSums(x, total, pos)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(rebuildFromSums(x, total, pos));
            return out;
        }
        if (v instanceof Tensor t) {
            int n = Math.toIntExact(t.numel());
            double[] d = Arrays.copyOfRange(total, pos[0], pos[0] + n);
            pos[0] += n;
            try (Scope s = Scope.open()) {
                return s.keep(Tensor.of(d).reshape(t.shape()).to(t.dtype()));
            }
        }
        if (v instanceof Number num) {
            double d = total[pos[0]++];
            if (num instanceof Long) return Math.round(d);
            if (num instanceof Integer) return (int) Math.round(d);
            if (num instanceof Float) return (float) d;
            return d;
        }
        return v;                                              // a string, boolean or null: the same on every rank
    }

    /**
     * Lists the leaves to combine in order (tensors; with {@code numbers}, numbers too), and writes the
     * structure into {@code sig}, with the values of the other leaves, which must be the same on every rank.
     */
    private static void walk(String path, Object v, List<Object> leaves, StringBuilder sig, boolean numbers) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) walk(path + "." + e.getKey(), e.getValue(), leaves, sig, numbers);
        } else if (v instanceof Tensor t) {
            leaves.add(t);
            sig.append(path).append(':').append(t.dtype()).append(Arrays.toString(t.shape())).append(';');
        } else if (numbers && v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) walk(path + "[" + i + "]", l.get(i), leaves, sig, true);
        } else if (numbers && v instanceof Number) {
            leaves.add(v);
            sig.append(path).append(":number;");
        } else if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
            sig.append(path).append('=').append(v).append(';');      // a constant: the same on every rank
        } else {
            throw new IllegalArgumentException("Cannot combine " + path.substring(1) + " across ranks: it holds a " + v.getClass().getSimpleName()
                    + " (expected numbers, tensors, strings, booleans, maps" + (numbers ? " and lists)" : ")"));
        }
    }

    private void checkSameOnEveryRank(StringBuilder signature, String what) {
        String sig = signature.toString();
        long hash = 1125899906842597L;
        for (int i = 0; i < sig.length(); i++) hash = 31 * hash + sig.charAt(i);
        long[][] all = gatherLongs(new long[]{hash, sig.length()});
        for (int r = 1; r < all.length; r++) {
            if (all[r][0] != all[0][0] || all[r][1] != all[0][1])
                throw new IllegalStateException("Rank " + r + " has another layout of " + what + " than rank 0: every rank must build the same trainer"
                        + (rank() == 0 || rank() == r ? " (this rank's: " + abbreviate(sig) + ")" : ""));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    // ------------------------------------------------------------------ metrics

    /**
     * {@code <prefix>_<name>} of each metric over all ranks, the same on every rank: an additive metric
     * ({@link Metric#isAdditive()}) is computed from the sum of the ranks' states, exactly as if one
     * process had seen all the samples (the metric's own state is left as it was); the numbers of any
     * other metric are the mean of the ranks' values weighted by {@code weight} (the samples this rank
     * saw), with {@link ProcessGroup#reduceMetrics(Map, double)}; other values of those stay this rank's.
     */
    Map<String, Object> compute(List<? extends Metric<?>> metrics, String prefix, double weight) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (group == null) {
            for (Metric<?> m : metrics) out.put(prefix + "_" + m.name(), m.compute());
            return out;
        }
        List<Map<String, Object>> own = new ArrayList<>();
        for (Metric<?> m : metrics) if (m.isAdditive()) own.add(m.stateDict());
        List<Map<String, Object>> summed = sum(own);
        Map<String, Double> averaged = new LinkedHashMap<>();
        int i = 0;
        for (Metric<?> m : metrics) {
            String key = prefix + "_" + m.name();
            if (m.isAdditive()) {
                m.loadStateDict(summed.get(i));
                try {
                    out.put(key, m.compute());
                } finally {
                    m.loadStateDict(own.get(i));
                }
                i++;
            } else {
                Object v = m.compute();
                out.put(key, v);
                if (v instanceof Number n) averaged.put(key, n.doubleValue());
            }
        }
        if (!averaged.isEmpty()) out.putAll(group.reduceMetrics(averaged, weight));
        return out;
    }

    @Override
    public String toString() {
        return group == null ? "DistributedRun(local)" : "DistributedRun(rank " + rank() + " of " + worldSize() + (ddp != null ? ", ddp" : "") + ")";
    }
}
