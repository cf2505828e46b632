package dev.wick.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Engine;

/**
 * Wick's side of the side-by-side benchmark (shared/bench/SPEC.md): runs the named workloads and prints
 * their JSON lines on standard output, one per measurement, progress on standard error.
 *
 * <pre>{@code
 * java -cp ... dev.wick.bench.Bench fmnist-mlp step-overhead     // or: ./wick bench fmnist-mlp step-overhead
 * }</pre>
 *
 * <p>Workloads: {@code fmnist-mlp} (W1), {@code fmnist-cnn} (W2), {@code step-overhead} (W3),
 * {@code loader} (W4), {@code resnet18-synth} (W5), or {@code all}. Each runs with 2 intra-op threads
 * ({@code -Dwick.bench.threads=N} to change) and ends with a {@code peak_rss_mb} line: the process's
 * peak resident set so far, so run one workload per process to compare memory. Run the JVM as
 * {@code ./wick} does: {@code OMP_WAIT_POLICY=PASSIVE} and {@code -Dorg.bytedeco.javacpp.nopointergc=true}.
 * {@code bench/side-by-side.sh} runs these next to their PyTorch twins in {@code bench/pytorch/}.
 */
public final class Bench {
    private static final Map<String, Runnable> WORKLOADS = new LinkedHashMap<>();
    static {
        WORKLOADS.put(FmnistMlp.NAME, FmnistMlp::run);
        WORKLOADS.put(FmnistCnn.NAME, FmnistCnn::run);
        WORKLOADS.put(StepOverhead.NAME, StepOverhead::run);
        WORKLOADS.put(Loader.NAME, Loader::run);
        WORKLOADS.put(Resnet18Synth.NAME, Resnet18Synth::run);
    }

    private Bench() {}

    /** The seed of every workload: {@code -Dwick.bench.seed}, SPEC's 0 by default. */
    static long seed() { return Long.getLong("wick.bench.seed", 0L); }

    /** The workload names, in SPEC order. */
    public static List<String> names() { return List.copyOf(WORKLOADS.keySet()); }

    public static void main(String[] args) {
        List<String> todo = resolve(args);
        int threads = Integer.getInteger("wick.bench.threads", 2);
        Engine.threads(threads);
        System.err.println("[bench] " + Engine.describe() + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY")
                + ", nopointergc=" + System.getProperty("org.bytedeco.javacpp.nopointergc")
                + ", kernels " + Facts.cpuCapability());
        for (String w : todo) {
            WORKLOADS.get(w).run();
            Emit.line(w, "peak_rss_mb", Proc.peakRssMb(), "MB");
        }
    }

    /** The workloads named in {@code args} ({@code all} for every one); unknown names are an error naming them. */
    static List<String> resolve(String[] args) {
        if (args.length == 0)
            throw new IllegalArgumentException("No workload given; expected one or more of " + names() + " or 'all'");
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.equals("all")) out.addAll(WORKLOADS.keySet());
            else if (WORKLOADS.containsKey(a)) out.add(a);
            else throw new IllegalArgumentException("Unknown workload: '" + a + "' (expected one of " + names() + " or 'all')");
        }
        return out;
    }
}
