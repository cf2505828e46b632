package dev.wick.tensor;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owner of tensors made outside any {@link Scope}: a {@link Cleaner} frees each one once it is
 * unreachable. The GC does not see native bytes, so Wick counts them and requests a collection after
 * {@code wick.gc.nativeBytes} bytes (default 1 GiB) were handed to it.
 */
final class GcOwner {
    static final GcOwner INSTANCE = new GcOwner();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong SINCE_GC = new AtomicLong();
    private static final long LIMIT = Long.getLong("wick.gc.nativeBytes", 1L << 30);

    private GcOwner() {}

    static void own(Tensor t) {
        t.owner = INSTANCE;
        Release r = new Release(t.handleForCleaner());
        t.gcRelease = r;
        CLEANER.register(t, r);
        LIVE.incrementAndGet();
        long bytes = t.nbytesUnchecked();
        if (SINCE_GC.addAndGet(bytes) > LIMIT) {
            SINCE_GC.set(0);
            System.gc();
        }
    }

    static long live() { return LIVE.get(); }

    /** The cleaning action: frees the native tensor unless someone else took it over. */
    static final class Release implements Runnable {
        private volatile org.bytedeco.pytorch.Tensor handle;
        Release(org.bytedeco.pytorch.Tensor handle) { this.handle = handle; }
        void disown() { if (handle != null) { handle = null; LIVE.decrementAndGet(); } }
        @Override public void run() {
            org.bytedeco.pytorch.Tensor h = handle;
            if (h != null) {
                handle = null;
                LIVE.decrementAndGet();
                h.close();
            }
        }
    }

    @Override public String toString() { return "the garbage collector"; }
}
