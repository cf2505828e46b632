package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Binary cross entropy of probabilities ({@code nn.BCELoss}); the maths is
 * {@link Losses#binaryCrossEntropy(Tensor, Tensor, Options)}. Prefer {@link BCEWithLogitsLoss} on
 * logits: it is numerically stable.
 *
 * <pre>{@code
 * var criterion = new BCELoss();
 * Tensor loss = criterion.forward(logits.sigmoid(), labels);   // labels: floats in [0, 1]
 * }</pre>
 *
 * The weight, when given, is a buffer named {@code weight}.
 */
public final class BCELoss extends Module {

    /**
     * @param weight    a weight broadcast to the input's shape (floating point), or null
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     */
    public record Options(Tensor weight, Reduction reduction) {
        public Options {
            Reduction.check("BCELoss", reduction);
            Natives.checkOptionalFloat("BCELoss", "weight", weight, false);
        }

        /** No weight, MEAN (PyTorch's defaults). */
        public static Options defaults() { return new Options(null, Reduction.MEAN); }

        public Options withWeight(Tensor weight) { return new Options(weight, reduction); }
        public Options withReduction(Reduction reduction) { return new Options(weight, reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public BCELoss() { this(Options.defaults()); }

    public BCELoss(Options options) {
        this.options = Objects.requireNonNull(options, "BCELoss: options is null");
        registerBuffer("weight", options.weight());
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, buffer("weight"), options.reduction());
    }

    public Options options() { return options; }
}
