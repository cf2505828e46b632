package dev.wick.data.transforms;

import dev.wick.data.SampleRandom;
import dev.wick.tensor.Tensor;

/**
 * Mirrors an image {@code [..., H, W]} left to right with probability {@code p}, as torchvision's
 * {@code RandomHorizontalFlip}: one draw {@code r.nextDouble() < p} per call, whatever {@code p}.
 *
 * <pre>{@code
 * new RandomHorizontalFlip(0.5)
 * }</pre>
 */
public final class RandomHorizontalFlip implements RandomTransform<Tensor, Tensor> {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: invalid probability p=" + p + " (must be in [0, 1])");
        this.p = p;
    }

    /** p = 0.5. */
    public RandomHorizontalFlip() { this(0.5); }

    @Override
    public Tensor apply(Tensor x, SampleRandom r) {
        Images.checkImage("RandomHorizontalFlip", x);
        return r.nextDouble() < p ? x.flip(-1) : x;
    }

    @Override public String toString() { return "RandomHorizontalFlip(p=" + p + ")"; }
}
