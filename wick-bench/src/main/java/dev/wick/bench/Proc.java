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

    /** Minor page faults of this process so far (field 10 of {@code /proc/self/stat}), or -1 off Linux. */
    static long minorFaults() {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) return -1;
        try {
            String s = Files.readString(stat);
            return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[7]);   // fields after "(comm)"
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
