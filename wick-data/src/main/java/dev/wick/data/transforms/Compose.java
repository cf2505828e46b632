package dev.wick.data.transforms;

import java.util.List;
import java.util.stream.Collectors;

import dev.wick.data.SampleRandom;

/**
 * Several transforms of one type applied in order, as torchvision's {@code Compose}. Random members
 * draw, in order, from the same sample stream. For steps that change the type use
 * {@link Transform#then}.
 *
 * <pre>{@code
 * Compose<Tensor> train = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5),
 *                                    new ToFloat(), new Normalize(new double[]{0.49, 0.48, 0.45}, new double[]{0.25, 0.24, 0.26}));
 * }</pre>
 */
public final class Compose<T> implements RandomTransform<T, T> {
    private final List<Transform<T, T>> transforms;

    private Compose(List<Transform<T, T>> transforms) {
        for (int i = 0; i < transforms.size(); i++)
            if (transforms.get(i) == null) throw new IllegalArgumentException("Compose: transform " + i + " is null");
        this.transforms = List.copyOf(transforms);
    }

    @SafeVarargs
    public static <T> Compose<T> of(Transform<T, T>... transforms) { return new Compose<>(List.of(transforms)); }

    public static <T> Compose<T> of(List<Transform<T, T>> transforms) { return new Compose<>(transforms); }

    public List<Transform<T, T>> transforms() { return transforms; }

    @Override
    public T apply(T x, SampleRandom r) {
        for (Transform<T, T> t : transforms) x = RandomTransform.applyWith(t, x, r);
        return x;
    }

    @Override
    public String toString() {
        return "Compose(" + transforms.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }
}
