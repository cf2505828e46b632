package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Mean squared error ({@code nn.MSELoss}); the maths is {@link Losses#mseLoss(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new MSELoss();
 * Tensor loss = criterion.forward(prediction, target);   // same shape and dtype
 * }</pre>
 */
public final class MSELoss extends Module {

    /** @param reduction NONE, MEAN (PyTorch's default) or SUM */
    public record Options(Reduction reduction) {
        public Options {
            Reduction.check("MSELoss", reduction);
        }

        /** MEAN (PyTorch's default). */
        public static Options defaults() { return new Options(Reduction.MEAN); }

        public Options withReduction(Reduction reduction) { return new Options(reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public MSELoss() { this(Options.defaults()); }

    public MSELoss(Options options) {
        this.options = Objects.requireNonNull(options, "MSELoss: options is null");
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, options);
    }

    public Options options() { return options; }
}
