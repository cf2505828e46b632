package dev.wick.nn;

import java.util.function.Supplier;

import org.bytedeco.pytorch.TensorOptional;

import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * Glue for calling libtorch from the layers: optional-tensor arguments and error mapping.
 *
 * <p>NOTE [native optionals]: Wick runs with JavaCPP's {@code nopointergc}, so a
 * {@link TensorOptional} made here is freed only by {@code close()}. {@link #opt(Tensor)} returns the
 * shared empty optional for null (never closed: {@link Opt#close()} skips it) and a fresh one otherwise;
 * call sites use try-with-resources. A fresh optional is a small malloc plus a reference-count
 * increment, far below the cost of the op it feeds.
 */
final class Native {
    private Native() {}

    private static final TensorOptional EMPTY = new TensorOptional();

    /** An optional tensor argument that frees itself unless it is the shared empty one. */
    static final class Opt implements AutoCloseable {
        final TensorOptional value;
        Opt(TensorOptional value) { this.value = value; }
        @Override public void close() { if (value != EMPTY) value.close(); }
    }

    private static final org.bytedeco.pytorch.Tensor UNDEFINED = new org.bytedeco.pytorch.Tensor();

    /** The native tensor, or the shared undefined tensor (libtorch's "none") for null. */
    static org.bytedeco.pytorch.Tensor orUndefined(Tensor t) {
        return t == null ? UNDEFINED : t.unwrap();
    }

    static Opt opt(Tensor t) {
        return new Opt(t == null ? EMPTY : new TensorOptional(t.unwrap()));
    }

    /** Runs a native op and wraps its by-value result; libtorch errors become one-line messages. */
    static Tensor call(String op, Supplier<org.bytedeco.pytorch.Tensor> f) {
        org.bytedeco.pytorch.Tensor r;
        try {
            r = f.get();
        } catch (RuntimeException e) {
            throw TorchException.from(e, op);
        }
        return Tensor.wrap(r);
    }
}
