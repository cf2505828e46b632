package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Splits dim {@code dim} into {@code sizes}, as {@code nn.Unflatten}; one size may be -1.
 *
 * <pre>{@code
 * new Unflatten(1, 2, 5).forward(x);   // (B, 10) -> (B, 2, 5)
 * }</pre>
 */
public class Unflatten extends UnaryModule {
    private final long dim;
    private final long[] sizes;

    public Unflatten(long dim, long... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("Invalid unflattened_size: () (give at least one size)");
        int inferred = 0;
        for (long s : sizes) {
            if (s == -1) inferred++;
            else if (s < 0) throw new IllegalArgumentException("Invalid unflattened_size: " + Layers.pyTuple(sizes) + " (sizes must be >= 0, or -1 once)");
        }
        if (inferred > 1) throw new IllegalArgumentException("Invalid unflattened_size: " + Layers.pyTuple(sizes) + " (only one size may be -1)");
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor x) { return x.unflatten(dim, sizes); }

    @Override
    protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + Layers.pyTuple(sizes); }
}
