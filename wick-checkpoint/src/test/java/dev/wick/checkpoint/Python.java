package dev.wick.checkpoint;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts under {@code src/test/resources/python} with Debian's {@code /usr/bin/python3}
 * (which has torch and torchvision). Tests that need it are skipped, with the reason, where it is
 * missing; CI installs it, so there they run.
 */
final class Python {
    static final Path EXE = Path.of(System.getProperty("wick.python", "/usr/bin/python3"));
    private static Boolean available;
    private static String unavailableReason;
    private static Path fixtures;

    private Python() { }

    /**
     * Skips the calling test unless Python with torch and torchvision is installed. The probe is the
     * fixture run itself (one Python start instead of two).
     */
    static synchronized void assume() {
        if (available == null) {
            if (!Files.isExecutable(EXE)) {
                available = false;
                unavailableReason = EXE + " not found";
            } else {
                try {
                    Path dir = tempDir("wick-fixtures");
                    script("make_fixtures.py", dir.toString());
                    fixtures = dir;
                    available = true;
                } catch (IOException | AssertionError e) {
                    if (e.getMessage() == null || !e.getMessage().contains("ModuleNotFoundError")) throw new AssertionError(e.getMessage(), e);
                    available = false;
                    unavailableReason = "torch/torchvision not importable by " + EXE + ": " + e.getMessage();
                }
            }
        }
        Assumptions.assumeTrue(available, () -> "Python cross-checks skipped: " + unavailableReason
                + " (install python3-torch and python3-torchvision)");
    }

    /** The folder of fixtures written by make_fixtures.py (made once per test JVM). */
    static synchronized Path fixtures() {
        assume();
        return fixtures;
    }

    /** A temporary folder deleted when the test JVM exits. */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }));
        return dir;
    }

    /** Runs one of the test scripts; returns its standard output. */
    static String script(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(scripts().resolve(name).toString());
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    static Path scripts() {
        try {
            return Path.of(Python.class.getResource("/python/make_fixtures.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(EXE.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", scripts().toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("python timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new AssertionError("python failed (" + p.exitValue() + "): " + cmd + "\n" + text);
        return text;
    }

    /** The lines of a description file. */
    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.US_ASCII);
    }
}
