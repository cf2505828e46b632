package dev.wick.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.bytedeco.pytorch.global.torch;

import dev.wick.internal.Json;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Tensor;

/**
 * Prints, as one JSON object, what Wick's side of a benchmark runs on: libtorch's build, the thread
 * pools, the BLAS library actually mapped into the process and its configuration, the JVM.
 * {@code bench/side-by-side.sh} records it with the results.
 *
 * <pre>{@code
 * java -cp ... dev.wick.bench.Facts
 * }</pre>
 */
public final class Facts {
    private Facts() {}

    public static void main(String[] args) throws IOException {
        Engine.threads(Integer.getInteger("wick.bench.threads", 2));
        try (Tensor a = Tensor.ones(64, 64); Tensor b = a.matmul(a)) {   // make sure the BLAS is loaded and used
            b.sum().close();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", Engine.describe());
        m.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        m.put("nopointergc", String.valueOf(System.getProperty("org.bytedeco.javacpp.nopointergc")));
        m.put("blas_threads", Engine.blasThreads());
        m.put("blas_libraries_mapped", mappedBlas());
        String config = torch.show_config().getString();
        m.put("libtorch_blas_info", field(config, "BLAS_INFO="));
        m.put("libtorch_cpu_capability", line(config, "CPU capability usage:"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println(Json.write(m));
    }

    /** Paths of the BLAS/LAPACK libraries in {@code /proc/self/maps}. */
    static String mappedBlas() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) return "unknown (no /proc/self/maps)";
        TreeSet<String> libs = new TreeSet<>();
        for (String l : Files.readAllLines(maps)) {
            int slash = l.indexOf('/');
            if (slash < 0) continue;
            String path = l.substring(slash);
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.contains("blas") || name.contains("lapack")) libs.add(path);
        }
        return String.join(", ", libs);
    }

    private static String field(String text, String key) {
        int i = text.indexOf(key);
        if (i < 0) return "unknown";
        int end = text.indexOf(',', i);
        return text.substring(i + key.length(), end < 0 ? text.length() : end).trim();
    }

    /** The instruction set of libtorch's kernels in this process (ATEN_CPU_CAPABILITY caps it). */
    static String cpuCapability() { return line(torch.show_config().getString(), "CPU capability usage:"); }

    private static String line(String text, String key) {
        int i = text.indexOf(key);
        if (i < 0) return "unknown";
        int end = text.indexOf('\n', i);
        return text.substring(i + key.length(), end < 0 ? text.length() : end).trim();
    }
}
