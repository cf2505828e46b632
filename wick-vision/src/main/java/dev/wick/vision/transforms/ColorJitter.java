package dev.wick.vision.transforms;


import dev.wick.data.SampleRandom;
import dev.wick.data.transforms.RandomTransform;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;

/**
 * Randomly changes brightness and contrast; torchvision's {@code ColorJitter} with
 * {@code saturation=0, hue=0}.
 *
 * <pre>{@code
 * var jitter = new ColorJitter(0.4, 0.4);               // factors in [0.6, 1.4] each
 * var custom = ColorJitter.builder().brightness(0.8, 1.0).build();
 * Tensor out = jitter.apply(img);                        // [C, H, W], 1 or 3 channels, float or uint8
 * }</pre>
 *
 * <p>Each call, as torchvision's {@code get_params}: draws a random order of the four colour
 * operations ({@code randperm(4)}: 0 brightness, 1 contrast, 2 saturation, 3 hue, the last two unused
 * here), then a brightness factor {@code U(brightness range)} and a contrast factor
 * {@code U(contrast range)} (each only when its range is not exactly [1, 1]), and applies
 * {@link Functional#adjustBrightness} and {@link Functional#adjustContrast} in that order. A single
 * number {@code b} means the range {@code [max(0, 1 - b), 1 + b]}.
 *
 * <p>Randomness: the data loader's per-sample stream by default; {@link #withGenerator} draws from a
 * libtorch generator with torchvision's calls, for single-threaded torchvision parity (see
 * {@link RandomResizedCrop}).
 */
public final class ColorJitter implements RandomTransform<Tensor, Tensor> {
    private final double[] brightness;   // null: not applied
    private final double[] contrast;
    private final Generator generator;

    /** Brightness and contrast factors drawn from {@code [max(0, 1 - x), 1 + x]}; 0 turns one off. */
    public ColorJitter(double brightness, double contrast) {
        this(range("brightness", brightness), range("contrast", contrast), null);
    }

    private ColorJitter(double[] brightness, double[] contrast, Generator generator) {
        this.brightness = brightness;
        this.contrast = contrast;
        this.generator = generator;
    }

    /** Options with both ranges off. */
    public static Builder builder() { return new Builder(); }

    /** Draws from {@code g} with torchvision's calls instead of the per-sample stream (null: back to it). */
    public ColorJitter withGenerator(Generator g) { return new ColorJitter(brightness, contrast, g); }

    /** The brightness factor range, or null when brightness is left alone. */
    public double[] brightness() { return brightness == null ? null : brightness.clone(); }

    /** The contrast factor range, or null when contrast is left alone. */
    public double[] contrast() { return contrast == null ? null : contrast.clone(); }

    /** The parameters of one call: the order of the operations and the factors (null when off). */
    public record Params(int[] order, Double brightnessFactor, Double contrastFactor) {}

    /** torchvision's {@code ColorJitter.get_params} for brightness and contrast, from a libtorch generator. */
    public static Params getParams(double[] brightness, double[] contrast, Generator g) {
        return sample(brightness, contrast, Draws.torch(g));
    }

    static Params sample(double[] brightness, double[] contrast, Draws d) {
        int[] order = d.randperm(4);
        Double b = brightness == null ? null : d.uniform(brightness[0], brightness[1]);
        Double c = contrast == null ? null : d.uniform(contrast[0], contrast[1]);
        return new Params(order, b, c);
    }

    /** Applies the transform drawing from {@code r} (or from the generator, when one was set). */
    @Override
    public Tensor apply(Tensor img, SampleRandom r) {
        Draws d = generator != null ? Draws.torch(generator) : Draws.java(r);
        Params p = sample(brightness, contrast, d);
        Tensor x = img;
        for (int op : p.order()) {
            if (op == 0 && p.brightnessFactor() != null) x = Functional.adjustBrightness(x, p.brightnessFactor());
            else if (op == 1 && p.contrastFactor() != null) x = Functional.adjustContrast(x, p.contrastFactor());
        }
        return x;
    }

    private static double[] range(String what, double x) {
        if (!(x >= 0) || Double.isInfinite(x))
            throw new IllegalArgumentException("Invalid " + what + ": " + x + " (must be a finite number >= 0)");
        return check(what, Math.max(0, 1 - x), 1 + x);
    }

    private static double[] check(String what, double lo, double hi) {
        if (!(0 <= lo && lo <= hi) || Double.isInfinite(hi))
            throw new IllegalArgumentException("Invalid " + what + " range [" + lo + ", " + hi + "] (need 0 <= min <= max, finite)");
        return lo == 1 && hi == 1 ? null : new double[]{lo, hi};
    }

    @Override
    public String toString() {
        return "ColorJitter(brightness=" + java.util.Arrays.toString(brightness) + ", contrast=" + java.util.Arrays.toString(contrast) + ")";
    }

    /** Options of a {@link ColorJitter}. */
    public static final class Builder {
        private double[] brightness, contrast;
        private Generator generator;

        private Builder() {}

        /** Factor range {@code [max(0, 1 - x), 1 + x]}. */
        public Builder brightness(double x) { brightness = range("brightness", x); return this; }

        /** Factor range {@code [min, max]}. */
        public Builder brightness(double min, double max) { brightness = check("brightness", min, max); return this; }

        /** Factor range {@code [max(0, 1 - x), 1 + x]}. */
        public Builder contrast(double x) { contrast = range("contrast", x); return this; }

        /** Factor range {@code [min, max]}. */
        public Builder contrast(double min, double max) { contrast = check("contrast", min, max); return this; }

        /** Draw from a libtorch generator with torchvision's calls. */
        public Builder generator(Generator g) { generator = g; return this; }

        public ColorJitter build() { return new ColorJitter(brightness, contrast, generator); }
    }
}
