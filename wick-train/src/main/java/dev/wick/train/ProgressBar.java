package dev.wick.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The terminal progress display: epoch, step, loss, learning rate, samples/s and ETA.
 *
 * <pre>
 * epoch 2/10 [##########..........]  23/47 step 70 loss 0.4123 lr 1.00e-02 5120 samples/s ETA 0:04 (run 0:41)
 * </pre>
 *
 * <pre>{@code
 * Trainer.builder(model, opt, train, loss).progress(new ProgressBar(System.err, false, 100));
 * }</pre>
 *
 * <p>On a terminal ({@code System.console() != null}) it redraws one line with {@code \r} (at most 10
 * times a second); otherwise (a pipe, a file, CI) it prints a plain line every {@code everySteps}
 * optimizer steps. Either way, each epoch ends with a summary line of the epoch's record
 * ({@code train_loss}, {@code val_*}, time). samples/s is measured over the steps since the last
 * display; the ETA counts the steps left in the epoch, and in the run when {@code maxSteps} or
 * {@code maxEpochs} bounds it.
 */
public final class ProgressBar implements OnTrainStart, OnEpochStart, OnStepEnd, OnEpochEnd, OnTrainEnd {
    private static final int WIDTH = 20;
    private final PrintStream out;
    private final boolean live;
    private final int everySteps;
    private long trainStart;
    private long epochStart;
    private long lastDraw;
    private long samplesSinceDraw;
    private long stepsSinceDraw;
    private double secondsSinceDraw;
    private double rate = Double.NaN;
    private boolean lineOpen;

    /** On standard output, live when there is a terminal, plain lines every 50 steps otherwise. */
    public ProgressBar() { this(System.out, System.console() != null, 50); }

    /**
     * @param out        where to print
     * @param live       redraw one line with {@code \r} (true) or print plain lines (false)
     * @param everySteps steps between plain lines
     */
    public ProgressBar(PrintStream out, boolean live, int everySteps) {
        this.out = Objects.requireNonNull(out, "out");
        if (everySteps < 1) throw new IllegalArgumentException("Invalid everySteps: " + everySteps + " (must be >= 1)");
        this.live = live;
        this.everySteps = everySteps;
    }

    @Override
    public void onTrainStart(TrainContext ctx) {
        trainStart = System.nanoTime();
        epochStart = trainStart;
    }

    @Override
    public void onEpochStart(TrainContext ctx) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onStepEnd(TrainContext ctx, StepResult step) {
        samplesSinceDraw += step.samples();
        secondsSinceDraw += step.seconds();
        stepsSinceDraw++;
        long now = System.nanoTime();
        boolean due = live ? now - lastDraw > 100_000_000L : ctx.globalStep() % everySteps == 0;
        if (!due) return;
        if (secondsSinceDraw > 0) rate = samplesSinceDraw / secondsSinceDraw;
        double stepsPerSecond = secondsSinceDraw > 0 ? stepsSinceDraw / secondsSinceDraw : Double.NaN;
        stepsSinceDraw = 0;
        samplesSinceDraw = 0;
        secondsSinceDraw = 0;
        lastDraw = now;
        String line = line(ctx, step, stepsPerSecond, now);
        if (live) {
            out.print("\r" + line + "\u001b[K");
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    private String line(TrainContext ctx, StepResult step, double stepsPerSecond, long now) {
        StringBuilder sb = new StringBuilder();
        sb.append("epoch ").append(ctx.epoch() + 1);
        if (ctx.maxEpochs() > 0) sb.append('/').append(ctx.maxEpochs());
        long perEpoch = ctx.batchesPerEpoch();
        if (perEpoch > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * ctx.batchIdx() / perEpoch);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
              .append(String.format(Locale.ROOT, "%" + String.valueOf(perEpoch).length() + "d/%d", ctx.batchIdx(), perEpoch));
        }
        sb.append(" step ").append(ctx.globalStep());
        if (ctx.maxSteps() > 0) sb.append('/').append(ctx.maxSteps());
        sb.append(String.format(Locale.ROOT, " loss %.4f lr %.2e", step.loss(), step.lr()));
        if (!Double.isNaN(rate)) sb.append(String.format(Locale.ROOT, " %.0f samples/s", rate));
        double eta = eta(ctx, stepsPerSecond);
        if (!Double.isNaN(eta)) sb.append(" ETA ").append(clock(eta));
        sb.append(" (run ").append(clock((now - trainStart) / 1e9)).append(')');
        return sb.toString();
    }

    /** Seconds left: to the run's end when it is bounded, else to the epoch's end. */
    private static double eta(TrainContext ctx, double stepsPerSecond) {
        if (!(stepsPerSecond > 0)) return Double.NaN;
        long perEpoch = ctx.batchesPerEpoch();
        double stepsPerEpoch = perEpoch > 0 ? Math.ceil((double) perEpoch / ctx.accumulate()) : Double.NaN;
        double leftInEpoch = perEpoch > 0 ? Math.ceil((double) (perEpoch - ctx.batchIdx()) / ctx.accumulate()) : Double.NaN;
        double left = Double.NaN;
        if (ctx.maxEpochs() > 0 && !Double.isNaN(stepsPerEpoch)) left = leftInEpoch + (ctx.maxEpochs() - ctx.epoch() - 1) * stepsPerEpoch;
        if (ctx.maxSteps() > 0) left = Double.isNaN(left) ? ctx.maxSteps() - ctx.globalStep() : Math.min(left, ctx.maxSteps() - ctx.globalStep());
        if (Double.isNaN(left)) left = leftInEpoch;
        return Math.max(0, left) / stepsPerSecond;
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void onEpochEnd(TrainContext ctx, Map<String, Object> record) {
        if (lineOpen) { out.println(); lineOpen = false; }
        StringBuilder sb = new StringBuilder("epoch ").append(ctx.epoch() + 1);
        if (ctx.maxEpochs() > 0) sb.append('/').append(ctx.maxEpochs());
        sb.append(" step ").append(ctx.globalStep()).append(':');
        record.forEach((k, v) -> {
            if (v instanceof Double d) sb.append(' ').append(k).append(' ').append(k.equals("lr") ? String.format(Locale.ROOT, "%.2e", d) : String.format(Locale.ROOT, "%.4f", d));
        });
        sb.append(" (").append(clock((System.nanoTime() - epochStart) / 1e9)).append(')');
        out.println(sb);
        out.flush();
    }

    @Override
    public void onTrainEnd(TrainContext ctx) {
        if (lineOpen) { out.println(); lineOpen = false; }
        out.flush();
    }
}
