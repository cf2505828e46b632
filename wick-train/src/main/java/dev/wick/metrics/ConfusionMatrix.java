package dev.wick.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Counts of (true class, predicted class) pairs: row {@code i}, column {@code j} counts samples of
 * class {@code i} predicted as {@code j} (sklearn's and torchmetrics' orientation).
 *
 * <pre>{@code
 * var cm = new ConfusionMatrix(3);
 * cm.update(logits, labels);          // logits (B, 3), labels (B)
 * long[][] m = cm.compute();          // m[true][predicted]
 * }</pre>
 *
 * Its value is a matrix, so the trainer writes it to {@code metrics.jsonl} only (as nested lists),
 * under {@code <split>_confusion_matrix}. {@link Precision}, {@link Recall} and {@link F1Score} are
 * computed from one. Class indices outside {@code [0, numClasses)} are an error naming the class.
 */
public final class ConfusionMatrix implements Metric<long[][]> {
    private final int numClasses;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 2) throw new IllegalArgumentException("Invalid numClasses: " + numClasses + " (must be >= 2)");
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    public int numClasses() { return numClasses; }

    @Override
    public void update(Tensor output, Tensor target) {
        long[][] pt = Classes.of(getClass().getSimpleName(), output, target);
        Classes.checkRange("ConfusionMatrix", pt[0], numClasses, "predicted");
        Classes.checkRange("ConfusionMatrix", pt[1], numClasses, "target");
        for (int i = 0; i < pt[0].length; i++) counts[(int) (pt[1][i] * numClasses + pt[0][i])]++;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    @Override
    public long[][] compute() {
        long[][] m = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) m[i] = Arrays.copyOfRange(counts, i * numClasses, (i + 1) * numClasses);
        return m;
    }

    /** The count of samples of class {@code trueClass} predicted as {@code predicted}. */
    public long count(int trueClass, int predicted) { return counts[trueClass * numClasses + predicted]; }

    @Override public void reset() { Arrays.fill(counts, 0); }
    @Override public String name() { return "confusion_matrix"; }
    /** Counts and sums: the states of shards of the data add up to the state of the whole. */
    @Override public boolean isAdditive() { return true; }

    /**
     * Per-class precision, recall and F1 with sklearn's conventions: a 0/0 ratio is 0, and the macro
     * average runs over the classes that occur in the targets or the predictions.
     *
     * @return {@code [precision, recall, f1]} macro averages (NaN before any update)
     */
    double[] macro() {
        long[] tp = new long[numClasses], predicted = new long[numClasses], actual = new long[numClasses];
        for (int t = 0; t < numClasses; t++)
            for (int p = 0; p < numClasses; p++) {
                long c = counts[t * numClasses + p];
                if (t == p) tp[t] += c;
                predicted[p] += c;
                actual[t] += c;
            }
        double sp = 0, sr = 0, sf = 0;
        int n = 0;
        for (int c = 0; c < numClasses; c++) {
            if (predicted[c] == 0 && actual[c] == 0) continue;           // class absent from both: not averaged
            double prec = predicted[c] == 0 ? 0 : (double) tp[c] / predicted[c];
            double rec = actual[c] == 0 ? 0 : (double) tp[c] / actual[c];
            double f1 = predicted[c] + actual[c] == 0 ? 0 : 2.0 * tp[c] / (predicted[c] + actual[c]);   // = 2PR / (P + R)
            sp += prec; sr += rec; sf += f1;
            n++;
        }
        if (n == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        return new double[] {sp / n, sr / n, sf / n};
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counts", Tensor.of(counts.clone(), numClasses, numClasses));
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        Classes.checkKeys(sd, "ConfusionMatrix", "counts");
        if (!(sd.get("counts") instanceof Tensor t) || t.dtype() != DType.INT64 || t.dim() != 2 || t.size(0) != numClasses || t.size(1) != numClasses)
            throw new IllegalArgumentException("ConfusionMatrix.loadStateDict: 'counts' must be an int64 tensor of shape [" + numClasses + ", " + numClasses + "], got "
                    + (sd.get("counts") instanceof Tensor t2 ? t2.dtype() + " " + Arrays.toString(t2.shape()) : String.valueOf(sd.get("counts"))));
        long[] c = t.contiguous().toLongArray();
        System.arraycopy(c, 0, counts, 0, counts.length);
    }
}
