package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Flattens dims {@code startDim..endDim} into one, as {@code nn.Flatten} (by default all but the batch dim).
 *
 * <pre>{@code
 * new Flatten().forward(x);   // (B, 20, 4, 4) -> (B, 320)
 * }</pre>
 */
public class Flatten extends UnaryModule {
    private final long startDim;
    private final long endDim;

    public Flatten() { this(1, -1); }

    public Flatten(long startDim, long endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
