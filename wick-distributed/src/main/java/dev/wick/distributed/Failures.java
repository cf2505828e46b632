package dev.wick.distributed;

import java.time.Duration;

/** Turns native c10d/Gloo error messages into one clear sentence (package-private). */
final class Failures {
    private static final java.util.regex.Pattern SOURCE_LOCATION = java.util.regex.Pattern.compile("\\[/[^\\]\\s]*\\.(?:cc|cpp|c|h|hpp):\\d+\\] ");

    private Failures() {}

    /** The first meaningful line of a native message, without C++ frames and the {@code [/path/file.cc:123]} prefix. */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int cut = m.indexOf("\nException raised from");
        if (cut < 0) cut = m.indexOf("Exception raised from");
        if (cut >= 0) m = m.substring(0, cut);
        int frames = m.indexOf("\nframe #");
        if (frames >= 0) m = m.substring(0, frames);
        m = m.strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl).strip();
        // "[/home/.../gloo/transport/tcp/pair.cc:547] Connection closed by peer ..." -> "Connection closed by peer ..."
        return SOURCE_LOCATION.matcher(m).replaceAll("");
    }

    /** Whether {@code e} is Gloo/c10d reporting a lost peer or a timeout. */
    static boolean isCommunicationFailure(Throwable e) {
        String lower = firstLine(e).toLowerCase();
        return lower.contains("connection closed by peer") || lower.contains("connection reset") || lower.contains("broken pipe")
                || lower.contains("application timeout caused pair closure") || lower.contains("timed out waiting")
                || (lower.contains("gloo") && lower.contains("timeout"));
    }

    /** A sentence explaining a failed collective. */
    static String explainCollective(Throwable e, Duration timeout) {
        String line = firstLine(e);
        String lower = line.toLowerCase();
        if (lower.contains("connection closed by peer") || lower.contains("connection reset") || lower.contains("broken pipe"))
            return "a peer closed its connection (" + line + "): another rank has probably died; look for its error";
        if (lower.contains("application timeout caused pair closure"))
            return "an earlier collective timed out and closed the connections (" + line + "); this group can no longer be used";
        if (lower.contains("timed out") || lower.contains("timeout"))
            return "timed out after " + seconds(timeout) + " (the collective timeout) (" + line
                    + "): another rank is stuck, much slower, or issued a different collective";
        return line;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) return (ms / 1000) + " s";
        return String.format("%.1f s", ms / 1000.0);
    }
}
