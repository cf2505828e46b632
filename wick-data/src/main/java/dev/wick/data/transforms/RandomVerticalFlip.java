package dev.wick.data.transforms;

import dev.wick.data.SampleRandom;
import dev.wick.tensor.Tensor;

/**
 * Mirrors an image {@code [..., H, W]} top to bottom with probability {@code p}, as torchvision's
 * {@code RandomVerticalFlip}: one draw {@code r.nextDouble() < p} per call.
 *
 * <pre>{@code
 * new RandomVerticalFlip(0.5)
 * }</pre>
 */
public final class RandomVerticalFlip implements RandomTransform<Tensor, Tensor> {
    private final double p;

    public RandomVerticalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomVerticalFlip: invalid probability p=" + p + " (must be in [0, 1])");
        this.p = p;
    }

    @Override
    public Tensor apply(Tensor x, SampleRandom r) {
        Images.checkImage("RandomVerticalFlip", x);
        return r.nextDouble() < p ? x.flip(-2) : x;
    }

    @Override public String toString() { return "RandomVerticalFlip(p=" + p + ")"; }
}
