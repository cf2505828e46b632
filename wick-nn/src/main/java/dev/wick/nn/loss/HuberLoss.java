package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Huber loss: quadratic below {@code delta}, linear with slope {@code delta} above
 * ({@code nn.HuberLoss}); the maths is {@link Losses#huberLoss(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new HuberLoss(HuberLoss.Options.defaults().withDelta(0.5));
 * Tensor loss = criterion.forward(prediction, target);
 * }</pre>
 */
public final class HuberLoss extends Module {

    /**
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     * @param delta     where the loss turns from quadratic to linear; {@code > 0}
     */
    public record Options(Reduction reduction, double delta) {
        /** PyTorch's {@code delta} default. */
        public static final double DEFAULT_DELTA = 1.0;

        public Options {
            Reduction.check("HuberLoss", reduction);
            if (!(delta > 0.0) || Double.isInfinite(delta))
                throw new IllegalArgumentException("Invalid delta for HuberLoss: " + delta + " (must be finite and > 0)");
        }

        /** MEAN, delta 1 (PyTorch's defaults). */
        public static Options defaults() { return new Options(Reduction.MEAN, DEFAULT_DELTA); }

        public Options withReduction(Reduction reduction) { return new Options(reduction, delta); }
        public Options withDelta(double delta) { return new Options(reduction, delta); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public HuberLoss() { this(Options.defaults()); }

    public HuberLoss(Options options) {
        this.options = Objects.requireNonNull(options, "HuberLoss: options is null");
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, options);
    }

    public Options options() { return options; }
}
