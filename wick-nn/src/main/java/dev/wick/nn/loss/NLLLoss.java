package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Negative log-likelihood of class indices given log-probabilities ({@code nn.NLLLoss}); the maths is
 * {@link Losses#nllLoss(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new NLLLoss();
 * Tensor loss = criterion.forward(logits.logSoftmax(1), y);   // (B, C), (B) int64
 * }</pre>
 *
 * The class weights, when given, are a buffer named {@code weight}.
 */
public final class NLLLoss extends Module {

    /**
     * @param weight      one weight per class (1-D, floating point), or null for equal weights
     * @param ignoreIndex a class index whose samples are skipped (PyTorch's default -100 skips none)
     * @param reduction   NONE, MEAN (PyTorch's default) or SUM
     */
    public record Options(Tensor weight, long ignoreIndex, Reduction reduction) {
        public Options {
            Reduction.check("NLLLoss", reduction);
            Natives.checkOptionalFloat("NLLLoss", "weight", weight, true);
        }

        /** No weights, ignore index -100, MEAN (PyTorch's defaults). */
        public static Options defaults() { return new Options(null, CrossEntropyLoss.Options.DEFAULT_IGNORE_INDEX, Reduction.MEAN); }

        public Options withWeight(Tensor weight) { return new Options(weight, ignoreIndex, reduction); }
        public Options withIgnoreIndex(long ignoreIndex) { return new Options(weight, ignoreIndex, reduction); }
        public Options withReduction(Reduction reduction) { return new Options(weight, ignoreIndex, reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public NLLLoss() { this(Options.defaults()); }

    public NLLLoss(Options options) {
        this.options = Objects.requireNonNull(options, "NLLLoss: options is null");
        registerBuffer("weight", options.weight());
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, buffer("weight"), options.ignoreIndex(), options.reduction());
    }

    public Options options() { return options; }
}
