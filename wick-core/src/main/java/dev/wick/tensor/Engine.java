package dev.wick.tensor;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide engine set-up that Wick owns: native loading, JavaCPP's bookkeeping policy and the
 * thread pools.
 *
 * <pre>{@code
 * Engine.threads(2);        // libtorch's intra-op pool (and BLAS's, with the system's OpenMP OpenBLAS)
 * Engine.blas();            // which BLAS libtorch calls
 * }</pre>
 *
 * <p>NOTE [thread pools]: libtorch parallelises with OpenMP and calls OpenBLAS for matrix products.
 * The OpenBLAS bundled with the JavaCPP presets is a pthreads build: a second pool that busy-waits
 * against OpenMP's, so with more than one BLAS thread a 2-thread MLP step is 10-20x slower under load
 * (measured: 46-200 ms instead of 2.6-5 ms), and OpenMP's own threads had to sleep between parallel
 * regions ({@code OMP_WAIT_POLICY=PASSIVE}), which costs a wake-up per region (W3: 2,634 iters/s
 * passive against 7,229 spinning) and ~20 ms per ResNet-18 step. Wick therefore sets BLAS up as one
 * of two ways, chosen by {@code -Dwick.blas}:
 * <ul>
 *   <li>{@code system} — an OpenMP build of OpenBLAS installed on the machine (Debian's and Ubuntu's
 *       {@code libopenblas0-openmp}, the BLAS Debian's PyTorch uses), loaded before libtorch so that
 *       libtorch and OpenBLAS resolve to it and to the same {@code libgomp}: one OpenMP pool for
 *       both, BLAS on {@link #threads()} threads. W1 (MLP) 46,297 samples/s against 27,126 with the
 *       bundled build on one thread (medians of one side-by-side sitting, docs/benchmarks.md).</li>
 *   <li>{@code bundled} — the presets' pthreads OpenBLAS on one thread ({@code -Dwick.blas.threads=N}
 *       to change that), so it never competes with OpenMP.</li>
 *   <li>{@code auto} (the default) — {@code system} when such a library is found
 *       ({@value #SYSTEM_OPENMP_BLAS}, or the path given by {@code -Dwick.blas=/path/libopenblas.so.0}),
 *       else {@code bundled}.</li>
 * </ul>
 * Either way there is one spinning pool, so {@code ./wick} leaves {@code OMP_WAIT_POLICY} at libgomp's
 * default (spin ~3 ms, then sleep), as PyTorch does; {@code wick launch} still sets {@code PASSIVE}
 * because several processes share the cores there. {@link #describe()} says which BLAS was loaded.
 *
 * <p>NOTE [per-op bookkeeping]: JavaCPP by default registers every native result with a
 * PhantomReference under a global lock (~1.5 us per op). Wick runs with
 * {@code -Dorg.bytedeco.javacpp.nopointergc=true} and owns native memory itself through
 * {@link Scope}s and, for long-lived tensors, a {@link java.lang.ref.Cleaner}.
 */
public final class Engine {
    /** Where Debian and Ubuntu put the OpenMP build of OpenBLAS ({@code libopenblas0-openmp}). */
    public static final String SYSTEM_OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0";

    private static volatile boolean initialised;
    private static int blasThreads = 1;
    private static String blasLibrary;            // the system OpenMP OpenBLAS loaded, or null: the bundled one

    private Engine() {}

    /** Loads libtorch once and applies Wick's defaults; called by every entry point. */
    public static void init() {
        if (initialised) return;
        synchronized (Engine.class) {
            if (initialised) return;
            if (System.getProperty("org.bytedeco.javacpp.nopointergc") == null)
                System.setProperty("org.bytedeco.javacpp.nopointergc", "true");
            blasLibrary = loadSystemBlas(System.getProperty("wick.blas", "auto").trim());
            Loader.load(torch.class);
            Loader.load(openblas.class);
            String t = System.getProperty("wick.threads", System.getenv("WICK_THREADS"));
            if (t != null && !t.isBlank()) torch.set_num_threads(parseThreads(t.trim()));
            setBlasThreads(torch.get_num_threads());
            initialised = true;
        }
    }

    /**
     * Loads an OpenMP OpenBLAS before libtorch when {@code choice} asks for one and it is there, so the
     * dynamic linker binds libtorch's {@code libopenblas.so.0} and {@code libgomp.so.1} to it and to the
     * libgomp it brings. Returns its path, or null for the bundled OpenBLAS.
     */
    static String loadSystemBlas(String choice) {
        if (choice.equals("bundled")) return null;
        boolean auto = choice.equals("auto") || choice.isEmpty();
        String path = auto || choice.equals("system") ? SYSTEM_OPENMP_BLAS : choice;
        if (!new java.io.File(path).isFile()) {
            if (auto) return null;
            throw new IllegalArgumentException("Invalid wick.blas: '" + choice + "' (must be auto, bundled, system or the path of an"
                    + " OpenMP build of libopenblas.so.0; " + path + " does not exist)");
        }
        try {
            System.load(path);
            return path;
        } catch (UnsatisfiedLinkError e) {
            if (auto) {
                System.err.println("wick: could not load " + path + " (" + e.getMessage() + "); using the bundled OpenBLAS on one thread");
                return null;
            }
            throw new IllegalArgumentException("Invalid wick.blas: '" + choice + "': " + e.getMessage(), e);
        }
    }

    /**
     * With the system's OpenMP OpenBLAS, BLAS runs in libtorch's OpenMP pool: its thread count is
     * {@code omp_set_num_threads}, which libtorch sets, so Wick does not touch it (setting it apart
     * would change libtorch's too). With the bundled pthreads build it gets its own count.
     */
    private static void setBlasThreads(int torchThreads) {
        if (blasLibrary != null) {
            blasThreads = torchThreads;
            return;
        }
        blasThreads = blasThreadsFor(torchThreads);
        openblas.blas_set_num_threads(blasThreads);
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
        setBlasThreads(n);
    }

    /** libtorch's intra-op thread count. */
    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /**
     * Threads BLAS uses: libtorch's with the system's OpenMP OpenBLAS, else 1 unless
     * {@code -Dwick.blas.threads} says otherwise.
     */
    public static int blasThreads() {
        init();
        // the presets' blas_get_num_threads only sees the bundled build (it answers -1 for the system one)
        return blasLibrary != null ? torch.get_num_threads() : openblas.blas_get_num_threads();
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
                + threads() + ", openblas threads=" + blasThreads() + " (" + blas() + "), java " + System.getProperty("java.version");
    }

    /**
     * Which BLAS libtorch uses: {@code "system OpenMP OpenBLAS <path>"} (sharing libtorch's OpenMP
     * pool) or {@code "bundled pthreads OpenBLAS"}; see the thread-pool note above.
     */
    public static String blas() {
        init();
        return blasLibrary != null ? "system OpenMP OpenBLAS " + blasLibrary : "bundled pthreads OpenBLAS";
    }
}
