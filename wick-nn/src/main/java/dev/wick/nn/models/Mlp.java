package dev.wick.nn.models;

import java.util.Arrays;

import dev.wick.nn.Flatten;
import dev.wick.nn.Linear;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;

/**
 * A multi-layer perceptron: Flatten, then Linear + ReLU per hidden size, then a Linear head.
 * Being a {@link Sequential} with PyTorch's layout, its state-dict keys are those of
 * {@code nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), ...)}: {@code 1.weight},
 * {@code 3.weight}, {@code 5.weight}, ...
 *
 * <pre>{@code
 * Mlp mlp = new Mlp();                                  // 784 -> 512 -> 256 -> 10 (benchmark W1)
 * Mlp small = new Mlp(10, new long[]{32}, 2);
 * Tensor logits = mlp.forward(images);                  // (B, 1, 28, 28) -> (B, 10)
 * }</pre>
 */
public class Mlp extends Sequential {
    /** 784 -> 512 -> 256 -> 10, for 28x28 images. */
    public Mlp() { this(784, new long[]{512, 256}, 10); }

    public Mlp(long inFeatures, long[] hidden, long outFeatures) {
        if (hidden == null) throw new IllegalArgumentException("Invalid hidden sizes: null (use an empty array for none)");
        for (long h : hidden) {
            if (h <= 0) throw new IllegalArgumentException("Invalid hidden sizes: " + Arrays.toString(hidden) + " (each must be > 0)");
        }
        add(new Flatten());
        long in = inFeatures;
        for (long h : hidden) {
            add(new Linear(in, h));
            add(new ReLU());
            in = h;
        }
        add(new Linear(in, outFeatures));
    }
}
