package dev.wick.data;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.wick.tensor.Tensor;

/**
 * Where a worker puts the result of one task. Exactly one of complete / fail / cancel wins; a result
 * that arrives after a cancel (or is cancelled after it arrived) has its tensors freed at once, so no
 * batch nobody will read keeps native memory.
 */
final class Slot {
    private enum State { PENDING, DONE, FAILED, CANCELLED }

    private final CountDownLatch latch = new CountDownLatch(1);
    private State state = State.PENDING;
    private Fetcher.Handover result;
    private Throwable error;

    synchronized void complete(Fetcher.Handover h) {
        if (state != State.PENDING) { free(h); return; }
        state = State.DONE;
        result = h;
        latch.countDown();
    }

    synchronized void fail(Throwable e) {
        if (state != State.PENDING) return;
        state = State.FAILED;
        error = e;
        latch.countDown();
    }

    synchronized void cancel() {
        if (state == State.DONE) free(result);
        result = null;
        if (state == State.PENDING) state = State.CANCELLED;
        latch.countDown();
    }

    /** Waits up to {@code nanos} (forever when {@code nanos <= 0}); true when the slot is settled. */
    boolean await(long nanos) throws InterruptedException {
        if (nanos <= 0) { latch.await(); return true; }
        return latch.await(nanos, TimeUnit.NANOSECONDS);
    }

    synchronized Fetcher.Handover result() { return result; }
    synchronized Throwable error() { return error; }
    synchronized boolean cancelled() { return state == State.CANCELLED; }

    static void free(Fetcher.Handover h) {
        if (h == null) return;
        for (Tensor t : h.produced()) t.close();
    }
}
