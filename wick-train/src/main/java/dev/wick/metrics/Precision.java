package dev.wick.metrics;

/**
 * Macro-averaged precision: per class, the fraction of the samples predicted as the class that belong to it, TP / (TP + FP); then the plain mean over the classes.
 *
 * <pre>{@code
 * var m = new Precision(10);
 * m.update(logits, labels);    // logits (B, 10), labels (B)
 * double v = m.compute();
 * }</pre>
 *
 * <p>Conventions (sklearn's {@code average='macro', zero_division=0}): a class with a 0/0 ratio
 * counts 0, and the mean runs over the classes present in the targets or the predictions seen so
 * far (a class absent from both is left out). NaN before any update. Logged as {@code <split>_precision}.
 */
public final class Precision extends MacroScore {
    public Precision(int numClasses) { super(numClasses, 0, "precision"); }
}
