package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Cosine embedding loss: pulls pairs marked 1 together and pushes pairs marked -1 apart in angle ({@code nn.CosineEmbeddingLoss}); the maths is {@link Losses#cosineEmbeddingLoss(Tensor, Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new CosineEmbeddingLoss(CosineEmbeddingLoss.Options.defaults().withMargin(0.2));
 * Tensor loss = criterion.forward(a, b, same);   // (B, D), (B, D), (B) of 1 / -1
 * }</pre>
 */
public final class CosineEmbeddingLoss extends Module {

    /**
     * @param margin    the margin of the -1 pairs' cosine (PyTorch suggests 0 to 0.5)
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     */
    public record Options(double margin, Reduction reduction) {
        public Options {
            if (!Double.isFinite(margin)) throw new IllegalArgumentException("Invalid margin for CosineEmbeddingLoss: " + margin + " (must be finite)");
            Reduction.check("CosineEmbeddingLoss", reduction);
        }

        /** Margin 0, MEAN (PyTorch's defaults). */
        public static Options defaults() { return new Options(0.0, Reduction.MEAN); }

        public Options withMargin(double margin) { return new Options(margin, reduction); }
        public Options withReduction(Reduction reduction) { return new Options(margin, reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public CosineEmbeddingLoss() { this(Options.defaults()); }

    public CosineEmbeddingLoss(Options options) {
        this.options = Objects.requireNonNull(options, "CosineEmbeddingLoss: options is null");
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
        return Losses.cosineEmbeddingLoss(input1, input2, target, options);
    }

    public Options options() { return options; }
}
