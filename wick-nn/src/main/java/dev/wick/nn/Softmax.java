package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code exp(x_i) / sum_j exp(x_j)} along {@code dim}, as {@code nn.Softmax}.
 *
 * <pre>{@code
 * Tensor p = new Softmax(1).forward(logits);   // (B, classes), over the classes
 * }</pre>
 */
public class Softmax extends UnaryModule {
    private final long dim;

    public Softmax(long dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) { return F.softmax(x, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
