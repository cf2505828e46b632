package dev.wick.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import dev.wick.checkpoint.AtomicFiles;

/**
 * PNG plots of a run's records (see {@link MetricsLog}), drawn with JFreeChart, headless.
 *
 * <pre>{@code
 * Plots.write(MetricsLog.read(run.metricsJsonl()), run.plots());   // plots/loss.png, metrics.png, lr.png
 * }</pre>
 *
 * <ul>
 *   <li>{@code loss.png}: {@code train_loss} of the step records (per step), and {@code train_loss}
 *       of the epoch records and {@code val_loss}, all against the optimizer step;</li>
 *   <li>{@code metrics.png}: every other numeric {@code train_*}, {@code val_*} and {@code test_*} value
 *       (accuracy, F1, ...) and the values hooks logged, against the step;</li>
 *   <li>{@code lr.png}: {@code lr} (and {@code lr_group<i>}) against the step.</li>
 * </ul>
 * A plot with nothing to draw is not written. Files are replaced atomically. Sets
 * {@code java.awt.headless=true} when unset, so it works without a display.
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final Set<String> NOT_METRICS = Set.of("epoch", "step", "lr", "samples_per_s", "grad_norm", "train_loss", "val_loss", "test_loss");

    private Plots() {}

    /** Writes the three plots of {@code records} into {@code dir} (created if absent). */
    public static void write(List<Map<String, Object>> records, Path dir) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Map<String, XYSeries> loss = new LinkedHashMap<>();
        Map<String, XYSeries> metrics = new LinkedHashMap<>();
        Map<String, XYSeries> lr = new LinkedHashMap<>();
        boolean hasStepLr = records.stream().anyMatch(r -> "step".equals(r.get("kind")) && r.get("lr") instanceof Number);
        for (Map<String, Object> r : records) {
            if (!(r.get("step") instanceof Number stepNum)) continue;
            double x = stepNum.doubleValue();
            String kind = String.valueOf(r.get("kind"));
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) continue;
                String k = e.getKey();
                double y = n.doubleValue();
                if (k.equals("train_loss")) add(loss, kind.equals("step") ? "train_loss (step)" : "train_loss (epoch)", x, y);
                else if (k.equals("val_loss") || k.equals("test_loss")) add(loss, k, x, y);
                else if (k.equals("lr") || k.startsWith("lr_group")) {
                    if (!hasStepLr || kind.equals("step")) add(lr, k, x, y);
                } else if (!NOT_METRICS.contains(k) && !k.startsWith("momentum")) add(metrics, k + ("step".equals(kind) ? " (step)" : ""), x, y);
            }
        }
        plot(loss, "Loss", "loss", dir.resolve("loss.png"));
        plot(metrics, "Metrics", "value", dir.resolve("metrics.png"));
        plot(lr, "Learning rate", "lr", dir.resolve("lr.png"));
    }

    private static void add(Map<String, XYSeries> m, String name, double x, double y) {
        m.computeIfAbsent(name, n -> new XYSeries(n, true, true)).addOrUpdate(x, y);
    }

    private static void plot(Map<String, XYSeries> series, String title, String yLabel, Path file) {
        if (series.isEmpty()) return;
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
            renderer.setSeriesShapesVisible(i, data.getItemCount(i) < 40);   // few points (epochs): show them
        }
        plot.setRenderer(renderer);
        try {
            AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }
}
