package dev.wick.nn;

import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;

/**
 * Channel dropout, as {@code nn.Dropout2d}: in training mode each channel plane of an
 * (N, C, H, W) input is zeroed with probability {@code p}, the others scaled by {@code 1/(1-p)}.
 *
 * <pre>{@code
 * Dropout2d drop = new Dropout2d(0.1);
 * }</pre>
 */
public class Dropout2d extends Dropout {
    public Dropout2d() { this(0.5); }

    public Dropout2d(double p) { this(p, null); }

    public Dropout2d(double p, Generator generator) { super(p, generator); }

    @Override
    public Tensor forward(Tensor x) { return F.dropout2d(x, p, isTraining(), generator); }
}
