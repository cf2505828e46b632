package dev.wick.distributed;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BackendOptional;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.FileStore;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceScatterOptions;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * A group of processes that run collectives together, on libtorch's c10d {@code ProcessGroupGloo}
 * (PyTorch's {@code torch.distributed} with the Gloo backend, CPU tensors).
 *
 * <pre>{@code
 * try (ProcessGroup group = ProcessGroup.init(Rendezvous.fromEnv())) {
 *     Tensor g = ...;
 *     group.allReduce(g, ReduceOp.SUM);                    // in place, on every rank
 *     group.broadcast(weights, 0);                         // rank 0's values everywhere
 *     double meanLoss = group.allReduce(loss, ReduceOp.AVG);
 *     Map<String, Double> m = group.reduceMetrics(Map.of("val_loss", 0.31, "val_acc", 0.88));
 * }
 * }</pre>
 *
 * <h2>Rendezvous</h2>
 * {@link #init(Rendezvous)} meets the other ranks in a c10d store (a {@code TCPStore} served by rank 0,
 * or a {@code FileStore}), checks that they agree before any collective can hang on a mistake, then
 * connects Gloo's full mesh:
 * <ol>
 *   <li>rank 0 publishes its {@code WORLD_SIZE}; a rank with another one fails at once, and so does
 *       everyone else (the error is posted in the store), with both values in the message;</li>
 *   <li>each rank claims its {@code RANK}; a rank claimed twice fails the same way;</li>
 *   <li>everyone waits until all ranks joined, for at most the rendezvous timeout; the message then
 *       lists the ranks that never came.</li>
 * </ol>
 * An unresolvable {@code MASTER_ADDR} fails at once; a master that does not answer fails after the
 * rendezvous timeout, naming the address and port.
 *
 * <h2>Collectives</h2>
 * Every rank must issue the same collectives in the same order (from one thread per process). Tensor
 * collectives work in place on CPU tensors; a collective that waits longer than the group's timeout,
 * or loses a peer, throws a {@link DistributedException} naming the rank, the collective and the
 * likely cause, so a job with a dead rank ends instead of hanging. Small Java values (a loss, a
 * metric map) have their own overloads.
 *
 * <p>NOTE [intrusive pointers]: c10d's stores, backends and groups are {@code c10::intrusive_ptr}
 * targets. An object allocated from Java can be handed to a native {@code intrusive_ptr} parameter
 * only once: the first hand-over adopts it (reference count 0 to 1), a second aborts the JVM. So the
 * store goes into the prefix store once, the prefix store into Gloo once, Gloo into one c10d
 * {@code ProcessGroup} once, and every further user (each {@link DistributedDataParallel}'s reducer)
 * gets a fresh c10d {@code ProcessGroup} around the Gloo backend handle that c10d returns, which may be
 * shared freely. Objects adopted by native owners have their Java deallocator removed.
 */
public final class ProcessGroup implements AutoCloseable {
    private static final String KEY_WORLD = "wick/rdzv/world_size";
    private static final String KEY_JOINED = "wick/rdzv/joined";
    private static final String KEY_ERROR = "wick/rdzv/error";
    private static final String KEY_FAILED = "wick/rdzv/failed";
    private static final String KEY_RANK = "wick/rdzv/rank/";
    private static final long POLL_MS = 20;

    private final Rendezvous rendezvous;
    private final String glooAddress;
    private org.bytedeco.pytorch.ProcessGroup main;
    private Backend backend;
    private volatile boolean closed;

    private ProcessGroup(Rendezvous rendezvous, String glooAddress, org.bytedeco.pytorch.ProcessGroup main, Backend backend) {
        this.rendezvous = rendezvous;
        this.glooAddress = glooAddress;
        this.main = main;
        this.backend = backend;
    }

    // ------------------------------------------------------------------ set-up

    /**
     * Meets the other ranks and connects them (see the class comment). Blocks until every rank of the
     * world has joined, or fails with a {@link DistributedException} after the rendezvous timeout.
     */
    public static ProcessGroup init(Rendezvous r) {
        Objects.requireNonNull(r, "rendezvous");
        Engine.init();
        String who = "rank " + r.rank() + " of " + r.worldSize();
        String glooAddress = glooAddress(r, who);
        Store store = openStore(r, who);
        try {
            try {
                handshake(store, r, who);
            } catch (DistributedException e) {
                lingerForOthers(store, r);
                throw e;
            } catch (RuntimeException e) {
                throw new DistributedException(who + ": lost the rendezvous store at " + r.storeDescription()
                        + (r.rank() == 0 ? "" : " (rank 0 serves it: it has probably failed, see its error)") + ": " + Failures.firstLine(e), e);
            }
            ProcessGroupGloo gloo = connectGloo(store, r, glooAddress, who);
            org.bytedeco.pytorch.ProcessGroup main = new org.bytedeco.pytorch.ProcessGroup(r.rank(), r.worldSize());
            gloo.deallocate(false);  // from here on owned by native code (NOTE [intrusive pointers])
            try (BackendOptional opt = new BackendOptional(gloo)) {
                main.setBackend(torch.DeviceType.CPU, org.bytedeco.pytorch.ProcessGroup.BackendType.GLOO, opt);
            }
            main.setDefaultBackend(org.bytedeco.pytorch.ProcessGroup.BackendType.GLOO);
            main.setSequenceNumberForGroup();
            Backend handle = main.getBackend(torch.DeviceType.CPU);
            return new ProcessGroup(r, glooAddress, main, handle);
        } catch (RuntimeException e) {
            store.close();           // frees the store (and stops rank 0's server) unless connectGloo handed it over already
            if (e instanceof DistributedException || e instanceof IllegalArgumentException) throw e;
            throw new DistributedException(who + ": setting up the process group failed: " + Failures.firstLine(e), e);
        }
    }

    /** The address Gloo binds on this machine (see {@link Rendezvous}). */
    private static String glooAddress(Rendezvous r, String who) {
        if (r.glooInterface() != null) return null;
        if (r.glooHost() != null) return r.glooHost();
        if (r.usesFileStore()) return "127.0.0.1";
        InetAddress master;
        try {
            master = InetAddress.getByName(r.masterAddr());
        } catch (UnknownHostException e) {
            throw new DistributedException(who + ": cannot resolve MASTER_ADDR '" + r.masterAddr() + "' (unknown host)", e);
        }
        if (master.isLoopbackAddress()) return master.getHostAddress();
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(master, r.masterPort());      // UDP: picks the route, sends nothing
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress())
                throw new DistributedException(who + ": no route from this machine to MASTER_ADDR " + r.masterAddr());
            return local.getHostAddress();
        } catch (SocketException e) {
            throw new DistributedException(who + ": MASTER_ADDR " + r.masterAddr() + " is unreachable from this machine: " + e.getMessage(), e);
        }
    }

    private static Store openStore(Rendezvous r, String who) {
        try (Milliseconds ms = new Milliseconds(r.rendezvousTimeout().toMillis())) {
            if (r.usesFileStore()) {
                Store s = new FileStore(r.storeFile().toString(), r.worldSize());
                s.setTimeout(ms);
                return s;
            }
            try (TCPStoreOptions o = new TCPStoreOptions(); SizeTPointer workers = new SizeTPointer(1)) {
                o.port((short) r.masterPort());
                o.isServer(r.rank() == 0);
                o.numWorkers(workers.put(r.worldSize()));
                o.waitWorkers(false);                   // Wick's own handshake waits, with better errors
                o.timeout(ms);
                return new TCPStore(r.masterAddr(), o);
            }
        } catch (RuntimeException e) {
            String line = Failures.firstLine(e);
            String lower = line.toLowerCase();
            if (r.usesFileStore())
                throw new DistributedException(who + ": cannot open the store file " + r.storeFile() + ": " + line, e);
            if (r.rank() == 0 && (lower.contains("eaddrinuse") || lower.contains("address already in use")))
                throw new DistributedException(who + ": cannot serve the rendezvous store: MASTER_PORT " + r.masterPort()
                        + " is already in use on this machine (pick another port)", e);
            if (r.rank() == 0)
                throw new DistributedException(who + ": cannot serve the rendezvous store on MASTER_PORT " + r.masterPort() + ": " + line, e);
            throw new DistributedException(who + ": cannot reach the rendezvous master at " + r.masterAddr() + ":" + r.masterPort()
                    + " (MASTER_ADDR:MASTER_PORT) within " + Failures.seconds(r.rendezvousTimeout())
                    + ": is rank 0 running, and is that address reachable from this machine? (" + line + ")", e);
        }
    }

    /** Wick's checks before Gloo connects (see the class comment). */
    private static void handshake(Store store, Rendezvous r, String who) {
        long deadline = System.nanoTime() + r.rendezvousTimeout().toNanos();
        String me = describeProcess();
        if (r.rank() == 0) store.set(KEY_WORLD, String.valueOf(r.worldSize()));
        waitFor(store, KEY_WORLD, deadline, r, who, "rank 0 to publish WORLD_SIZE");
        String masterWorld = store.get_to_str(KEY_WORLD);
        if (!masterWorld.equals(String.valueOf(r.worldSize()))) {
            throw post(store, who + " (" + me + "): WORLD_SIZE mismatch: this process has WORLD_SIZE=" + r.worldSize()
                    + " but rank 0 has WORLD_SIZE=" + masterWorld + "; every process must be started with the same WORLD_SIZE");
        }
        String owner = store.compareSet(KEY_RANK + r.rank(), "", me);
        if (!owner.equals(me)) {
            throw post(store, who + " (" + me + "): RANK " + r.rank() + " is already taken by " + owner
                    + "; every process needs its own RANK" + (r.usesFileStore() ? " (or the store file is left from an earlier job: use a new file)" : ""));
        }
        store.add(KEY_JOINED, 1);
        while (true) {
            checkPosted(store, who);
            long joined = store.add(KEY_JOINED, 0);
            if (joined >= r.worldSize()) return;
            if (System.nanoTime() > deadline) {
                List<Integer> missing = new ArrayList<>();
                for (int i = 0; i < r.worldSize(); i++) {
                    try (StringVector k = new StringVector(KEY_RANK + i)) {
                        if (!store.check(k)) missing.add(i);
                    }
                }
                throw new DistributedException(who + ": rendezvous at " + r.storeDescription() + " timed out after "
                        + Failures.seconds(r.rendezvousTimeout()) + ": " + joined + " of WORLD_SIZE=" + r.worldSize()
                        + " ranks joined; missing ranks " + missing + " (not started, crashed, or started with another MASTER_ADDR/MASTER_PORT)");
            }
            sleep();
        }
    }

    /**
     * After a failed handshake: counts this rank as failed and, on rank 0 (whose process serves the TCP
     * store), waits up to a second for the others to fail too, so that they read the posted reason
     * instead of finding the store gone.
     */
    private static void lingerForOthers(Store store, Rendezvous r) {
        try {
            long failed = store.add(KEY_FAILED, 1);
            if (r.rank() != 0 || r.usesFileStore()) return;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (failed < r.worldSize() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MS);
                failed = store.add(KEY_FAILED, 0);
            }
        } catch (RuntimeException | InterruptedException ignored) {
            // best effort: our own error is what we report
        }
    }

    private static void waitFor(Store store, String key, long deadline, Rendezvous r, String who, String what) {
        try (StringVector k = new StringVector(key)) {
            while (!store.check(k)) {
                checkPosted(store, who);
                if (System.nanoTime() > deadline)
                    throw new DistributedException(who + ": rendezvous at " + r.storeDescription() + " timed out after "
                            + Failures.seconds(r.rendezvousTimeout()) + " waiting for " + what);
                sleep();
            }
        }
    }

    private static void checkPosted(Store store, String who) {
        try (StringVector k = new StringVector(KEY_ERROR)) {
            if (store.check(k)) {
                throw new DistributedException(who + ": rendezvous failed because " + store.get_to_str(KEY_ERROR));
            }
        }
    }

    private static DistributedException post(Store store, String message) {
        try {
            store.set(KEY_ERROR, message);
        } catch (RuntimeException ignored) {
            // the store is gone too; our own error is what matters
        }
        return new DistributedException(message);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("rendezvous interrupted");
        }
    }

    private static String describeProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":pid " + ProcessHandle.current().pid() + "#" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24));
    }

    private static ProcessGroupGloo connectGloo(Store store, Rendezvous r, String glooAddress, String who) {
        org.bytedeco.pytorch.gloo.Device device;
        try {
            device = glooAddress == null ? ProcessGroupGloo.createDeviceForInterface(r.glooInterface())
                                         : ProcessGroupGloo.createDeviceForHostname(glooAddress);
        } catch (RuntimeException e) {
            String what = glooAddress == null ? "network interface '" + r.glooInterface() + "' (GLOO_SOCKET_IFNAME)" : "address " + glooAddress;
            throw new DistributedException(who + ": Gloo cannot use " + what + ": " + Failures.firstLine(e), e);
        }
        // Each object is disowned on the Java side before its one hand-over: if the native callee fails,
        // the hand-over's temporary intrusive_ptr frees it, and Java must not free it again.
        store.deallocate(false);
        PrefixStore prefix = new PrefixStore("wick/pg/default", store);
        prefix.deallocate(false);
        try (Milliseconds ms = new Milliseconds(r.timeout().toMillis());
             GlooDeviceVector devices = new GlooDeviceVector(device);
             ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(ms)) {
            options.devices(devices);
            return new ProcessGroupGloo(prefix, r.rank(), r.worldSize(), options);
        } catch (RuntimeException e) {
            throw new DistributedException(who + ": Gloo could not connect the " + r.worldSize() + " ranks within "
                    + Failures.seconds(r.rendezvousTimeout()) + " (bound to " + (glooAddress != null ? glooAddress : r.glooInterface())
                    + "): " + Failures.firstLine(e), e);
        } finally {
            device.close();
        }
    }

    /**
     * A new c10d {@code ProcessGroup} around this group's Gloo backend, to hand to a native owner such as
     * the DDP reducer exactly once (see NOTE [intrusive pointers]). Its Java deallocator is already
     * removed: the native owner frees it (or the hand-over does, when the owner's constructor fails).
     */
    org.bytedeco.pytorch.ProcessGroup newNativeHandle() {
        checkOpen();
        org.bytedeco.pytorch.ProcessGroup pg = new org.bytedeco.pytorch.ProcessGroup(rank(), worldSize());
        try (BackendOptional opt = new BackendOptional(backend)) {
            pg.setBackend(torch.DeviceType.CPU, org.bytedeco.pytorch.ProcessGroup.BackendType.GLOO, opt);
        }
        pg.setDefaultBackend(org.bytedeco.pytorch.ProcessGroup.BackendType.GLOO);
        pg.deallocate(false);
        return pg;
    }

    // ------------------------------------------------------------------ identity

    public int rank() { return rendezvous.rank(); }
    public int worldSize() { return rendezvous.worldSize(); }
    /** This process's index on its machine ({@code LOCAL_RANK}). */
    public int localRank() { return rendezvous.localRank(); }
    /** Whether this is rank 0, the one that writes logs, plots and checkpoints. */
    public boolean isMain() { return rank() == 0; }
    public Rendezvous rendezvous() { return rendezvous; }
    /** The collective timeout. */
    public Duration timeout() { return rendezvous.timeout(); }
    /** The address Gloo listens on in this process, or null when bound by interface name. */
    public String glooAddress() { return glooAddress; }

    /**
     * How many collectives this process has issued on the group (Gloo's sequence number), including
     * those issued by {@link DistributedDataParallel}'s reducer; every rank has the same count.
     */
    public long sequenceNumber() {
        checkOpen();
        return main.getSequenceNumberForGroup();
    }

    // ------------------------------------------------------------------ tensor collectives

    /** Sums {@code t} over all ranks, in place; returns {@code t}. */
    public Tensor allReduce(Tensor t) { return allReduce(t, ReduceOp.SUM); }

    /** Reduces {@code t} over all ranks with {@code op}, in place (any layout); returns {@code t}. */
    public Tensor allReduce(Tensor t, ReduceOp op) {
        checkTensor(t, "allReduce");
        if (t.isContiguous()) return allReduceAsync(t, op).await();
        try (Scope s = Scope.open()) {
            Tensor c = t.contiguous();
            allReduceAsync(c, op).await();
            try (var g = Autograd.noGrad()) { t.copy_(c); }
        }
        return t;
    }

    /** Starts an all-reduce of a contiguous tensor in place and returns at once; see {@link Work}. */
    public Work allReduceAsync(Tensor t, ReduceOp op) {
        checkTensor(t, "allReduceAsync");
        Objects.requireNonNull(op, "op");
        if (!t.isContiguous())
            throw new IllegalArgumentException("allReduceAsync: the tensor must be contiguous (shape " + Arrays.toString(t.shape())
                    + ", strides " + Arrays.toString(t.stride()) + "); use allReduce, or contiguous() first");
        if (op == ReduceOp.AVG && !t.isFloatingPoint())
            throw new IllegalArgumentException("allReduce: ReduceOp.AVG needs a floating-point tensor, got " + t.dtype());
        try (TensorVector tv = Tensor.toNativeVector(List.of(t));
             AllreduceOptions o = new AllreduceOptions();
             org.bytedeco.pytorch.ReduceOp nop = new org.bytedeco.pytorch.ReduceOp(op.nativeType)) {
            o.reduceOp(nop);
            return new Work(this, "all_reduce", main.allreduce(tv, o), t);
        } catch (RuntimeException e) {
            throw failure("all_reduce", e);
        }
    }

    /** Copies rank {@code src}'s {@code t} into every rank's {@code t}, in place; returns {@code t}. */
    public Tensor broadcast(Tensor t, int src) {
        checkTensor(t, "broadcast");
        checkRank(src, "broadcast: src");
        if (!t.isContiguous()) {
            try (Scope s = Scope.open()) {
                Tensor c = t.contiguous();
                broadcast(c, src);
                try (var g = Autograd.noGrad()) { t.copy_(c); }
            }
            return t;
        }
        try (TensorVector tv = Tensor.toNativeVector(List.of(t)); BroadcastOptions o = new BroadcastOptions()) {
            o.rootRank(src);
            o.rootTensor(0);
            new Work(this, "broadcast", main.broadcast(tv, o), t).await();
            return t;
        } catch (RuntimeException e) {
            throw failure("broadcast", e);
        }
    }

    /**
     * Every rank's {@code t}, in rank order (PyTorch's {@code all_gather}); all ranks must pass the same
     * shape and dtype. The results are views of one new tensor.
     */
    public List<Tensor> allGather(Tensor t) {
        Tensor all = allGatherIntoTensor(t.dim() == 0 ? t.reshape(1) : t);
        long[] shape = t.shape();
        long[] stacked = new long[shape.length + 1];
        stacked[0] = worldSize();
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        Tensor view = all.view(stacked);                      // (world, *t.shape)
        List<Tensor> out = new ArrayList<>(worldSize());
        for (int i = 0; i < worldSize(); i++) out.add(view.get(i));
        return out;
    }

    /**
     * Every rank's {@code t} concatenated along dimension 0 in rank order (PyTorch's
     * {@code all_gather_into_tensor}): shape {@code (worldSize * t.size(0), ...)}.
     */
    public Tensor allGatherIntoTensor(Tensor t) {
        checkTensor(t, "allGather");
        if (t.dim() == 0) throw new IllegalArgumentException("allGatherIntoTensor: the tensor needs at least one dimension (got a 0-dim tensor)");
        long[] shape = t.shape();
        shape[0] *= worldSize();
        Tensor out = Tensor.empty(t.dtype(), shape);
        try (Scope s = Scope.open()) {
            Tensor in = t.contiguous();
            new Work(this, "all_gather", main._allgather_base(out.unwrap(), in.unwrap()), out).await();
        } catch (RuntimeException e) {
            out.close();
            throw failure("all_gather", e);
        }
        return out;
    }

    /**
     * Reduces {@code input} over all ranks with {@code op} and gives each rank its slice of the result
     * along dimension 0 (PyTorch's {@code reduce_scatter_tensor}): rank {@code r} gets rows
     * {@code [r * n / W, (r + 1) * n / W)} for an input of {@code n} rows and world size {@code W}.
     */
    public Tensor reduceScatter(Tensor input, ReduceOp op) {
        checkTensor(input, "reduceScatter");
        Objects.requireNonNull(op, "op");
        if (input.dim() == 0 || input.size(0) % worldSize() != 0)
            throw new IllegalArgumentException("reduceScatter: the input's first dimension (shape " + Arrays.toString(input.shape())
                    + ") must be divisible by the world size " + worldSize());
        if (op == ReduceOp.AVG && !input.isFloatingPoint())
            throw new IllegalArgumentException("reduceScatter: ReduceOp.AVG needs a floating-point tensor, got " + input.dtype());
        long[] shape = input.shape();
        shape[0] /= worldSize();
        Tensor out = Tensor.empty(input.dtype(), shape);
        try (Scope s = Scope.open();
             ReduceScatterOptions o = new ReduceScatterOptions();
             org.bytedeco.pytorch.ReduceOp nop = new org.bytedeco.pytorch.ReduceOp(op.nativeType)) {
            Tensor in = input.contiguous();
            o.reduceOp(nop);
            new Work(this, "reduce_scatter", main._reduce_scatter_base(out.unwrap(), in.unwrap(), o), out).await();
        } catch (RuntimeException e) {
            out.close();
            throw failure("reduce_scatter", e);
        }
        return out;
    }

    /** Waits until every rank reached this call. */
    public void barrier() {
        checkOpen();
        try {
            new Work(this, "barrier", main.barrier(), null).await();
        } catch (RuntimeException e) {
            throw failure("barrier", e);
        }
    }

    // ------------------------------------------------------------------ Java values

    /** Reduces one number over all ranks (e.g. a loss), computed in float64. */
    public double allReduce(double value, ReduceOp op) {
        return allReduce(new double[]{value}, op)[0];
    }

    /** Reduces numbers element-wise over all ranks; every rank passes the same length. */
    public double[] allReduce(double[] values, ReduceOp op) {
        Objects.requireNonNull(values, "values");
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.of(values.clone());
            allReduce(t, op);
            return t.toDoubleArray();
        }
    }

    /** Reduces one integer over all ranks (e.g. a sample count); {@link ReduceOp#AVG} is refused. */
    public long allReduce(long value, ReduceOp op) {
        if (op == ReduceOp.AVG)
            throw new IllegalArgumentException("allReduce(long): ReduceOp.AVG of integers is not exact; reduce a double instead");
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.of(new long[]{value});
            allReduce(t, op);
            return t.toLongArray()[0];
        }
    }

    /** Every rank's value, in rank order. */
    public double[] allGather(double value) {
        try (Scope s = Scope.open()) {
            return allGatherIntoTensor(Tensor.of(new double[]{value})).toDoubleArray();
        }
    }

    /** Every rank's value, in rank order. */
    public long[] allGather(long value) {
        try (Scope s = Scope.open()) {
            return allGatherIntoTensor(Tensor.of(new long[]{value})).toLongArray();
        }
    }

    /** Rank {@code src}'s value on every rank. */
    public double broadcast(double value, int src) {
        try (Scope s = Scope.open()) {
            return broadcast(Tensor.of(new double[]{value}), src).toDoubleArray()[0];
        }
    }

    /** Rank {@code src}'s value on every rank. */
    public long broadcast(long value, int src) {
        try (Scope s = Scope.open()) {
            return broadcast(Tensor.of(new long[]{value}), src).toLongArray()[0];
        }
    }

    /** Rank {@code src}'s string on every rank (e.g. a run directory chosen by rank 0); other ranks may pass null. */
    public String broadcast(String value, int src) {
        checkRank(src, "broadcast: src");
        byte[] mine = rank() == src ? Objects.requireNonNull(value, "broadcast: the source rank's value is null").getBytes(StandardCharsets.UTF_8) : new byte[0];
        long n = broadcast((long) mine.length, src);
        if (n == 0) return "";
        try (Scope s = Scope.open()) {
            Tensor t = rank() == src ? Tensor.of(mine) : Tensor.zeros(DType.UINT8, n);
            broadcast(t, src);
            return new String(t.toBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The mean of each metric over all ranks, so every rank reports the same numbers; all ranks must
     * pass the same names (in any order). The result keeps the caller's order.
     */
    public Map<String, Double> reduceMetrics(Map<String, Double> metrics) {
        return reduceMetrics(metrics, 1.0);
    }

    /**
     * The mean of each metric over all ranks weighted by {@code weight} (e.g. the number of samples
     * this rank evaluated): {@code sum_r w_r m_r / sum_r w_r}. NaN when every weight is 0.
     */
    public Map<String, Double> reduceMetrics(Map<String, Double> metrics, double weight) {
        Objects.requireNonNull(metrics, "metrics");
        if (!(weight >= 0) || Double.isInfinite(weight))
            throw new IllegalArgumentException("Invalid weight: " + weight + " (must be finite and >= 0)");
        List<String> names = new ArrayList<>(new TreeSet<>(metrics.keySet()));
        long hash = 1125899906842597L;
        for (String n : names) {
            for (int i = 0; i < n.length(); i++) hash = 31 * hash + n.charAt(i);
            hash = 31 * hash + 0x1f;
        }
        long[] hashes = allGather(hash);
        for (int r = 0; r < hashes.length; r++) {
            if (hashes[r] != hash)
                throw new IllegalArgumentException("reduceMetrics: rank " + r + " passed other metric names than rank " + rank()
                        + " (" + names + "); every rank must report the same metrics");
        }
        double[] v = new double[names.size() + 1];
        for (int i = 0; i < names.size(); i++) {
            Double x = metrics.get(names.get(i));
            if (x == null) throw new IllegalArgumentException("reduceMetrics: metric '" + names.get(i) + "' is null");
            v[i] = x * weight;
        }
        v[names.size()] = weight;
        double[] sum = allReduce(v, ReduceOp.SUM);
        double total = sum[names.size()];
        Map<String, Double> out = new LinkedHashMap<>();
        for (String n : metrics.keySet()) out.put(n, sum[names.indexOf(n)] / total);
        return out;
    }

    // ------------------------------------------------------------------ failures and lifecycle

    /**
     * Turns an error thrown by a training step into a clear one when it is a communication failure: the
     * gradient all-reduce of {@link DistributedDataParallel} runs inside {@code loss.backward()}, so a dead
     * or stuck peer surfaces there as a raw Gloo message. Returns a {@link DistributedException} naming
     * this rank and the likely cause, or {@code e} itself when it is something else.
     *
     * <pre>{@code
     * try { trainEpoch(); } catch (RuntimeException e) { throw group.explain(e); }
     * }</pre>
     */
    public RuntimeException explain(RuntimeException e) {
        if (e instanceof DistributedException) return e;
        if (!Failures.isCommunicationFailure(e)) return e;
        String line = Failures.firstLine(e);
        String op = line.startsWith("backward:") ? "the gradient all-reduce in backward" : "a collective";
        return failure(op, e);
    }

    DistributedException failure(String op, RuntimeException e) {
        if (e instanceof DistributedException d) return d;
        return new DistributedException("rank " + rank() + " of " + worldSize() + ": " + op + " failed: "
                + Failures.explainCollective(e, timeout()), e);
    }

    private void checkTensor(Tensor t, String op) {
        checkOpen();
        Objects.requireNonNull(t, op + ": tensor is null");
    }

    private void checkRank(int r, String what) {
        if (r < 0 || r >= worldSize())
            throw new IllegalArgumentException("Invalid " + what + " rank " + r + " (must be in [0, " + (worldSize() - 1) + "])");
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException("ProcessGroup is closed");
    }

    public boolean isClosed() { return closed; }

    /**
     * Releases this process's side of the group (PyTorch's {@code destroy_process_group}). It does not
     * wait for the other ranks: call {@link #barrier()} first when they still need rank 0's store.
     * Reducers of {@link DistributedDataParallel} wrappers keep the Gloo backend alive until closed.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Backend b = backend;
        org.bytedeco.pytorch.ProcessGroup m = main;
        backend = null;
        main = null;
        if (m != null) m.close();
        if (b != null) b.close();
    }

    @Override
    public String toString() {
        return "ProcessGroup(backend=gloo, rank=" + rank() + ", worldSize=" + worldSize() + ", store=" + rendezvous.storeDescription()
                + (closed ? ", closed" : "") + ")";
    }
}
