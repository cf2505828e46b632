package dev.wick.metrics;

/**
 * Macro-averaged recall: per class, the fraction of the samples of the class predicted as it, TP / (TP + FN); then the plain mean over the classes.
 *
 * <pre>{@code
 * var m = new Recall(10);
 * m.update(logits, labels);    // logits (B, 10), labels (B)
 * double v = m.compute();
 * }</pre>
 *
 * <p>Conventions (sklearn's {@code average='macro', zero_division=0}): a class with a 0/0 ratio
 * counts 0, and the mean runs over the classes present in the targets or the predictions seen so
 * far (a class absent from both is left out). NaN before any update. Logged as {@code <split>_recall}.
 */
public final class Recall extends MacroScore {
    public Recall(int numClasses) { super(numClasses, 1, "recall"); }
}
