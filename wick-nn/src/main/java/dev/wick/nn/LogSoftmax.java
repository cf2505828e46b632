package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * {@code log(softmax(x))} along {@code dim}, computed stably, as {@code nn.LogSoftmax}.
 *
 * <pre>{@code
 * Tensor p = new LogSoftmax(1).forward(logits);   // (B, classes), over the classes
 * }</pre>
 */
public class LogSoftmax extends UnaryModule {
    private final long dim;

    public LogSoftmax(long dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) { return F.logSoftmax(x, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
