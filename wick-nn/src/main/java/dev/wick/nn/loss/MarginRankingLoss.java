package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Margin ranking loss: asks {@code input1} to rank above {@code input2} by {@code margin} where the target is 1, below where it is -1 ({@code nn.MarginRankingLoss}); the maths is {@link Losses#marginRankingLoss(Tensor, Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new MarginRankingLoss(MarginRankingLoss.Options.defaults().withMargin(0.5));
 * Tensor loss = criterion.forward(scoreA, scoreB, aFirst);   // (B), (B), (B) of 1 / -1
 * }</pre>
 */
public final class MarginRankingLoss extends Module {

    /**
     * @param margin    how far apart the two inputs must be
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     */
    public record Options(double margin, Reduction reduction) {
        public Options {
            if (!Double.isFinite(margin)) throw new IllegalArgumentException("Invalid margin for MarginRankingLoss: " + margin + " (must be finite)");
            Reduction.check("MarginRankingLoss", reduction);
        }

        /** Margin 0, MEAN (PyTorch's defaults). */
        public static Options defaults() { return new Options(0.0, Reduction.MEAN); }

        public Options withMargin(double margin) { return new Options(margin, reduction); }
        public Options withReduction(Reduction reduction) { return new Options(margin, reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public MarginRankingLoss() { this(Options.defaults()); }

    public MarginRankingLoss(Options options) {
        this.options = Objects.requireNonNull(options, "MarginRankingLoss: options is null");
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
        return Losses.marginRankingLoss(input1, input2, target, options);
    }

    public Options options() { return options; }
}
