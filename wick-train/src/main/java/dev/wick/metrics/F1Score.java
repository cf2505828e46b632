package dev.wick.metrics;

/**
 * Macro-averaged f1: per class, the harmonic mean of the class's precision and recall, 2 TP / (2 TP + FP + FN); then the plain mean over the classes.
 *
 * <pre>{@code
 * var m = new F1Score(10);
 * m.update(logits, labels);    // logits (B, 10), labels (B)
 * double v = m.compute();
 * }</pre>
 *
 * <p>Conventions (sklearn's {@code average='macro', zero_division=0}): a class with a 0/0 ratio
 * counts 0, and the mean runs over the classes present in the targets or the predictions seen so
 * far (a class absent from both is left out). NaN before any update. Logged as {@code <split>_f1}.
 */
public final class F1Score extends MacroScore {
    public F1Score(int numClasses) { super(numClasses, 2, "f1"); }
}
