package dev.wick.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.wick.checkpoint.Stateful;

/**
 * Keeps the {@code k} best training checkpoints by a monitored validation value, named with it
 * (Lightning's {@code ModelCheckpoint(monitor, mode, save_top_k)}); the rest are deleted.
 *
 * <pre>{@code
 * new BestCheckpoints("val_acc", Mode.MAX, 3)                    // runs/<run>/checkpoints/best-epoch=3-val_acc=0.8912.pt, ...
 * new BestCheckpoints("mAP", Mode.MAX, 1, Path.of("weights"))    // weights/best-epoch=7-mAP=0.7102.pt
 * }</pre>
 *
 * <p>After each validation, a value better than the worst kept one (or any value while fewer than
 * {@code k} are kept) gets a checkpoint, written at the next checkpoint point, so it holds the state
 * after the whole epoch (or step) and resumes from there. Once it is written, the checkpoint that fell
 * out of the best {@code k} is deleted. Ties keep the older file. NaN never qualifies. The name is
 * {@code best-epoch=<epoch>-<monitor>=<value with 4 decimals>.pt}, with {@code -step=<step>} after
 * the epoch when validation runs by steps, and {@code -v1}, {@code -v2} if the name is taken. The
 * kept list is saved in training checkpoints, so a resumed run keeps managing the same files; the
 * best value is the checkpoint's {@code best_metric}.
 */
public final class BestCheckpoints implements OnValidationEnd, Stateful {
    /** One kept checkpoint. */
    public record Kept(Path file, double value, long epoch, long step) {}

    private final String monitor;
    private final Mode mode;
    private final int k;
    private final Path dir;
    private final List<Kept> kept = new ArrayList<>();

    /** Keeps {@code k} checkpoints in the run folder's {@code checkpoints/}. */
    public BestCheckpoints(String monitor, Mode mode, int k) { this(monitor, mode, k, null); }

    /** Keeps {@code k} checkpoints in {@code dir} (null: the run folder's {@code checkpoints/}). */
    public BestCheckpoints(String monitor, Mode mode, int k, Path dir) {
        if (monitor == null || monitor.isBlank()) throw new IllegalArgumentException("Invalid monitor: '" + monitor + "' (must be non-blank)");
        if (k < 1) throw new IllegalArgumentException("Invalid k: " + k + " (must be >= 1)");
        this.monitor = monitor;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.k = k;
        this.dir = dir;
    }

    @Override
    public void onValidationEnd(TrainContext ctx, Map<String, Object> metrics) {
        double v = monitored(metrics, monitor, "BestCheckpoints");
        if (Double.isNaN(v)) return;
        if (kept.size() >= k && !mode.improves(v, kept.get(kept.size() - 1).value(), 0.0)) return;
        Path folder = dir != null ? dir : runCheckpoints(ctx);
        String base = "best-epoch=" + ctx.epoch() + (ctx.atEpochEnd() ? "" : "-step=" + ctx.globalStep())
                + "-" + monitor + "=" + String.format(Locale.ROOT, "%.4f", v);
        Path file = folder.resolve(base + ".pt");
        for (int n = 1; taken(file); n++) file = folder.resolve(base + "-v" + n + ".pt");
        kept.add(new Kept(file, v, ctx.epoch(), ctx.globalStep()));
        kept.sort(mode == Mode.MAX ? Comparator.comparingDouble(Kept::value).reversed() : Comparator.comparingDouble(Kept::value));
        // stable sort: among equal values the older entry stays first
        List<Kept> evicted = new ArrayList<>();
        while (kept.size() > k) evicted.add(kept.remove(kept.size() - 1));
        ctx.requestCheckpoint(file, () -> {
            for (Kept e : evicted) {
                try {
                    Files.deleteIfExists(e.file());
                } catch (IOException ex) {
                    throw new UncheckedIOException("Cannot delete checkpoint " + e.file() + ": " + ex.getMessage(), ex);
                }
            }
        });
    }

    private boolean taken(Path file) {
        for (Kept e : kept) if (e.file().equals(file)) return true;
        return Files.exists(file);
    }

    static Path runCheckpoints(TrainContext ctx) {
        if (ctx.runDir() == null)
            throw new IllegalStateException("Checkpoint callbacks need a folder: give the trainer a runDir, or the callback a folder");
        return ctx.runDir().checkpoints();
    }

    /** The monitored value of a validation, or an error naming the values it has. */
    static double monitored(Map<String, Object> metrics, String monitor, String who) {
        Object v = metrics.get(monitor);
        if (!(v instanceof Number n))
            throw new IllegalStateException(who + " monitors '" + monitor + "', which validation did not produce"
                    + (v == null ? "" : " as a number") + " (it produced " + metrics.keySet() + ")");
        return n.doubleValue();
    }

    public String monitor() { return monitor; }
    public Mode mode() { return mode; }
    public int k() { return k; }
    /** The kept checkpoints, best first. */
    public List<Kept> kept() { return List.copyOf(kept); }
    /** The best value kept, or NaN. */
    public double bestValue() { return kept.isEmpty() ? Double.NaN : kept.get(0).value(); }
    /** The best checkpoint's file, or null. */
    public Path bestFile() { return kept.isEmpty() ? null : kept.get(0).file(); }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("monitor", monitor);
        List<Object> list = new ArrayList<>();
        for (Kept e : kept) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("file", e.file().toString());
            one.put("value", e.value());
            one.put("epoch", e.epoch());
            one.put("step", e.step());
            list.add(one);
        }
        m.put("kept", list);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        if (!monitor.equals(sd.get("monitor")))
            throw new IllegalArgumentException("BestCheckpoints.loadStateDict: state is for monitor '" + sd.get("monitor") + "', this one monitors '" + monitor + "'");
        kept.clear();
        for (Object o : (List<?>) sd.get("kept")) {
            Map<?, ?> e = (Map<?, ?>) o;
            kept.add(new Kept(Path.of((String) e.get("file")), ((Number) e.get("value")).doubleValue(),
                    ((Number) e.get("epoch")).longValue(), ((Number) e.get("step")).longValue()));
        }
    }
}
