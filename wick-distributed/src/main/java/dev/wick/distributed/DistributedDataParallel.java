package dev.wick.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.bytedeco.pytorch.BoolVector;
import org.bytedeco.pytorch.LoggerOptional;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Reducer;
import org.bytedeco.pytorch.SizeTStringMap;
import org.bytedeco.pytorch.SizeTVector;
import org.bytedeco.pytorch.SizeTVectorVector;
import org.bytedeco.pytorch.T_SizeTVectorVectorSizeTVector_T;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.wick.data.Batches;
import dev.wick.nn.Module;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * Data-parallel training: every rank holds a replica of the module, computes gradients on its own
 * share of each batch, and the gradients are averaged over the ranks during backward, so every
 * replica takes the same optimizer step (PyTorch's {@code torch.nn.parallel.DistributedDataParallel},
 * driven by libtorch's own c10d {@code Reducer}).
 *
 * <pre>{@code
 * Distributed.init();
 * var model = new DistributedDataParallel<>(new Mlp());          // rank 0's weights everywhere
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.1));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     sampler.setEpoch(epoch);                                    // DistributedSampler: a new order each epoch
 *     for (Example<Tensor, Tensor> batch : loader) {
 *         try (Scope step = Scope.open()) {
 *             Batches.adopt(step, batch);
 *             Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
 *             loss.backward();                                    // gradients averaged over ranks here
 *             opt.step();
 *             opt.zeroGrad();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>What happens when</h2>
 * <ul>
 *   <li><b>Construction</b>: checks that every rank built the same parameters (names, shapes, dtypes),
 *       then copies rank 0's parameters and buffers to every rank; builds the reducer, which hooks each
 *       parameter's gradient accumulator.</li>
 *   <li><b>Forward</b> ({@link #forward(Tensor)} or {@link #forward(Function)}): copies rank 0's buffers
 *       (BatchNorm statistics) to the others when {@code broadcastBuffers}; with gradients enabled and
 *       outside {@link #noSync()}, tells the reducer a backward pass is coming.</li>
 *   <li><b>Backward</b>: as each gradient is accumulated, the reducer copies it into its bucket; a full
 *       bucket is all-reduced at once on Gloo's threads while backward goes on computing earlier
 *       layers' gradients (communication overlaps computation); at the end of backward the averaged
 *       buckets are copied back into {@code .grad}. So after {@code loss.backward()} every rank holds
 *       the mean of all ranks' gradients.</li>
 * </ul>
 *
 * <h2>Buckets</h2>
 * Gradients are grouped in buckets of {@code bucketCapMb} megabytes (25 by default) in reverse
 * parameter order, the first one {@code firstBucketCapMb} (1 MB) so that communication starts early.
 * Without {@code findUnusedParameters}, the first iteration runs with one bucket and the buckets are
 * then rebuilt in the order gradients actually became ready (PyTorch's behaviour). An infinite
 * {@code bucketCapMb} and {@code firstBucketCapMb} make one bucket: a single all-reduce after backward.
 *
 * <h2>Gradient accumulation</h2>
 * Inside {@link #noSync()} backward only accumulates local gradients; the first backward outside it
 * all-reduces the accumulated sum, so there is one round of communication per optimizer step:
 * <pre>{@code
 * for (int micro = 0; micro < k; micro++) {
 *     try (var skip = micro < k - 1 ? model.noSync() : null) {     // null: the last one synchronizes
 *         Tensor loss = F.crossEntropy(model.forward(x[micro]), y[micro]).div(k);
 *         loss.backward();
 *     }
 * }
 * opt.step();
 * }</pre>
 *
 * <h2>Unused parameters</h2>
 * A parameter that gets no gradient in an iteration (a branch not taken) would leave its bucket
 * incomplete and the reduction would never finish. With {@code findUnusedParameters} the reducer walks
 * the autograd graph from the forward's outputs and marks the parameters it does not reach as ready;
 * without it such a model fails with the reducer's explanation at the next forward.
 *
 * <h2>State</h2>
 * The wrapper is transparent: {@link #stateDict()}, {@link #namedParameters()}, {@link #parameters()}
 * and the other traversals are the wrapped module's, with the same keys (no {@code module.} prefix), so
 * a checkpoint written by a distributed run loads into a plain module and back. Change the module
 * (dtype, frozen parameters, replaced tensors) before wrapping it; those calls are refused afterwards.
 * {@link #close()} removes the reducer's hooks.
 *
 * <p>Evaluate under {@code Autograd.noGrad()}: as in PyTorch, a forward with gradients enabled announces a
 * backward pass, and the next forward reports the reduction that never happened.
 *
 * @param <M> the wrapped module's type
 */
public final class DistributedDataParallel<M extends Module> extends UnaryModule implements AutoCloseable {

    /**
     * DDP's options with PyTorch's names and defaults: {@code bucketCapMb} 25, {@code firstBucketCapMb} 1,
     * {@code findUnusedParameters} false, {@code broadcastBuffers} true, {@code gradientAsBucketView} false.
     *
     * <pre>{@code DistributedDataParallel.Options.defaults().withBucketCapMb(50).withFindUnusedParameters(true)}</pre>
     */
    public record Options(double bucketCapMb, double firstBucketCapMb, boolean findUnusedParameters,
                          boolean broadcastBuffers, boolean gradientAsBucketView) {
        public Options {
            if (!(bucketCapMb > 0)) throw new IllegalArgumentException("Invalid bucket_cap_mb: " + bucketCapMb + " (must be > 0)");
            if (!(firstBucketCapMb > 0)) throw new IllegalArgumentException("Invalid first bucket cap: " + firstBucketCapMb + " MB (must be > 0)");
        }

        public static Options defaults() { return new Options(25, 1, false, true, false); }

        public Options withBucketCapMb(double mb) { return new Options(mb, firstBucketCapMb, findUnusedParameters, broadcastBuffers, gradientAsBucketView); }
        public Options withFirstBucketCapMb(double mb) { return new Options(bucketCapMb, mb, findUnusedParameters, broadcastBuffers, gradientAsBucketView); }
        public Options withFindUnusedParameters(boolean on) { return new Options(bucketCapMb, firstBucketCapMb, on, broadcastBuffers, gradientAsBucketView); }
        public Options withBroadcastBuffers(boolean on) { return new Options(bucketCapMb, firstBucketCapMb, findUnusedParameters, on, gradientAsBucketView); }
        public Options withGradientAsBucketView(boolean on) { return new Options(bucketCapMb, firstBucketCapMb, findUnusedParameters, broadcastBuffers, on); }

        /** One bucket for all gradients: a single all-reduce after backward, no overlap. */
        public Options withSingleBucket() { return withBucketCapMb(Double.POSITIVE_INFINITY).withFirstBucketCapMb(Double.POSITIVE_INFINITY); }

        long bucketBytes() { return bytes(bucketCapMb); }
        long firstBucketBytes() { return bytes(firstBucketCapMb); }

        private static long bytes(double mb) {
            double b = mb * 1024 * 1024;
            return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) b;
        }
    }

    /** Undoes {@link #noSync()} when closed. */
    public interface NoSync extends AutoCloseable {
        @Override void close();
    }

    /** PyTorch's {@code _DEFAULT_BROADCAST_BUCKET}-style cap on one coalesced broadcast: 250 MB. */
    private static final long BROADCAST_BUCKET_BYTES = 250L * 1024 * 1024;

    private final M module;
    private final ProcessGroup group;
    private final Options options;
    private final List<String> paramNames = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final List<Tensor> buffers;
    private Reducer reducer;
    private boolean requireBackwardGradSync = true;
    private boolean requireForwardParamSync = true;

    /** Wraps {@code module} on the default group ({@link Distributed#group()}) with default options. */
    public DistributedDataParallel(M module) {
        this(module, Distributed.group(), Options.defaults());
    }

    /** Wraps {@code module} on the default group. */
    public DistributedDataParallel(M module, Options options) {
        this(module, Distributed.group(), options);
    }

    /**
     * Wraps {@code module}: checks the replicas agree, copies rank 0's state to every rank and
     * installs the gradient reducer. Every rank must call this at the same point (it runs collectives).
     */
    public DistributedDataParallel(M module, ProcessGroup group, Options options) {
        this.module = Objects.requireNonNull(module, "module");
        this.group = Objects.requireNonNull(group, "group");
        this.options = Objects.requireNonNull(options, "options");
        if (module instanceof DistributedDataParallel<?>)
            throw new IllegalArgumentException("DistributedDataParallel: the module is already wrapped in a DistributedDataParallel");
        group.checkOpen();
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            paramNames.add(e.getKey());
            params.add(e.getValue());
        }
        if (params.isEmpty())
            throw new IllegalArgumentException("DistributedDataParallel: " + module.getClass().getSimpleName()
                    + " has no parameter that requires a gradient, so there is nothing to synchronize");
        this.buffers = new ArrayList<>(module.namedBuffers().values());
        verifySameModelOnAllRanks();
        List<Tensor> state = new ArrayList<>(module.namedParameters().values());
        state.addAll(buffers);
        broadcastCoalesced(group, state, 0);
        this.reducer = buildReducer();
    }

    private void verifySameModelOnAllRanks() {
        StringBuilder sb = new StringBuilder();
        long numel = 0;
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            Tensor t = e.getValue();
            sb.append(e.getKey()).append(Arrays.toString(t.shape())).append(t.dtype()).append(t.requiresGrad()).append(';');
            numel += t.numel();
        }
        long hash = sb.toString().hashCode() * 1_000_003L + sb.length();
        long[] hashes = group.allGather(hash);
        long[] sizes = group.allGather(numel);
        for (int r = 0; r < hashes.length; r++) {
            if (hashes[r] != hashes[0]) {
                throw new IllegalArgumentException("DistributedDataParallel: rank " + r + "'s model differs from rank 0's (" + sizes[r]
                        + " vs " + sizes[0] + " parameter elements; names, shapes, dtypes or requires_grad differ): every rank must build the same model");
            }
        }
    }

    private Reducer buildReducer() {
        int n = params.size();
        long first = options.firstBucketBytes(), cap = options.bucketBytes();
        // NOTE [initial buckets]: as PyTorch, without unused-parameter detection the first iteration uses one
        // bucket and the reducer rebuilds them (first, then cap-sized) in the order gradients became ready.
        long[] limits = options.findUnusedParameters() ? new long[]{first, cap} : new long[]{Long.MAX_VALUE};
        try (TensorVector pv = Tensor.toNativeVector(params);
             BoolVector sparse = new BoolVector(n);
             SizeTVector limitVector = new SizeTVector(limits);
             LongVector tensorIndices = new LongVector();
             LoggerOptional noLogger = new LoggerOptional();
             T_SizeTVectorVectorSizeTVector_T assignment = torch.compute_bucket_assignment_by_size(pv, limitVector, sparse, tensorIndices, noLogger);
             SizeTVectorVector buckets = assignment.get0();
             SizeTVectorVector reversed = new SizeTVectorVector();
             SizeTStringMap names = new SizeTStringMap()) {
            for (long i = buckets.size() - 1; i >= 0; i--) reversed.push_back(buckets.get(i));   // last layers first
            for (int i = 0; i < n; i++) names.put(i, paramNames.get(i));
            org.bytedeco.pytorch.ProcessGroup handle = group.newNativeHandle();
            // the reducer adopts the handle (NOTE [intrusive pointers] in ProcessGroup)
            return new Reducer(pv, reversed, handle, sparse, cap, options.findUnusedParameters(), options.gradientAsBucketView(),
                    names, first, false, false);
        } catch (RuntimeException e) {
            throw TorchException.from(e, "DistributedDataParallel");
        }
    }

    // ------------------------------------------------------------------ forward and synchronization

    /** Runs the wrapped module on {@code x}; the module must be a {@link UnaryModule}, else use {@link #forward(Function)}. */
    @Override
    public Tensor forward(Tensor x) {
        if (!(module instanceof UnaryModule u))
            throw new IllegalStateException("DistributedDataParallel.forward(Tensor) needs a UnaryModule, but "
                    + module.getClass().getSimpleName() + " is not one: use forward(m -> m.forward(...))");
        return forward(m -> u.forward(x));
    }

    /**
     * Runs {@code body} on the wrapped module as its forward pass, e.g. {@code ddp.forward(m -> m.forward(x, mask))}.
     * The result may be a tensor or hold tensors (a record, list, map); with
     * {@code findUnusedParameters} they are where the search for unused parameters starts.
     */
    public <R> R forward(Function<? super M, R> body) {
        checkOpen();
        boolean grad = Autograd.isGradEnabled();
        try {
            if (grad && requireBackwardGradSync) reducer.prepare_for_forward();
            if (grad) reducer.rebuild_buckets();
        } catch (RuntimeException e) {
            throw error(e, "forward");
        }
        if (options.broadcastBuffers() && requireForwardParamSync && !buffers.isEmpty()) broadcastCoalesced(group, buffers, 0);
        R out = body.apply(module);
        if (grad && requireBackwardGradSync) {
            requireForwardParamSync = true;
            List<Tensor> outputs = options.findUnusedParameters() ? Batches.tensors(out) : List.of();
            try (TensorVector tv = Tensor.toNativeVector(outputs)) {
                reducer.prepare_for_backward(tv);
            } catch (RuntimeException e) {
                throw error(e, "forward");
            }
        } else {
            requireForwardParamSync = false;
        }
        return out;
    }

    /**
     * Turns gradient synchronization off until the returned guard is closed (PyTorch's {@code no_sync()}):
     * backward passes whose forward ran inside it only accumulate local gradients.
     */
    public NoSync noSync() {
        checkOpen();
        boolean previous = requireBackwardGradSync;
        requireBackwardGradSync = false;
        return () -> requireBackwardGradSync = previous;
    }

    /** Whether the next forward's backward will all-reduce gradients (false inside {@link #noSync()}). */
    public boolean isSyncing() { return requireBackwardGradSync; }

    private RuntimeException error(RuntimeException e, String op) {
        if (Failures.isCommunicationFailure(e)) return group.failure(op, e);
        return TorchException.from(e, "DistributedDataParallel." + op);
    }

    /**
     * Copies rank {@code src}'s values of {@code tensors} into every rank's, in place, with one broadcast
     * per dtype and 250 MB (PyTorch's {@code _broadcast_coalesced}).
     */
    static void broadcastCoalesced(ProcessGroup group, List<Tensor> tensors, int src) {
        Map<DType, List<Tensor>> byType = new LinkedHashMap<>();
        for (Tensor t : tensors) byType.computeIfAbsent(t.dtype(), d -> new ArrayList<>()).add(t);
        for (List<Tensor> same : byType.values()) {
            int start = 0;
            while (start < same.size()) {
                int end = start;
                long bytes = 0;
                while (end < same.size() && (end == start || bytes + same.get(end).nbytes() <= BROADCAST_BUCKET_BYTES)) bytes += same.get(end++).nbytes();
                List<Tensor> chunk = same.subList(start, end);
                try (Scope s = Scope.open(); var g = Autograd.noGrad()) {
                    List<Tensor> flat = new ArrayList<>(chunk.size());
                    for (Tensor t : chunk) flat.add(t.reshape(-1));
                    Tensor all = Tensor.cat(flat, 0);                       // (sum of numels,)
                    group.broadcast(all, src);
                    long offset = 0;
                    for (Tensor t : chunk) {
                        long k = t.numel();
                        t.copy_(all.narrow(0, offset, k).view(t.shape()));
                        offset += k;
                    }
                }
                start = end;
            }
        }
    }

    // ------------------------------------------------------------------ the wrapped module, transparently

    /** The wrapped module. */
    public M module() { return module; }
    public ProcessGroup group() { return group; }
    public Options options() { return options; }

    @Override public List<Tensor> parameters() { return module.parameters(); }
    @Override public Map<String, Tensor> namedParameters() { return module.namedParameters(); }
    @Override public List<Tensor> buffers() { return module.buffers(); }
    @Override public Map<String, Tensor> namedBuffers() { return module.namedBuffers(); }
    @Override public List<Module> children() { return module.children(); }
    @Override public Map<String, Module> namedChildren() { return module.namedChildren(); }
    @Override public List<Module> modules() { return module.modules(); }
    @Override public Map<String, Module> namedModules() { return module.namedModules(); }
    @Override public Tensor parameter(String name) { return module.parameter(name); }
    @Override public Tensor buffer(String name) { return module.buffer(name); }
    @Override public boolean isTraining() { return module.isTraining(); }
    @Override public void zeroGrad() { module.zeroGrad(); }

    /** The wrapped module's state dict, with its own keys. */
    @Override public Map<String, Tensor> stateDict() { return module.stateDict(); }

    /** Loads into the wrapped module (same keys as {@link #stateDict()}); every rank should load the same values. */
    @Override public LoadResult loadStateDict(Map<String, Tensor> stateDict, boolean strict) { return module.loadStateDict(stateDict, strict); }

    @Override
    public Module train(boolean on) {
        module.train(on);
        return this;
    }

    @Override
    public Module apply(Consumer<Module> fn) {
        module.apply(fn);
        return this;
    }

    @Override
    public Tensor setParameter(String name, Tensor value) {
        throw new IllegalStateException("DistributedDataParallel: replace parameters before wrapping the module (the reducer holds the current ones)");
    }

    @Override
    public Tensor setBuffer(String name, Tensor value) {
        throw new IllegalStateException("DistributedDataParallel: replace buffers before wrapping the module (the wrapper broadcasts the current ones)");
    }

    @Override
    public Module requiresGrad(boolean on) {
        throw new IllegalStateException("DistributedDataParallel: freeze or unfreeze parameters before wrapping the module (the reducer was built for the current ones)");
    }

    @Override
    public Module to(DType dtype) {
        throw new IllegalStateException("DistributedDataParallel: convert the module with to(" + dtype + ") before wrapping it (the reducer's buckets have the current dtype)");
    }

    @Override
    public String toString() {
        return "DistributedDataParallel(\n  (module): " + module.toString().replace("\n", "\n  ") + "\n)";
    }

    // ------------------------------------------------------------------ lifecycle

    private void checkOpen() {
        if (reducer == null) throw new IllegalStateException("DistributedDataParallel is closed");
    }

    /** Removes the gradient hooks and frees the reducer; the wrapped module stays usable on its own. */
    @Override
    public void close() {
        Reducer r = reducer;
        reducer = null;
        if (r != null) r.close();
    }
}
