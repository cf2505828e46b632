/**
 * Metrics accumulated over batches: {@link dev.wick.metrics.Metric} and the built-in ones.
 *
 * <pre>{@code
 * List<Metric<?>> metrics = List.of(new Accuracy(), new TopKAccuracy(5), new F1Score(10), new ConfusionMatrix(10));
 * for (Metric<?> m : metrics) m.update(logits, labels);
 * metrics.get(0).compute();
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.wick.metrics.Mean}: a weighted mean of a value (the loss);</li>
 *   <li>{@link dev.wick.metrics.Accuracy}, {@link dev.wick.metrics.TopKAccuracy};</li>
 *   <li>{@link dev.wick.metrics.Precision}, {@link dev.wick.metrics.Recall}, {@link dev.wick.metrics.F1Score}
 *       (macro averages, sklearn's conventions), {@link dev.wick.metrics.ConfusionMatrix};</li>
 *   <li>{@link dev.wick.metrics.MeanAbsoluteError}, {@link dev.wick.metrics.MeanSquaredError}.</li>
 * </ul>
 * Every metric is {@link dev.wick.checkpoint.Stateful}: its accumulators go into training
 * checkpoints, so a run resumed mid-epoch reports the same epoch values.
 */
package dev.wick.metrics;
