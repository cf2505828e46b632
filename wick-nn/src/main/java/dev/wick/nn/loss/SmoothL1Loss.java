package dev.wick.nn.loss;

import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Tensor;

/**
 * Smooth L1 loss: quadratic below {@code beta}, linear above ({@code nn.SmoothL1Loss}); the maths is
 * {@link Losses#smoothL1Loss(Tensor, Tensor, Options)}.
 *
 * <pre>{@code
 * var criterion = new SmoothL1Loss(SmoothL1Loss.Options.defaults().withBeta(0.5));
 * Tensor loss = criterion.forward(boxes, targetBoxes);
 * }</pre>
 */
public final class SmoothL1Loss extends Module {

    /**
     * @param reduction NONE, MEAN (PyTorch's default) or SUM
     * @param beta      where the loss turns from quadratic to linear; {@code >= 0}, and 0 gives L1
     */
    public record Options(Reduction reduction, double beta) {
        /** PyTorch's {@code beta} default. */
        public static final double DEFAULT_BETA = 1.0;

        public Options {
            Reduction.check("SmoothL1Loss", reduction);
            if (!(beta >= 0.0) || Double.isInfinite(beta))
                throw new IllegalArgumentException("Invalid beta for SmoothL1Loss: " + beta + " (must be finite and >= 0)");
        }

        /** MEAN, beta 1 (PyTorch's defaults). */
        public static Options defaults() { return new Options(Reduction.MEAN, DEFAULT_BETA); }

        public Options withReduction(Reduction reduction) { return new Options(reduction, beta); }
        public Options withBeta(double beta) { return new Options(reduction, beta); }
    }

    private final Options options;

    /** With PyTorch's defaults. */
    public SmoothL1Loss() { this(Options.defaults()); }

    public SmoothL1Loss(Options options) {
        this.options = Objects.requireNonNull(options, "SmoothL1Loss: options is null");
    }

    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, options);
    }

    public Options options() { return options; }
}
