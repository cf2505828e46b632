package dev.wick.nn;

import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;

/**
 * In training mode zeroes each element with probability {@code p} and scales the others by
 * {@code 1/(1-p)}; in evaluation mode passes the input through, as {@code nn.Dropout}.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.2);                      // masks from the default generator
 * Dropout seeded = new Dropout(0.2, new Generator(7));  // masks from its own generator
 * }</pre>
 */
public class Dropout extends UnaryModule {
    protected final double p;
    protected final Generator generator;

    public Dropout() { this(0.5); }

    public Dropout(double p) { this(p, null); }

    /** {@code generator} null: libtorch's default one (bit-identical masks to PyTorch after the same seed). */
    public Dropout(double p, Generator generator) {
        F.checkDropoutP(p);
        this.p = p;
        this.generator = generator;
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining(), generator); }

    @Override
    protected String extraRepr() { return "p=" + Layers.pyFloat(p) + ", inplace=False"; }
}
