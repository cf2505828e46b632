package dev.wick.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A multi-dimensional array on libtorch, with PyTorch's operations, autograd and printing.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(3, 4).requiresGrad(true);
 * Tensor y = x.matmul(Tensor.ones(4, 2)).relu().sum();
 * y.backward();
 * System.out.println(x.grad());
 * }</pre>
 *
 * <p>Naming: PyTorch's names in camelCase ({@code indexSelect}, {@code maskedFill}); in-place variants
 * keep PyTorch's trailing underscore ({@code add_}, {@code mul_}, {@code zero_}) and return
 * {@code this}. Methods taking a Java {@code long} scalar behave as a Python int, a {@code double} as a
 * Python float (so {@code intTensor.add(2)} stays int64 and {@code intTensor.add(2.0)} becomes float).
 *
 * <p>Memory: a tensor's native memory is owned by the innermost {@link Scope} open on the thread that
 * made it, or by the garbage collector when none is open; see {@link Scope}.
 * {@link #unwrap()} and {@link #wrap(org.bytedeco.pytorch.Tensor)} are the escape hatch to libtorch.
 */
public final class Tensor implements AutoCloseable {
    static { Engine.init(); }

    /** Owner marker of a freed tensor. */
    static final Object FREED = new Object() { @Override public String toString() { return "nobody (freed)"; } };
    private static final VarHandle OWNER;
    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Tensor.class, "owner", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private org.bytedeco.pytorch.Tensor handle;
    /** A Scope, {@link GcOwner#INSTANCE}, or {@link #FREED}. */
    volatile Object owner;
    GcOwner.Release gcRelease;
    private Throwable madeAt;
    private Throwable freedAt;

    private Tensor(org.bytedeco.pytorch.Tensor handle) {
        this.handle = handle;
        if (Scope.debug) madeAt = new Throwable("tensor made here");
        Scope.register(this);
    }

    // ------------------------------------------------------------------ ownership and escape hatch

    /**
     * Wraps a libtorch tensor that the caller owns (a by-value result); the new Tensor takes it over and
     * is owned by the current scope. Escape hatch for ops Wick does not wrap yet.
     */
    public static Tensor wrap(org.bytedeco.pytorch.Tensor owned) {
        if (owned == null || owned.isNull()) throw new IllegalArgumentException("wrap(): null native tensor");
        return new Tensor(owned);
    }

    /** Wraps a borrowed libtorch tensor reference (e.g. {@code grad()}): takes a new reference to it. */
    public static Tensor wrapBorrowed(org.bytedeco.pytorch.Tensor borrowed) {
        return new Tensor(new org.bytedeco.pytorch.Tensor(borrowed));
    }

    /** The libtorch tensor (escape hatch). Valid while this Tensor is alive; do not close it. */
    public org.bytedeco.pytorch.Tensor unwrap() { return h(); }

    org.bytedeco.pytorch.Tensor h() {
        org.bytedeco.pytorch.Tensor t = handle;
        if (t == null) throw useAfterFree();
        return t;
    }

    void checkAlive() { h(); }

    /** Whether this tensor's native memory is still held. */
    public boolean isAlive() { return handle != null; }

    private IllegalStateException useAfterFree() {
        String msg = "Tensor used after it was freed (its scope closed or close() was called)";
        if (madeAt == null) msg += "; run with -Dwick.scope.debug=true (or Scope.debug(true)) to see where it was made and freed";
        IllegalStateException e = new IllegalStateException(msg);
        if (madeAt != null) e.addSuppressed(madeAt);
        if (freedAt != null) e.addSuppressed(freedAt);
        return e;
    }

    boolean transfer(Object from, Object to) { return OWNER.compareAndSet(this, from, to); }

    void disownGc() {
        GcOwner.Release r = gcRelease;
        gcRelease = null;
        if (r != null) r.disown();
    }

    org.bytedeco.pytorch.Tensor handleForCleaner() { return handle; }

    long nbytesUnchecked() { return handle.numel() * handle.element_size(); }

    String origin() {
        if (madeAt == null) return "(unknown: debug off)";
        for (StackTraceElement e : madeAt.getStackTrace()) {
            String c = e.getClassName();
            boolean internal = c.equals("dev.wick.tensor.Tensor") || c.startsWith("dev.wick.tensor.Tensor$")
                    || c.equals("dev.wick.tensor.Scope") || c.equals("dev.wick.tensor.GcOwner");
            if (!internal) return e.toString();
        }
        return madeAt.getStackTrace().length > 0 ? madeAt.getStackTrace()[0].toString() : "?";
    }

    String ownerName() { return String.valueOf(owner); }

    void freeNative(Throwable at) {
        org.bytedeco.pytorch.Tensor t = handle;
        handle = null;
        if (Scope.debug) freedAt = at != null ? at : new Throwable("freed here");
        if (t != null) t.close();
    }

    /** Frees the native memory now, whoever owns it. Idempotent. */
    @Override
    public void close() {
        while (true) {
            Object o = owner;
            if (o == FREED) return;
            if (transfer(o, FREED)) {
                if (o == GcOwner.INSTANCE) disownGc();
                freeNative(null);
                return;
            }
        }
    }

    private Tensor op(String name, Supplier<org.bytedeco.pytorch.Tensor> f) {
        try {
            return new Tensor(f.get());
        } catch (RuntimeException e) {
            throw TorchException.from(e, name);
        }
    }

    static Tensor call(String name, Supplier<org.bytedeco.pytorch.Tensor> f) {
        try {
            return new Tensor(f.get());
        } catch (RuntimeException e) {
            throw TorchException.from(e, name);
        }
    }

    private Tensor inPlace(String name, Runnable f) {
        try {
            f.run();
            return this;
        } catch (RuntimeException e) {
            throw TorchException.from(e, name);
        }
    }

    static Scalar sc(double v) { return new Scalar(v); }
    static Scalar sc(long v) { return new Scalar(v); }

    // ------------------------------------------------------------------ options cache

    private static final TensorOptions[] OPTIONS = new TensorOptions[DType.values().length];
    static TensorOptions options(DType d) {
        TensorOptions o = OPTIONS[d.ordinal()];
        if (o == null) {
            o = new TensorOptions(d.scalarType);
            OPTIONS[d.ordinal()] = o;
        }
        return o;
    }

    // ------------------------------------------------------------------ creation from Java data

    /** A float32 tensor from values, shaped {@code shape} (or 1-D when no shape is given). */
    public static Tensor of(float[] data, long... shape) {
        Tensor t = empty(DType.FLOAT32, checkShape(data.length, shape));
        t.h().data_ptr_float().put(data);
        return t;
    }

    /** A float64 tensor. */
    public static Tensor of(double[] data, long... shape) {
        Tensor t = empty(DType.FLOAT64, checkShape(data.length, shape));
        t.h().data_ptr_double().put(data);
        return t;
    }

    /** An int64 tensor. */
    public static Tensor of(long[] data, long... shape) {
        Tensor t = empty(DType.INT64, checkShape(data.length, shape));
        t.h().data_ptr_long().put(data);
        return t;
    }

    /** An int32 tensor. */
    public static Tensor of(int[] data, long... shape) {
        Tensor t = empty(DType.INT32, checkShape(data.length, shape));
        t.h().data_ptr_int().put(data);
        return t;
    }

    /** A uint8 tensor (bytes taken as unsigned). */
    public static Tensor of(byte[] data, long... shape) {
        return fromBytes(data, DType.UINT8, checkShape(data.length, shape));
    }

    /** A bool tensor. */
    public static Tensor of(boolean[] data, long... shape) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (data[i] ? 1 : 0);
        return fromBytes(b, DType.BOOL, checkShape(data.length, shape));
    }

    /** A 0-dim float32 tensor. */
    public static Tensor scalar(double v) { return scalar(v, DType.FLOAT32); }

    /** A 0-dim tensor of the given dtype. */
    public static Tensor scalar(double v, DType dtype) {
        return call("scalar", () -> { try (Scalar s = sc(v)) { return torch.full(new long[0], s, options(dtype)); } });
    }

    /** A 0-dim int64 tensor. */
    public static Tensor scalar(long v) {
        return call("scalar", () -> { try (Scalar s = sc(v)) { return torch.full(new long[0], s, options(DType.INT64)); } });
    }

    /** A 2-D float32 tensor from rows. */
    public static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] flat = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw new IllegalArgumentException("Ragged rows: row 0 has " + c + " values, row " + i + " has " + rows[i].length);
            System.arraycopy(rows[i], 0, flat, i * c, c);
        }
        return of(flat, r, c);
    }

    /** A tensor from contiguous little-endian element bytes (copied). */
    public static Tensor fromBytes(byte[] data, DType dtype, long... shape) {
        long n = numelOf(shape);
        if (n * dtype.itemSize() != data.length)
            throw new IllegalArgumentException("fromBytes: " + data.length + " bytes do not hold shape " + Arrays.toString(shape)
                    + " of " + dtype + " (" + n * dtype.itemSize() + " bytes needed)");
        Tensor t = empty(dtype, shape);
        if (data.length > 0) new BytePointer(t.h().data_ptr()).capacity(data.length).put(data);
        return t;
    }

    /** A tensor from the remaining bytes of a buffer (little-endian element bytes, copied). */
    public static Tensor fromBuffer(ByteBuffer data, DType dtype, long... shape) {
        long n = numelOf(shape) * dtype.itemSize();
        if (n != data.remaining())
            throw new IllegalArgumentException("fromBuffer: " + data.remaining() + " bytes do not hold shape " + Arrays.toString(shape) + " of " + dtype);
        Tensor t = empty(dtype, shape);
        if (n > 0) {
            ByteBuffer dst = new BytePointer(t.h().data_ptr()).capacity(n).asByteBuffer();
            dst.put(data.duplicate());
        }
        return t;
    }

    private static long[] checkShape(int n, long[] shape) {
        if (shape.length == 0) return new long[]{n};
        long m = numelOf(shape);
        if (m != n) throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " holds " + m + " values but " + n + " were given");
        return shape;
    }

    static long numelOf(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("Invalid shape " + Arrays.toString(shape) + ": sizes must be >= 0");
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    // ------------------------------------------------------------------ factories

    /** Uninitialised tensor. */
    public static Tensor empty(DType dtype, long... shape) { return call("empty", () -> torch.empty(shape, options(dtype), null)); }
    public static Tensor empty(long... shape) { return empty(DType.FLOAT32, shape); }
    public static Tensor zeros(long... shape) { return zeros(DType.FLOAT32, shape); }
    public static Tensor zeros(DType dtype, long... shape) { return call("zeros", () -> torch.zeros(shape, options(dtype))); }
    public static Tensor ones(long... shape) { return ones(DType.FLOAT32, shape); }
    public static Tensor ones(DType dtype, long... shape) { return call("ones", () -> torch.ones(shape, options(dtype))); }
    public static Tensor full(double value, long... shape) { return full(value, DType.FLOAT32, shape); }
    public static Tensor full(double value, DType dtype, long... shape) {
        return call("full", () -> { try (Scalar s = sc(value)) { return torch.full(shape, s, options(dtype)); } });
    }
    /** {@code torch.arange(end)}: int64 0..end-1. */
    public static Tensor arange(long end) { return arange(0, end, 1); }
    /** {@code torch.arange(start, end, step)} with integer arguments: int64. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero");
        return call("arange", () -> { try (Scalar a = sc(start); Scalar b = sc(end); Scalar c = sc(step)) { return torch.arange(a, b, c, options(DType.INT64)); } });
    }
    /** {@code torch.arange(start, end, step)} with float arguments: float32. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero");
        return call("arange", () -> { try (Scalar a = sc(start); Scalar b = sc(end); Scalar c = sc(step)) { return torch.arange(a, b, c, options(DType.FLOAT32)); } });
    }
    public static Tensor linspace(double start, double end, long steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        return call("linspace", () -> { try (Scalar a = sc(start); Scalar b = sc(end)) { return torch.linspace(a, b, steps, options(DType.FLOAT32)); } });
    }
    public static Tensor eye(long n) { return call("eye", () -> torch.eye(n, options(DType.FLOAT32))); }
    public static Tensor eye(long n, long m) { return call("eye", () -> torch.eye(n, m, options(DType.FLOAT32))); }

    /** Standard normal samples from the default generator ({@code torch.randn}). */
    public static Tensor randn(long... shape) { return randn((Generator) null, shape); }
    public static Tensor randn(Generator g, long... shape) { return empty(DType.FLOAT32, shape).normal_(0, 1, g); }
    /** Uniform samples in [0, 1) ({@code torch.rand}). */
    public static Tensor rand(long... shape) { return rand((Generator) null, shape); }
    public static Tensor rand(Generator g, long... shape) { return empty(DType.FLOAT32, shape).uniform_(0, 1, g); }
    /** Integers uniform in [low, high), int64 ({@code torch.randint}). */
    public static Tensor randint(long low, long high, long... shape) { return randint(null, low, high, shape); }
    public static Tensor randint(Generator g, long low, long high, long... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: low (" + low + ") must be < high (" + high + ")");
        Tensor t = empty(DType.INT64, shape);
        return t.inPlace("randint", () -> { try (LongOptional hi = new LongOptional(high); GeneratorOptional go = genOpt(g)) { t.h().random_(low, hi, go); } });
    }
    /** A random permutation of 0..n-1, int64 ({@code torch.randperm}). */
    public static Tensor randperm(long n) { return randperm(null, n); }
    public static Tensor randperm(Generator g, long n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        return call("randperm", () -> { try (GeneratorOptional go = genOpt(g)) { return torch.randperm(n, go, options(DType.INT64)); } });
    }

    /** An optional generator (empty: the default generator); the caller closes it. */
    static GeneratorOptional genOpt(Generator g) {
        return g == null ? new GeneratorOptional() : new GeneratorOptional(g.nativeGenerator());
    }
    /** Shared empty dtype optional, passed to reductions; never closed. */
    static final ScalarTypeOptional NO_DTYPE = new ScalarTypeOptional();

    public Tensor zerosLike() { return op("zeros_like", () -> torch.zeros_like(h())); }
    public Tensor onesLike() { return op("ones_like", () -> torch.ones_like(h())); }
    public Tensor emptyLike() { return op("empty_like", () -> torch.empty_like(h())); }
    public Tensor fullLike(double v) { return zerosLike().fill_(v); }
    public Tensor randnLike() { return emptyLike().normal_(0, 1, null); }
    public Tensor randLike() { return emptyLike().uniform_(0, 1, null); }

    // ------------------------------------------------------------------ metadata

    public long[] shape() {
        org.bytedeco.pytorch.Tensor t = h();
        long[] out = new long[(int) t.dim()];
        for (int i = 0; i < out.length; i++) out[i] = t.size(i);
        return out;
    }
    /** Alias of {@link #shape()}. */
    public long[] size() { return shape(); }
    /** Size of one dimension (negative dims count from the end). */
    public long size(int dim) { return h().size(dim); }
    public long[] stride() {
        org.bytedeco.pytorch.Tensor t = h();
        long[] out = new long[(int) t.dim()];
        for (int i = 0; i < out.length; i++) out[i] = t.stride(i);
        return out;
    }
    public long stride(int dim) { return h().stride(dim); }
    public long storageOffset() { return h().storage_offset(); }
    public int dim() { return (int) h().dim(); }
    public long numel() { return h().numel(); }
    public DType dtype() { return DType.of(h().scalar_type()); }
    public Device device() {
        org.bytedeco.pytorch.Tensor t = h();
        if (!t.is_cuda()) return Device.CPU;
        try (org.bytedeco.pytorch.Device d = t.device()) { return Device.cuda(d.index()); }
    }
    public boolean isContiguous() { return h().is_contiguous(); }
    public boolean isFloatingPoint() { return dtype().isFloatingPoint(); }
    /** Bytes of element data this tensor views. */
    public long nbytes() { return numel() * dtype().itemSize(); }

    // ------------------------------------------------------------------ conversion

    public Tensor to(DType dtype) { return op("to", () -> h().to(dtype.scalarType)); }
    public Tensor to(Device device) {
        return op("to", () -> { try (org.bytedeco.pytorch.Device d = device.toNative()) { return h().to(d, h().scalar_type()); } });
    }
    public Tensor toFloat() { return to(DType.FLOAT32); }
    public Tensor toDouble() { return to(DType.FLOAT64); }
    public Tensor toLong() { return to(DType.INT64); }
    public Tensor contiguous() { return op("contiguous", () -> h().contiguous()); }
    public Tensor clone() { return op("clone", () -> h().clone()); }

    /** The single value of a one-element tensor, as a double ({@code .item()}). */
    public double item() {
        try { return h().item_double(); } catch (RuntimeException e) { throw TorchException.from(e, "item"); }
    }
    public float itemFloat() { try { return h().item_float(); } catch (RuntimeException e) { throw TorchException.from(e, "item"); } }
    public long itemLong() { try { return h().item_long(); } catch (RuntimeException e) { throw TorchException.from(e, "item"); } }
    public boolean itemBool() { try { return h().item_bool(); } catch (RuntimeException e) { throw TorchException.from(e, "item"); } }

    /** All values, row-major, converted to float. */
    public float[] toFloatArray() {
        try (Scope s = Scope.open()) {
            Tensor c = to(DType.FLOAT32).contiguous();
            float[] out = new float[Math.toIntExact(c.numel())];
            if (out.length > 0) c.h().data_ptr_float().get(out);
            return out;
        }
    }
    public double[] toDoubleArray() {
        try (Scope s = Scope.open()) {
            Tensor c = to(DType.FLOAT64).contiguous();
            double[] out = new double[Math.toIntExact(c.numel())];
            if (out.length > 0) c.h().data_ptr_double().get(out);
            return out;
        }
    }
    public long[] toLongArray() {
        try (Scope s = Scope.open()) {
            Tensor c = to(DType.INT64).contiguous();
            long[] out = new long[Math.toIntExact(c.numel())];
            if (out.length > 0) c.h().data_ptr_long().get(out);
            return out;
        }
    }
    public int[] toIntArray() {
        try (Scope s = Scope.open()) {
            Tensor c = to(DType.INT32).contiguous();
            int[] out = new int[Math.toIntExact(c.numel())];
            if (out.length > 0) c.h().data_ptr_int().get(out);
            return out;
        }
    }
    public boolean[] toBooleanArray() {
        byte[] b;
        try (Scope s = Scope.open()) { b = to(DType.BOOL).toBytes(); }
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] != 0;
        return out;
    }
    /** Contiguous little-endian element bytes (a copy). */
    public byte[] toBytes() {
        try (Scope s = Scope.open()) {
            Tensor c = contiguous();
            byte[] out = new byte[Math.toIntExact(c.nbytes())];
            if (out.length > 0) new BytePointer(c.h().data_ptr()).capacity(out.length).get(out);
            return out;
        }
    }
    /**
     * A little-endian view of this tensor's element memory; the tensor must be contiguous and stay
     * alive while the buffer is used.
     */
    public ByteBuffer asByteBuffer() {
        if (!isContiguous()) throw new IllegalStateException("asByteBuffer() needs a contiguous tensor; call contiguous() first");
        long n = nbytes();
        if (n == 0) return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        Pointer p = h().data_ptr();
        return new BytePointer(p).capacity(n).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() { return h().requires_grad(); }
    /** Sets {@code requires_grad} in place (leaf tensors) and returns this. */
    public Tensor requiresGrad(boolean on) { return inPlace("requires_grad_", () -> h().set_requires_grad(on)); }
    /** {@code requires_grad_()} spelled as in PyTorch. */
    public Tensor requiresGrad_(boolean on) { return requiresGrad(on); }
    /** The accumulated gradient, or null when none was computed (or it was set to None). */
    public Tensor grad() {
        org.bytedeco.pytorch.Tensor g = h().grad();
        if (g == null || g.isNull() || !g.defined()) return null;
        return wrapBorrowed(g);
    }
    /** Sets {@code .grad} (null clears it, as {@code p.grad = None}). */
    public void setGrad(Tensor g) {
        try {
            if (g == null) {
                try (org.bytedeco.pytorch.Tensor undef = new org.bytedeco.pytorch.Tensor()) { h().mutable_grad().put(undef); }
            } else {
                h().mutable_grad().put(g.h());
            }
        } catch (RuntimeException e) { throw TorchException.from(e, "set grad"); }
    }
    /** The name of the autograd node that made this tensor ({@code SumBackward0}), or null for a leaf. */
    public String gradFnName() {
        org.bytedeco.pytorch.Node n = h().grad_fn();
        if (n == null || n.isNull()) return null;
        try (BytePointer p = n.name()) {
            String s = p.getString();
            int k = s.lastIndexOf("::");
            return k >= 0 ? s.substring(k + 2) : s;
        }
    }
    public boolean isLeaf() { return h().is_leaf(); }
    /** Keeps {@code .grad} for a non-leaf tensor. */
    public Tensor retainGrad() { return inPlace("retain_grad", () -> h().retain_grad()); }
    public Tensor detach() { return op("detach", () -> h().detach()); }
    public Tensor detach_() { return inPlace("detach_", () -> h().detach_()); }
    /** Back-propagates from a scalar tensor. */
    public void backward() {
        try { h().backward(); } catch (RuntimeException e) { throw TorchException.from(e, "backward"); }
    }
    /** Back-propagates with an explicit gradient of the same shape. */
    public void backward(Tensor gradient) { backward(gradient, false, false); }
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        try {
            if (gradient == null) {
                try (Tensor one = onesLike()) {
                    try (BoolOptional rg = new BoolOptional(retainGraph)) { h().backward(one.h(), rg, createGraph, null); }
                }
            } else {
                try (BoolOptional rg = new BoolOptional(retainGraph)) { h().backward(gradient.h(), rg, createGraph, null); }
            }
        } catch (RuntimeException e) { throw TorchException.from(e, "backward"); }
    }

    // ------------------------------------------------------------------ views and shape ops

    /** {@code view(*shape)}; one size may be -1. */
    public Tensor view(long... shape) { return op("view", () -> h().view(shape)); }
    public Tensor reshape(long... shape) { return op("reshape", () -> h().reshape(shape)); }
    public Tensor viewAs(Tensor o) { return op("view_as", () -> h().view_as(o.h())); }
    public Tensor reshapeAs(Tensor o) { return op("reshape_as", () -> h().reshape_as(o.h())); }
    public Tensor permute(long... dims) { return op("permute", () -> h().permute(dims)); }
    public Tensor transpose(long d0, long d1) { return op("transpose", () -> h().transpose(d0, d1)); }
    /** 2-D transpose ({@code .t()}). */
    public Tensor t() { return op("t", () -> h().t()); }
    public Tensor flatten() { return op("flatten", () -> h().flatten()); }
    public Tensor flatten(long start, long end) { return op("flatten", () -> h().flatten(start, end)); }
    public Tensor unflatten(long dim, long... sizes) { return op("unflatten", () -> h().unflatten(dim, sizes)); }
    public Tensor squeeze() { return op("squeeze", () -> h().squeeze()); }
    public Tensor squeeze(long dim) { return op("squeeze", () -> h().squeeze(dim)); }
    public Tensor unsqueeze(long dim) { return op("unsqueeze", () -> h().unsqueeze(dim)); }
    public Tensor expand(long... sizes) { return op("expand", () -> h().expand(sizes)); }
    public Tensor expandAs(Tensor o) { return op("expand_as", () -> h().expand_as(o.h())); }
    public Tensor repeat(long... times) { return op("repeat", () -> h().repeat(times)); }
    public Tensor flip(long... dims) { return op("flip", () -> h().flip(dims)); }
    public Tensor roll(long[] shifts, long... dims) { return op("roll", () -> h().roll(shifts, dims)); }
    public Tensor narrow(long dim, long start, long length) { return op("narrow", () -> h().narrow(dim, start, length)); }
    /** {@code x.select(dim, index)}: drops {@code dim}. */
    public Tensor select(long dim, long index) { return op("select", () -> h().select(dim, index)); }
    /** {@code x[i]}. */
    public Tensor get(long index) { return select(0, index); }
    /** {@code x[i][j]...}. */
    public Tensor get(long... index) {
        Tensor t = this;
        for (long i : index) t = t.select(0, i);
        return t == this ? alias() : t;
    }
    private Tensor alias() { return op("alias", () -> h().alias()); }
    /** {@code x[start:end:step]} along {@code dim}. */
    public Tensor slice(long dim, long start, long end, long step) {
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        return op("slice", () -> { try (LongOptional a = new LongOptional(start); LongOptional b = new LongOptional(end)) { return h().slice(dim, a, b, step); } });
    }
    public Tensor slice(long dim, long start, long end) { return slice(dim, start, end, 1); }
    public Tensor asStrided(long[] size, long[] stride, long storageOffset) {
        return op("as_strided", () -> { try (LongOptional o = new LongOptional(storageOffset)) { return h().as_strided(size, stride, o); } });
    }
    public Tensor indexSelect(long dim, Tensor index) { return op("index_select", () -> h().index_select(dim, index.h())); }
    public Tensor gather(long dim, Tensor index) { return op("gather", () -> h().gather(dim, index.h())); }
    public Tensor scatter(long dim, Tensor index, Tensor src) { return op("scatter", () -> h().scatter(dim, index.h(), src.h())); }
    public Tensor scatter(long dim, Tensor index, double value) { return op("scatter", () -> { try (Scalar s = sc(value)) { return h().scatter(dim, index.h(), s); } }); }
    public Tensor scatter_(long dim, Tensor index, Tensor src) { return inPlace("scatter_", () -> h().scatter_(dim, index.h(), src.h())); }
    public Tensor scatterAdd(long dim, Tensor index, Tensor src) { return op("scatter_add", () -> h().scatter_add(dim, index.h(), src.h())); }
    public Tensor indexAdd_(long dim, Tensor index, Tensor src) { return inPlace("index_add_", () -> h().index_add_(dim, index.h(), src.h())); }
    public Tensor indexFill_(long dim, Tensor index, double v) { return inPlace("index_fill_", () -> { try (Scalar s = sc(v)) { h().index_fill_(dim, index.h(), s); } }); }
    public Tensor maskedFill(Tensor mask, double value) { return op("masked_fill", () -> { try (Scalar s = sc(value)) { return h().masked_fill(mask.h(), s); } }); }
    public Tensor maskedFill_(Tensor mask, double value) { return inPlace("masked_fill_", () -> { try (Scalar s = sc(value)) { h().masked_fill_(mask.h(), s); } }); }
    public Tensor maskedSelect(Tensor mask) { return op("masked_select", () -> h().masked_select(mask.h())); }
    public Tensor nonzero() { return op("nonzero", () -> h().nonzero()); }
    /** {@code torch.where(cond, a, b)}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return call("where", () -> torch.where(cond.h(), a.h(), b.h())); }
    public static Tensor where(Tensor cond, Tensor a, double b) { return call("where", () -> { try (Scalar s = sc(b)) { return torch.where(cond.h(), a.h(), s); } }); }
    public Tensor tril(long diagonal) { return op("tril", () -> h().tril(diagonal)); }
    public Tensor triu(long diagonal) { return op("triu", () -> h().triu(diagonal)); }
    public Tensor diag() { return op("diag", () -> h().diag()); }

    public static Tensor cat(List<Tensor> ts, long dim) {
        return call("cat", () -> { try (TensorVector v = vec(ts)) { return torch.cat(v, dim); } });
    }
    public static Tensor cat(long dim, Tensor... ts) { return cat(Arrays.asList(ts), dim); }
    public static Tensor stack(List<Tensor> ts, long dim) {
        return call("stack", () -> { try (TensorVector v = vec(ts)) { return torch.stack(v, dim); } });
    }
    public static Tensor stack(long dim, Tensor... ts) { return stack(Arrays.asList(ts), dim); }
    public List<Tensor> split(long splitSize, long dim) { return list("split", () -> h().split(splitSize, dim)); }
    public List<Tensor> split(long[] sizes, long dim) { return list("split", () -> h().split_with_sizes(sizes, dim)); }
    public List<Tensor> chunk(long chunks, long dim) { return list("chunk", () -> h().chunk(chunks, dim)); }
    public List<Tensor> unbind(long dim) { return list("unbind", () -> h().unbind(dim)); }

    /** A libtorch vector of these tensors (escape hatch); the caller closes it. */
    public static TensorVector toNativeVector(List<Tensor> ts) { return vec(ts); }

    /** Wraps (and closes) a libtorch vector of tensors returned by value (escape hatch). */
    public static List<Tensor> fromNativeVector(TensorVector v) { return unvec(v); }

    static TensorVector vec(List<Tensor> ts) {
        org.bytedeco.pytorch.Tensor[] arr = new org.bytedeco.pytorch.Tensor[ts.size()];
        for (int i = 0; i < arr.length; i++) arr[i] = ts.get(i).h();
        return new TensorVector(arr);
    }

    static List<Tensor> unvec(TensorVector v) {
        try (v) {
            List<Tensor> out = new ArrayList<>((int) v.size());
            for (long i = 0; i < v.size(); i++) out.add(new Tensor(new org.bytedeco.pytorch.Tensor(v.get(i))));
            return out;
        }
    }

    private static List<Tensor> list(String name, Supplier<TensorVector> f) {
        try { return unvec(f.get()); } catch (RuntimeException e) { throw TorchException.from(e, name); }
    }

    private static Tensor[] pair(String name, Supplier<T_TensorTensor_T> f) {
        try (T_TensorTensor_T r = f.get()) {
            return new Tensor[]{new Tensor(new org.bytedeco.pytorch.Tensor(r.get0())), new Tensor(new org.bytedeco.pytorch.Tensor(r.get1()))};
        } catch (RuntimeException e) { throw TorchException.from(e, name); }
    }

    // ------------------------------------------------------------------ element-wise maths

    public Tensor add(Tensor o) { return op("add", () -> h().add(o.h())); }
    /** {@code self + alpha * o}. */
    public Tensor add(Tensor o, double alpha) { return op("add", () -> { try (Scalar a = sc(alpha)) { return h().add(o.h(), a); } }); }
    public Tensor add(double v) { return op("add", () -> { try (Scalar s = sc(v)) { return h().add(s); } }); }
    public Tensor add(long v) { return op("add", () -> { try (Scalar s = sc(v)) { return h().add(s); } }); }
    public Tensor sub(Tensor o) { return op("sub", () -> h().sub(o.h())); }
    public Tensor sub(Tensor o, double alpha) { return op("sub", () -> { try (Scalar a = sc(alpha)) { return h().sub(o.h(), a); } }); }
    public Tensor sub(double v) { return op("sub", () -> { try (Scalar s = sc(v)) { return h().sub(s); } }); }
    public Tensor sub(long v) { return op("sub", () -> { try (Scalar s = sc(v)) { return h().sub(s); } }); }
    /** {@code v - self}. */
    public Tensor rsub(double v) { return neg().add_(v); }
    public Tensor mul(Tensor o) { return op("mul", () -> h().mul(o.h())); }
    public Tensor mul(double v) { return op("mul", () -> { try (Scalar s = sc(v)) { return h().mul(s); } }); }
    public Tensor mul(long v) { return op("mul", () -> { try (Scalar s = sc(v)) { return h().mul(s); } }); }
    public Tensor div(Tensor o) { return op("div", () -> h().div(o.h())); }
    public Tensor div(double v) { return op("div", () -> { try (Scalar s = sc(v)) { return h().div(s); } }); }
    public Tensor floorDivide(Tensor o) { return op("floor_divide", () -> h().floor_divide(o.h())); }
    public Tensor remainder(double v) { return op("remainder", () -> { try (Scalar s = sc(v)) { return h().remainder(s); } }); }
    public Tensor pow(double e) { return op("pow", () -> { try (Scalar s = sc(e)) { return h().pow(s); } }); }
    public Tensor pow(Tensor e) { return op("pow", () -> h().pow(e.h())); }
    public Tensor neg() { return op("neg", () -> h().neg()); }
    public Tensor abs() { return op("abs", () -> h().abs()); }
    public Tensor sign() { return op("sign", () -> h().sign()); }
    public Tensor exp() { return op("exp", () -> h().exp()); }
    public Tensor log() { return op("log", () -> h().log()); }
    public Tensor log1p() { return op("log1p", () -> h().log1p()); }
    public Tensor sqrt() { return op("sqrt", () -> h().sqrt()); }
    public Tensor rsqrt() { return op("rsqrt", () -> h().rsqrt()); }
    public Tensor square() { return op("square", () -> h().square()); }
    public Tensor reciprocal() { return op("reciprocal", () -> h().reciprocal()); }
    public Tensor sin() { return op("sin", () -> h().sin()); }
    public Tensor cos() { return op("cos", () -> h().cos()); }
    public Tensor tanh() { return op("tanh", () -> h().tanh()); }
    public Tensor sigmoid() { return op("sigmoid", () -> h().sigmoid()); }
    public Tensor relu() { return op("relu", () -> h().relu()); }
    public Tensor erf() { return op("erf", () -> h().erf()); }
    public Tensor floor() { return op("floor", () -> h().floor()); }
    public Tensor ceil() { return op("ceil", () -> h().ceil()); }
    public Tensor round() { return op("round", () -> h().round()); }
    public Tensor clamp(double min, double max) {
        return op("clamp", () -> { try (Scalar a = sc(min); Scalar b = sc(max); ScalarOptional oa = new ScalarOptional(a); ScalarOptional ob = new ScalarOptional(b)) { return h().clamp(oa, ob); } });
    }
    public Tensor clampMin(double min) { return op("clamp_min", () -> { try (Scalar a = sc(min)) { return h().clamp_min(a); } }); }
    public Tensor clampMax(double max) { return op("clamp_max", () -> { try (Scalar a = sc(max)) { return h().clamp_max(a); } }); }
    public Tensor maximum(Tensor o) { return op("maximum", () -> h().maximum(o.h())); }
    public Tensor minimum(Tensor o) { return op("minimum", () -> h().minimum(o.h())); }
    public Tensor softmax(long dim) { return op("softmax", () -> h().softmax(dim)); }
    public Tensor logSoftmax(long dim) { return op("log_softmax", () -> h().log_softmax(dim)); }
    public Tensor lerp(Tensor end, double weight) { return op("lerp", () -> { try (Scalar w = sc(weight)) { return h().lerp(end.h(), w); } }); }
    public Tensor isnan() { return op("isnan", () -> h().isnan()); }
    public Tensor isinf() { return op("isinf", () -> h().isinf()); }
    public Tensor isfinite() { return op("isfinite", () -> h().isfinite()); }
    public Tensor logicalNot() { return op("logical_not", () -> h().logical_not()); }
    public Tensor logicalAnd(Tensor o) { return op("logical_and", () -> h().logical_and(o.h())); }
    public Tensor logicalOr(Tensor o) { return op("logical_or", () -> h().logical_or(o.h())); }

    // in-place (PyTorch's trailing underscore; they return this)
    public Tensor add_(Tensor o) { return inPlace("add_", () -> h().add_(o.h())); }
    public Tensor add_(Tensor o, double alpha) { return inPlace("add_", () -> { try (Scalar a = sc(alpha)) { h().add_(o.h(), a); } }); }
    /** In-place add of a Python-int scalar (keeps integer dtypes). */
    public Tensor add_(long v) { return inPlace("add_", () -> { try (Scalar s = sc(v)) { h().add_(s); } }); }
    public Tensor add_(double v) { return inPlace("add_", () -> { try (Scalar s = sc(v)) { h().add_(s); } }); }
    public Tensor sub_(Tensor o) { return inPlace("sub_", () -> h().sub_(o.h())); }
    public Tensor sub_(Tensor o, double alpha) { return inPlace("sub_", () -> { try (Scalar a = sc(alpha)) { h().sub_(o.h(), a); } }); }
    public Tensor sub_(double v) { return inPlace("sub_", () -> { try (Scalar s = sc(v)) { h().sub_(s); } }); }
    public Tensor mul_(Tensor o) { return inPlace("mul_", () -> h().mul_(o.h())); }
    public Tensor mul_(double v) { return inPlace("mul_", () -> { try (Scalar s = sc(v)) { h().mul_(s); } }); }
    public Tensor div_(Tensor o) { return inPlace("div_", () -> h().div_(o.h())); }
    public Tensor div_(double v) { return inPlace("div_", () -> { try (Scalar s = sc(v)) { h().div_(s); } }); }
    public Tensor pow_(double e) { return inPlace("pow_", () -> { try (Scalar s = sc(e)) { h().pow_(s); } }); }
    public Tensor neg_() { return inPlace("neg_", () -> h().neg_()); }
    public Tensor sqrt_() { return inPlace("sqrt_", () -> h().sqrt_()); }
    public Tensor exp_() { return inPlace("exp_", () -> h().exp_()); }
    public Tensor relu_() { return inPlace("relu_", () -> h().relu_()); }
    public Tensor clamp_(double min, double max) {
        return inPlace("clamp_", () -> { try (Scalar a = sc(min); Scalar b = sc(max); ScalarOptional oa = new ScalarOptional(a); ScalarOptional ob = new ScalarOptional(b)) { h().clamp_(oa, ob); } });
    }
    public Tensor fill_(double v) { return inPlace("fill_", () -> { try (Scalar s = sc(v)) { h().fill_(s); } }); }
    public Tensor erfinv_() { return inPlace("erfinv_", () -> h().erfinv_()); }
    public Tensor erfinv() { return op("erfinv", () -> h().erfinv()); }
    /** {@code param.data = value}: swaps the data under this tensor, keeping its identity and autograd flags. */
    public Tensor setData(Tensor value) { return inPlace("set_data", () -> h().__dispatch_set_data(value.h())); }
    /** {@code torch.baddbmm(self, b1, b2, beta, alpha)}. */
    public Tensor baddbmm(Tensor b1, Tensor b2, double beta, double alpha) {
        return op("baddbmm", () -> { try (Scalar be = sc(beta); Scalar al = sc(alpha)) { return h().baddbmm(b1.h(), b2.h(), be, al); } });
    }
    public Tensor zero_() { return inPlace("zero_", () -> h().zero_()); }
    public Tensor copy_(Tensor src) { return inPlace("copy_", () -> h().copy_(src.h())); }
    /** {@code self += value * t1 * t2}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) { return inPlace("addcmul_", () -> { try (Scalar s = sc(value)) { h().addcmul_(t1.h(), t2.h(), s); } }); }
    /** {@code self += value * t1 / t2}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) { return inPlace("addcdiv_", () -> { try (Scalar s = sc(value)) { h().addcdiv_(t1.h(), t2.h(), s); } }); }
    public Tensor lerp_(Tensor end, double weight) { return inPlace("lerp_", () -> { try (Scalar s = sc(weight)) { h().lerp_(end.h(), s); } }); }
    public Tensor maximum_(Tensor o) { return copy_(maximumTmp(o)); }
    private Tensor maximumTmp(Tensor o) { return maximum(o); }
    /** Fills with N(mean, std) samples. */
    public Tensor normal_(double mean, double std, Generator g) { return inPlace("normal_", () -> { try (GeneratorOptional go = genOpt(g)) { h().normal_(mean, std, go); } }); }
    public Tensor normal_(double mean, double std) { return normal_(mean, std, null); }
    /** Fills with U[from, to) samples. */
    public Tensor uniform_(double from, double to, Generator g) { return inPlace("uniform_", () -> { try (GeneratorOptional go = genOpt(g)) { h().uniform_(from, to, go); } }); }
    public Tensor uniform_(double from, double to) { return uniform_(from, to, null); }
    /** Fills with Bernoulli(p) samples. */
    public Tensor bernoulli_(double p, Generator g) { return inPlace("bernoulli_", () -> { try (GeneratorOptional go = genOpt(g)) { h().bernoulli_(p, go); } }); }

    // ------------------------------------------------------------------ comparisons

    public Tensor eq(Tensor o) { return op("eq", () -> h().eq(o.h())); }
    public Tensor eq(double v) { return op("eq", () -> { try (Scalar s = sc(v)) { return h().eq(s); } }); }
    public Tensor ne(Tensor o) { return op("ne", () -> h().ne(o.h())); }
    public Tensor ne(double v) { return op("ne", () -> { try (Scalar s = sc(v)) { return h().ne(s); } }); }
    public Tensor lt(Tensor o) { return op("lt", () -> h().lt(o.h())); }
    public Tensor lt(double v) { return op("lt", () -> { try (Scalar s = sc(v)) { return h().lt(s); } }); }
    public Tensor le(Tensor o) { return op("le", () -> h().le(o.h())); }
    public Tensor le(double v) { return op("le", () -> { try (Scalar s = sc(v)) { return h().le(s); } }); }
    public Tensor gt(Tensor o) { return op("gt", () -> h().gt(o.h())); }
    public Tensor gt(double v) { return op("gt", () -> { try (Scalar s = sc(v)) { return h().gt(s); } }); }
    public Tensor ge(Tensor o) { return op("ge", () -> h().ge(o.h())); }
    public Tensor ge(double v) { return op("ge", () -> { try (Scalar s = sc(v)) { return h().ge(s); } }); }
    /** Same shape and values ({@code torch.equal}). */
    public boolean equal(Tensor o) {
        try { return torch.equal(h(), o.h()); } catch (RuntimeException e) { throw TorchException.from(e, "equal"); }
    }
    /** {@code torch.allclose}. */
    public boolean allclose(Tensor o, double rtol, double atol) {
        try { return h().allclose(o.h(), rtol, atol, false); } catch (RuntimeException e) { throw TorchException.from(e, "allclose"); }
    }

    // ------------------------------------------------------------------ reductions

    public Tensor sum() { return op("sum", () -> h().sum()); }
    public Tensor sum(long dim, boolean keepdim) { return op("sum", () -> h().sum(new long[]{dim}, keepdim, NO_DTYPE)); }
    public Tensor sum(long[] dims, boolean keepdim) { return op("sum", () -> h().sum(dims, keepdim, NO_DTYPE)); }
    public Tensor mean() { return op("mean", () -> h().mean()); }
    public Tensor mean(long dim, boolean keepdim) { return op("mean", () -> h().mean(new long[]{dim}, keepdim, NO_DTYPE)); }
    public Tensor mean(long[] dims, boolean keepdim) { return op("mean", () -> h().mean(dims, keepdim, NO_DTYPE)); }
    public Tensor prod() { return op("prod", () -> h().prod()); }
    public Tensor max() { return op("max", () -> h().max()); }
    public Tensor min() { return op("min", () -> h().min()); }
    /** {@code torch.max(x, dim)}: {values, indices}. */
    public Tensor[] max(long dim, boolean keepdim) { return pair("max", () -> h().max(dim, keepdim)); }
    public Tensor[] min(long dim, boolean keepdim) { return pair("min", () -> h().min(dim, keepdim)); }
    public Tensor argmax() { return op("argmax", () -> h().argmax()); }
    public Tensor argmax(long dim, boolean keepdim) { return op("argmax", () -> { try (LongOptional d = new LongOptional(dim)) { return h().argmax(d, keepdim); } }); }
    public Tensor argmin(long dim, boolean keepdim) { return op("argmin", () -> { try (LongOptional d = new LongOptional(dim)) { return h().argmin(d, keepdim); } }); }
    /** Standard deviation with Bessel's correction (PyTorch's default). */
    public Tensor std() { return op("std", () -> h().std()); }
    public Tensor std(long dim, boolean unbiased, boolean keepdim) { return op("std", () -> h().std(new long[]{dim}, unbiased, keepdim)); }
    public Tensor var() { return op("var", () -> h().var()); }
    public Tensor var(long dim, boolean unbiased, boolean keepdim) { return op("var", () -> h().var(new long[]{dim}, unbiased, keepdim)); }
    /** 2-norm of all elements. */
    public Tensor norm() { return op("norm", () -> h().norm()); }
    /** p-norm of all elements (p may be infinite). */
    public Tensor norm(double p) { return op("norm", () -> { try (Scalar s = sc(p)) { return h().norm(s); } }); }
    public Tensor norm(double p, long dim, boolean keepdim) {
        return op("norm", () -> { try (Scalar s = sc(p); ScalarOptional so = new ScalarOptional(s)) { return h().norm(so, new long[]{dim}, keepdim); } });
    }
    public Tensor logsumexp(long dim, boolean keepdim) { return op("logsumexp", () -> h().logsumexp(new long[]{dim}, keepdim)); }
    public Tensor cumsum(long dim) { return op("cumsum", () -> h().cumsum(dim)); }
    public Tensor all() { return op("all", () -> h().all()); }
    public Tensor any() { return op("any", () -> h().any()); }
    public Tensor any(long dim, boolean keepdim) { return op("any", () -> h().any(dim, keepdim)); }
    public Tensor all(long dim, boolean keepdim) { return op("all", () -> h().all(dim, keepdim)); }
    /** {values, indices} of the k largest along dim. */
    public Tensor[] topk(long k, long dim, boolean largest, boolean sorted) { return pair("topk", () -> h().topk(k, dim, largest, sorted)); }
    /** {values, indices} sorted along dim. */
    public Tensor[] sort(long dim, boolean descending) { return pair("sort", () -> h().sort(dim, descending)); }
    public Tensor argsort(long dim, boolean descending) { return op("argsort", () -> h().argsort(dim, descending)); }

    // ------------------------------------------------------------------ linear algebra

    public Tensor matmul(Tensor o) { return op("matmul", () -> h().matmul(o.h())); }
    public Tensor mm(Tensor o) { return op("mm", () -> h().mm(o.h())); }
    public Tensor bmm(Tensor o) { return op("bmm", () -> h().bmm(o.h())); }
    public Tensor dot(Tensor o) { return op("dot", () -> h().dot(o.h())); }
    public Tensor outer(Tensor o) { return op("outer", () -> h().outer(o.h())); }
    /** {@code torch.einsum(equation, operands)}. */
    public static Tensor einsum(String equation, Tensor... operands) {
        return call("einsum", () -> { try (TensorVector v = vec(Arrays.asList(operands))) { return torch.einsum(equation, v); } });
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch-style: {@code tensor([0.3367, 0.1288, 0.2345])}. */
    @Override
    public String toString() {
        if (handle == null) return "tensor(<freed>)";
        return TensorFormat.format(this);
    }
}
