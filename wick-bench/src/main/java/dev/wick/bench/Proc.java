package dev.wick.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process from {@code /proc/self}. */
final class Proc {
    private Proc() {}

    /** Peak resident set size ({@code VmHWM} of {@code /proc/self/status}) in MiB, or NaN off Linux. */
    static double peakRssMb() { return statusKb("VmHWM") / 1024.0; }

    /** Current resident set size ({@code VmRSS}) in MiB, or NaN off Linux. */
    static double rssMb() { return statusKb("VmRSS") / 1024.0; }

    private static double statusKb(String key) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return Double.NaN;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(key + ":")) return Double.parseDouble(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Double.NaN;
    }
}
