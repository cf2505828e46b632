package dev.wick.tensor;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide engine set-up that Wick owns: native loading, JavaCPP's bookkeeping policy and the
 * thread pools.
 *
 * <pre>{@code
 * Engine.threads(2);        // libtorch's intra-op pool; BLAS stays single-threaded inside it
 * }</pre>
 *
 * <p>NOTE [thread pools]: the bundled OpenBLAS is a pthreads build while libtorch parallelises with
 * OpenMP. Left alone both pools busy-wait against each other and a 2-thread MLP step is 10-20x slower
 * (measured: 46-200 ms instead of 2.6-5 ms). Wick gives OpenBLAS one thread and lets libtorch's pool
 * own the cores: the one set-up that never collapsed in our measurements (MLP 784-512-256-10 step
 * 4.2-6.8 ms on 2 cores under load 8-17, where two BLAS threads took 3.3-133 ms; the main job's CNN
 * step 15-21 ms against 37-55 ms). On a machine the job has to itself, a dense-matmul model can be
 * faster with {@code -Dwick.blas.threads=2} and {@code OMP_WAIT_POLICY=PASSIVE} in the environment
 * (MLP step 2.5-2.8 ms against 4.1-5.3 ms).
 * {@code -Dwick.blas.threads=N} overrides it. See docs/engine.md for the measurements.
 *
 * <p>NOTE [per-op bookkeeping]: JavaCPP by default registers every native result with a
 * PhantomReference under a global lock (~1.5 us per op). Wick runs with
 * {@code -Dorg.bytedeco.javacpp.nopointergc=true} and owns native memory itself through
 * {@link Scope}s and, for long-lived tensors, a {@link java.lang.ref.Cleaner}.
 */
public final class Engine {
    private static volatile boolean initialised;
    private static int blasThreads = 1;

    private Engine() {}

    /** Loads libtorch once and applies Wick's defaults; called by every entry point. */
    public static void init() {
        if (initialised) return;
        synchronized (Engine.class) {
            if (initialised) return;
            if (System.getProperty("org.bytedeco.javacpp.nopointergc") == null)
                System.setProperty("org.bytedeco.javacpp.nopointergc", "true");
            Loader.load(torch.class);
            Loader.load(openblas.class);
            String t = System.getProperty("wick.threads", System.getenv("WICK_THREADS"));
            if (t != null && !t.isBlank()) torch.set_num_threads(parseThreads(t.trim()));
            blasThreads = blasThreadsFor(torch.get_num_threads());
            openblas.blas_set_num_threads(blasThreads);
            initialised = true;
        }
    }

    /** Whether OpenMP threads sleep between parallel regions ({@code OMP_WAIT_POLICY=PASSIVE}). */
    public static boolean passiveWait() {
        return "PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
    }

    private static int blasThreadsFor(int torchThreads) {
        Integer forced = Integer.getInteger("wick.blas.threads");
        if (forced != null) {
            if (forced < 1) throw new IllegalArgumentException("Invalid wick.blas.threads: " + forced + " (must be >= 1)");
            return forced;
        }
        return 1;
    }

    private static int parseThreads(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) { }
        throw new IllegalArgumentException("Invalid thread count: '" + s + "' (must be an integer >= 1)");
    }

    /** Sets the number of threads libtorch uses for one op (PyTorch's {@code torch.set_num_threads}). */
    public static void threads(int n) {
        if (n < 1) throw new IllegalArgumentException("Invalid thread count: " + n + " (must be >= 1)");
        init();
        torch.set_num_threads(n);
        blasThreads = blasThreadsFor(n);
        openblas.blas_set_num_threads(blasThreads);
    }

    /** libtorch's intra-op thread count. */
    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /** Threads of the BLAS pool (1 unless {@code -Dwick.blas.threads} says otherwise). */
    public static int blasThreads() {
        init();
        return openblas.blas_get_num_threads();
    }

    /** Sets the global seed of libtorch's default generator ({@code torch.manual_seed}). */
    public static void manualSeed(long seed) {
        init();
        torch.manual_seed(seed);
    }

    /** A one-line description: versions, threads, BLAS. */
    public static String describe() {
        init();
        return "libtorch 2.10.0 (org.bytedeco:pytorch 2.10.0-1.5.13), threads="
                + threads() + ", openblas threads=" + blasThreads() + ", java " + System.getProperty("java.version");
    }
}
