package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Cross entropy between logits and class indices or class probabilities ({@code nn.CrossEntropyLoss});
 * the maths is {@link Losses#crossEntropy(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new CrossEntropyLoss(CrossEntropyLoss.Options.defaults().withLabelSmoothing(0.1));
 * Tensor loss = criterion.forward(model.forward(x), y);   // (B, 10) logits, (B) int64 labels
 * }</pre>
 *
 * The class weights, when given, are a buffer named {@code weight} (as in PyTorch's state dict).
 */
public final class CrossEntropyLoss extends Module {

    /**
     * @param weight         one weight per class (1-D, floating point), or null for equal weights
     * @param ignoreIndex    a class index whose samples are skipped (PyTorch's default -100 skips none)
     * @param reduction      NONE, MEAN (PyTorch's default) or SUM
     * @param labelSmoothing in [0, 1]: the share of probability mass spread evenly over all classes
     */
    public record Options(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        /** PyTorch's {@code ignore_index} default. */
        public static final long DEFAULT_IGNORE_INDEX = -100;

        public Options {
            Reduction.check("CrossEntropyLoss", reduction);
            if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0))
                throw new IllegalArgumentException("Invalid label smoothing: " + labelSmoothing + " (must be in [0, 1])");
            Natives.checkOptionalFloat("CrossEntropyLoss", "weight", weight, true);
        }

        /** No weights, ignore index -100, MEAN, no smoothing (PyTorch's defaults). */
        public static Options defaults() { return new Options(null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0); }

        public Options withWeight(Tensor weight) { return new Options(weight, ignoreIndex, reduction, labelSmoothing); }
        public Options withIgnoreIndex(long ignoreIndex) { return new Options(weight, ignoreIndex, reduction, labelSmoothing); }
        public Options withReduction(Reduction reduction) { return new Options(weight, ignoreIndex, reduction, labelSmoothing); }
        public Options withLabelSmoothing(double labelSmoothing) { return new Options(weight, ignoreIndex, reduction, labelSmoothing); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public CrossEntropyLoss() { this(Options.defaults()); }

    public CrossEntropyLoss(Options options) {
        this.options = Objects.requireNonNull(options, "CrossEntropyLoss: options is null");
        registerBuffer("weight", options.weight());
    }

    /** The loss of {@code input} (logits) against {@code target} (class indices or probabilities). */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, buffer("weight"), options.ignoreIndex(), options.reduction(), options.labelSmoothing());
    }

    public Options options() { return options; }
}
