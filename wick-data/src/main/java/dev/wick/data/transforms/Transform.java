package dev.wick.data.transforms;

import java.util.function.Function;

/**
 * A step of a data pipeline, applied to one sample (torchvision's transform objects). Tensor transforms
 * here work on images {@code [..., C, H, W]}; image decoding lives in {@code dev.wick.vision}.
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> t = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5),
 *                                          new ToFloat(), new Normalize(MEAN, STD));
 * Dataset<Example<Tensor, Long>> augmented = Datasets.mapInputs(raw, t::apply);
 * }</pre>
 *
 * <p>Transforms run on loader worker threads, so they must be safe to call concurrently; random ones
 * implement {@link RandomTransform} and draw from the sample's {@link dev.wick.data.SampleRandom}.
 *
 * @param <A> input type
 * @param <B> output type
 */
@FunctionalInterface
public interface Transform<A, B> extends Function<A, B> {

    @Override
    B apply(A x);

    /** This transform, then {@code next}; random steps keep drawing from the same sample stream. */
    default <C> Transform<A, C> then(Transform<? super B, ? extends C> next) {
        Transform<A, B> first = this;
        return new RandomTransform<>() {
            @Override public C apply(A x, dev.wick.data.SampleRandom r) {
                return RandomTransform.applyWith(next, RandomTransform.applyWith(first, x, r), r);
            }
            @Override public String toString() { return first + " -> " + next; }
        };
    }
}
