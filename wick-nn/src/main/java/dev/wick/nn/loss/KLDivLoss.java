package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Kullback-Leibler divergence ({@code nn.KLDivLoss}); the maths is
 * {@link Losses#klDiv(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new KLDivLoss(KLDivLoss.Options.defaults().withReduction(Reduction.BATCHMEAN));
 * Tensor loss = criterion.forward(student.logSoftmax(1), teacher.softmax(1));
 * }</pre>
 */
public final class KLDivLoss extends Module {

    /**
     * @param reduction NONE, MEAN (PyTorch's default: divides by every element), SUM or BATCHMEAN
     *                  (divides by the batch size: the mathematical KL divergence)
     * @param logTarget whether the target holds log-probabilities
     */
    public record Options(Reduction reduction, boolean logTarget) {
        public Options {
            if (reduction == null) throw new IllegalArgumentException("Invalid reduction for KLDivLoss: null (expected NONE, MEAN, SUM or BATCHMEAN)");
        }

        /** MEAN, target as probabilities (PyTorch's defaults). */
        public static Options defaults() { return new Options(Reduction.MEAN, false); }

        public Options withReduction(Reduction reduction) { return new Options(reduction, logTarget); }
        public Options withLogTarget(boolean logTarget) { return new Options(reduction, logTarget); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public KLDivLoss() { this(Options.defaults()); }

    public KLDivLoss(Options options) {
        this.options = Objects.requireNonNull(options, "KLDivLoss: options is null");
    }

    /** {@code input}: log-probabilities; {@code target}: probabilities (or log-probabilities). */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, options);
    }

    public Options options() { return options; }
}
