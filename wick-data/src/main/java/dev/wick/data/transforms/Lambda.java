package dev.wick.data.transforms;

import java.util.function.Function;

/**
 * A function used as a transform, with a name for printing (torchvision's {@code Lambda}).
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> scale = Lambda.of("times2", x -> x.mul(2.0));
 * }</pre>
 */
public final class Lambda<A, B> implements Transform<A, B> {
    private final String name;
    private final Function<? super A, ? extends B> fn;

    private Lambda(String name, Function<? super A, ? extends B> fn) {
        if (fn == null) throw new IllegalArgumentException("Lambda: the function must not be null");
        this.name = name;
        this.fn = fn;
    }

    public static <A, B> Lambda<A, B> of(String name, Function<? super A, ? extends B> fn) { return new Lambda<>(name, fn); }

    public static <A, B> Lambda<A, B> of(Function<? super A, ? extends B> fn) { return new Lambda<>("lambda", fn); }

    @Override public B apply(A x) { return fn.apply(x); }

    @Override public String toString() { return "Lambda(" + name + ")"; }
}
