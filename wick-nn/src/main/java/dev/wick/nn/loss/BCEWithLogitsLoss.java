package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Binary cross entropy of logits, computed stably in one kernel ({@code nn.BCEWithLogitsLoss}); the
 * maths is {@link Losses#binaryCrossEntropyWithLogits(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * // 3 labels, positives of label 0 are rare: weigh them 4x
 * var criterion = new BCEWithLogitsLoss(BCEWithLogitsLoss.Options.defaults()
 *         .withPosWeight(Tensor.of(new float[]{4f, 1f, 1f})));
 * Tensor loss = criterion.forward(logits, labels);   // (B, 3), (B, 3) floats in [0, 1]
 * }</pre>
 *
 * The weights, when given, are buffers named {@code weight} and {@code pos_weight}.
 */
public final class BCEWithLogitsLoss extends Module {

    /**
     * @param weight    a weight broadcast to the input's shape (floating point), or null
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     * @param posWeight a weight of the positive term, broadcast along the last (class) dimension, or null
     */
    public record Options(Tensor weight, Reduction reduction, Tensor posWeight) {
        public Options {
            Reduction.check("BCEWithLogitsLoss", reduction);
            Natives.checkOptionalFloat("BCEWithLogitsLoss", "weight", weight, false);
            Natives.checkOptionalFloat("BCEWithLogitsLoss", "pos_weight", posWeight, false);
        }

        /** No weights, MEAN (PyTorch's defaults). */
        public static Options defaults() { return new Options(null, Reduction.MEAN, null); }

        public Options withWeight(Tensor weight) { return new Options(weight, reduction, posWeight); }
        public Options withReduction(Reduction reduction) { return new Options(weight, reduction, posWeight); }
        public Options withPosWeight(Tensor posWeight) { return new Options(weight, reduction, posWeight); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public BCEWithLogitsLoss() { this(Options.defaults()); }

    public BCEWithLogitsLoss(Options options) {
        this.options = Objects.requireNonNull(options, "BCEWithLogitsLoss: options is null");
        registerBuffer("weight", options.weight());
        registerBuffer("pos_weight", options.posWeight());
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, buffer("weight"), options.reduction(), buffer("pos_weight"));
    }

    public Options options() { return options; }
}
