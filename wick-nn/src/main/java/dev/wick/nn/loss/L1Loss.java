package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Mean absolute error ({@code nn.L1Loss}); the maths is {@link Losses#l1Loss(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new L1Loss();
 * Tensor loss = criterion.forward(prediction, target);   // same shape and dtype
 * }</pre>
 */
public final class L1Loss extends Module {

    /** @param reduction NONE, MEAN (PyTorch's default) or SUM */
    public record Options(Reduction reduction) {
        public Options {
            Reduction.check("L1Loss", reduction);
        }

        /** MEAN (PyTorch's default). */
        public static Options defaults() { return new Options(Reduction.MEAN); }

        public Options withReduction(Reduction reduction) { return new Options(reduction); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public L1Loss() { this(Options.defaults()); }

    public L1Loss(Options options) {
        this.options = Objects.requireNonNull(options, "L1Loss: options is null");
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, options);
    }

    public Options options() { return options; }
}
