package dev.wick.distributed;

import dev.wick.tensor.Tensor;

/**
 * A collective running in the background (PyTorch's {@code Work} from {@code async_op=True}).
 * {@link #await()} waits for it and returns its tensor; every {@code Work} must be awaited (or
 * closed, which awaits it) before its tensor is read or changed.
 *
 * <pre>{@code
 * Work w = group.allReduceAsync(grads, ReduceOp.SUM);   // communication runs on Gloo's threads
 * computeSomethingElse();
 * Tensor summed = w.await();                            // grads, now summed over ranks
 * }</pre>
 *
 * <p>The collective holds its own reference to the tensor's memory, so a scope closing before
 * {@code await()} does not corrupt it; read the result through a tensor that is still alive.
 */
public final class Work implements AutoCloseable {
    private final ProcessGroup group;
    private final String op;
    private final Tensor result;
    private org.bytedeco.pytorch.Work work;
    private DistributedException failure;

    Work(ProcessGroup group, String op, org.bytedeco.pytorch.Work work, Tensor result) {
        this.group = group;
        this.op = op;
        this.work = work;
        this.result = result;
    }

    /**
     * Waits (at most the group's collective timeout) and returns the tensor the collective wrote;
     * throws a {@link DistributedException} when it failed or timed out.
     */
    public synchronized Tensor await() {
        if (failure != null) throw failure;
        org.bytedeco.pytorch.Work w = work;
        if (w != null) {
            work = null;
            try {
                w._wait();
            } catch (RuntimeException e) {
                failure = group.failure(op, e);
                throw failure;
            } finally {
                w.close();
            }
        }
        return result;
    }

    /** Whether the collective has finished (successfully or not); does not wait. */
    public synchronized boolean isCompleted() {
        return work == null || work.isCompleted();
    }

    /** Waits for the collective unless {@link #await()} already did (a failure it reported is not thrown again). */
    @Override
    public synchronized void close() {
        if (work != null) await();
    }
}
