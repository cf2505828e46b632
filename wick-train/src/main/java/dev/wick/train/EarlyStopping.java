package dev.wick.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.wick.checkpoint.Stateful;

/**
 * Stops the run when a monitored validation value has not improved for {@code patience}
 * validations in a row (Keras' and Lightning's {@code EarlyStopping}).
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", Mode.MIN, 3, 0.0)     // stop after 3 validations without a new minimum
 * new EarlyStopping("val_acc", Mode.MAX, 5, 0.001)    // an improvement must exceed 0.001
 * }</pre>
 *
 * <p>After each validation: if the value beats the best by more than {@code minDelta} ({@link Mode#improves}),
 * it becomes the best and the wait count goes back to 0; otherwise the wait count goes up, and the
 * run stops when it reaches {@code patience}. A NaN or infinite value stops the run at once. A
 * value the validation did not produce is an error naming the ones it did. The stop takes effect at
 * the next checkpoint point, so checkpoints asked for by the same validation are still written.
 * Its best value and wait count are saved in training checkpoints.
 */
public final class EarlyStopping implements OnValidationEnd, Stateful {
    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private long wait;
    private long stoppedAtEpoch = -1;

    public EarlyStopping(String monitor, Mode mode, int patience, double minDelta) {
        if (monitor == null || monitor.isBlank()) throw new IllegalArgumentException("Invalid monitor: '" + monitor + "' (must be non-blank)");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (patience < 1) throw new IllegalArgumentException("Invalid patience: " + patience + " (must be >= 1)");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("Invalid minDelta: " + minDelta + " (must be >= 0)");
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void onValidationEnd(TrainContext ctx, Map<String, Object> metrics) {
        double v = BestCheckpoints.monitored(metrics, monitor, "EarlyStopping");
        if (!Double.isFinite(v)) {
            stoppedAtEpoch = ctx.epoch();
            ctx.requestStop("early_stopping: " + monitor + " is " + NonFiniteLossException.python(v));
            return;
        }
        if (mode.improves(v, best, minDelta)) {
            best = v;
            wait = 0;
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedAtEpoch = ctx.epoch();
            ctx.requestStop(String.format(Locale.ROOT, "early_stopping: %s did not improve by more than %s for %d validations (best %.6g)",
                    monitor, minDelta, wait, best));
        }
    }

    public String monitor() { return monitor; }
    /** The best value so far (NaN before the first validation). */
    public double bestValue() { return best; }
    /** Validations since the last improvement. */
    public long waitCount() { return wait; }
    /** The epoch at which it stopped the run, or -1. */
    public long stoppedAtEpoch() { return stoppedAtEpoch; }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("monitor", monitor);
        m.put("best", best);
        m.put("wait", wait);
        m.put("stopped_epoch", stoppedAtEpoch);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        if (!monitor.equals(sd.get("monitor")))
            throw new IllegalArgumentException("EarlyStopping.loadStateDict: state is for monitor '" + sd.get("monitor") + "', this one monitors '" + monitor + "'");
        best = ((Number) sd.get("best")).doubleValue();
        wait = ((Number) sd.get("wait")).longValue();
        stoppedAtEpoch = ((Number) sd.get("stopped_epoch")).longValue();
    }
}
