package dev.wick.data.transforms;

import dev.wick.data.SampleRandom;

/**
 * A transform that draws random numbers: from the {@link SampleRandom} it is given, by default the
 * stream of the sample being loaded ({@link SampleRandom#current()}). So a sample is augmented the same
 * way whichever worker loads it, and a test can pass a fixed stream.
 *
 * <pre>{@code
 * Tensor out = new RandomHorizontalFlip(0.5).apply(img, SampleRandom.of(0, 0, 7));
 * }</pre>
 *
 * @param <A> input type
 * @param <B> output type
 */
public interface RandomTransform<A, B> extends Transform<A, B> {

    /** Applies the transform with the random numbers of {@code r}. */
    B apply(A x, SampleRandom r);

    /** Applies the transform with the current sample's stream ({@link SampleRandom#current()}). */
    @Override
    default B apply(A x) {
        return apply(x, SampleRandom.current());
    }

    /** {@code t.apply(x, r)} when {@code t} is random, else {@code t.apply(x)}. */
    @SuppressWarnings("unchecked")
    static <A, B> B applyWith(Transform<? super A, ? extends B> t, A x, SampleRandom r) {
        if (t instanceof RandomTransform<?, ?> rt) return ((RandomTransform<A, B>) rt).apply(x, r);
        return t.apply(x);
    }
}
