package dev.wick.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.wick.checkpoint.AtomicFiles;
import dev.wick.internal.Json;

/**
 * The run's metric records, kept in memory and written as JSON lines and as CSV.
 *
 * <pre>{@code
 * var log = new MetricsLog(run.metricsJsonl(), run.metricsCsv(), 0);
 * log.append(Map.of("kind", "step", "epoch", 0, "step", 50, "train_loss", 0.71, "lr", 0.1));
 * }</pre>
 *
 * <p>Every record has {@code kind} ({@code step}, {@code val}, {@code epoch} or {@code test}),
 * {@code epoch} (from 0) and {@code step} (optimizer steps so far), then its values:
 * <ul>
 *   <li>{@code step}: {@code train_loss} (the window's mean), {@code lr}, {@code samples_per_s}, {@code grad_norm} when clipping by norm;</li>
 *   <li>{@code val}: {@code val_loss} and {@code val_<metric>} (validation by steps);</li>
 *   <li>{@code epoch}: {@code train_loss} (the epoch's mean over samples), {@code train_<metric>},
 *       the epoch-end validation's {@code val_*}, {@code lr} after the epoch's scheduler step;</li>
 *   <li>{@code test}: {@code test_loss}, {@code test_<metric>};</li>
 * </ul>
 * plus whatever hooks logged ({@link TrainContext#log}). The JSONL file gets one line per record,
 * flushed at once (NaN is written as {@code NaN}, which Python's {@code json} reads). The CSV file has
 * one column per key seen so far, in order of appearance, and only scalar values (matrices go to the
 * JSONL only); it is appended to while the columns stay the same and rewritten when a new one appears.
 */
public final class MetricsLog implements AutoCloseable {
    private final Path jsonl;
    private final Path csv;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Set<String> columns = new LinkedHashSet<>();
    private BufferedWriter jsonOut;

    /** An in-memory log (null paths write nothing) starting empty. */
    public MetricsLog(Path jsonl, Path csv) { this(jsonl, csv, 0); }

    /**
     * A log over {@code jsonl} and {@code csv} (either may be null) that keeps the first {@code keep}
     * records of an existing {@code jsonl} (a resumed run: the records written after its checkpoint are
     * dropped) and rewrites both files from them.
     */
    public MetricsLog(Path jsonl, Path csv, long keep) {
        this.jsonl = jsonl;
        this.csv = csv;
        if (keep > 0 && jsonl != null && Files.exists(jsonl)) {
            List<Map<String, Object>> old = read(jsonl);
            records.addAll(old.subList(0, (int) Math.min(keep, old.size())));
        }
        for (Map<String, Object> r : records) columns.addAll(scalarKeys(r));
        try {
            if (jsonl != null) {
                Files.createDirectories(jsonl.toAbsolutePath().getParent());
                StringBuilder sb = new StringBuilder();
                for (Map<String, Object> r : records) sb.append(Json.write(r)).append('\n');
                AtomicFiles.write(jsonl, sb.toString().getBytes(StandardCharsets.UTF_8));
                jsonOut = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            if (csv != null) rewriteCsv();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the metrics log: " + e.getMessage(), e);
        }
    }

    /** Adds a record and writes it out. Arrays (a confusion matrix's {@code long[][]}) are kept as lists, as they read back. */
    public void append(Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>();
        record.forEach((k, v) -> copy.put(k, plain(v)));
        Map<String, Object> r = Collections.unmodifiableMap(copy);
        records.add(r);
        try {
            if (jsonOut != null) {
                jsonOut.write(Json.write(r));
                jsonOut.write('\n');
                jsonOut.flush();
            }
            if (csv != null) {
                if (columns.containsAll(scalarKeys(r))) {
                    Files.writeString(csv, csvRow(r), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                } else {
                    columns.addAll(scalarKeys(r));
                    rewriteCsv();
                }
            } else {
                columns.addAll(scalarKeys(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the metrics log: " + e.getMessage(), e);
        }
    }

    /** Arrays as lists, recursively, so a record in memory equals the one read back from the file. */
    private static Object plain(Object v) {
        if (v == null || !v.getClass().isArray()) return v;
        int n = java.lang.reflect.Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(plain(java.lang.reflect.Array.get(v, i)));
        return Collections.unmodifiableList(out);
    }

    /** The records so far, read-only. */
    public List<Map<String, Object>> records() { return Collections.unmodifiableList(records); }

    public int size() { return records.size(); }

    /** The CSV columns so far, in order of appearance. */
    public List<String> columns() { return List.copyOf(columns); }

    /** Reads a {@code metrics.jsonl} file. */
    public static List<Map<String, Object>> read(Path jsonl) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(Json.parseObject(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jsonl + ": " + e.getMessage(), e);
        }
    }

    private void rewriteCsv() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns.stream().map(MetricsLog::csvField).toList())).append('\n');
        for (Map<String, Object> r : records) sb.append(csvRow(r));
        AtomicFiles.write(csv, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String csvRow(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String c : columns) {
            if (!first) sb.append(',');
            first = false;
            Object v = r.get(c);
            if (v != null) sb.append(csvField(v instanceof Double d ? csvNumber(d) : String.valueOf(v)));
        }
        return sb.append('\n').toString();
    }

    private static String csvNumber(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Double.toString(d);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<String> scalarKeys(Map<String, Object> r) {
        List<String> out = new ArrayList<>();
        r.forEach((k, v) -> { if (v instanceof Number || v instanceof String || v instanceof Boolean) out.add(k); });
        return out;
    }

    @Override
    public void close() {
        try {
            if (jsonOut != null) jsonOut.close();
        } catch (IOException ignored) {
            // flushed after every line already
        }
        jsonOut = null;
    }
}
