package dev.wick.vision.transforms;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import dev.wick.data.SampleRandom;
import dev.wick.data.transforms.RandomTransform;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;

/**
 * Crops a random region of random area and aspect ratio, then resizes it to a fixed size; torchvision's
 * {@code RandomResizedCrop} (the Inception-style augmentation).
 *
 * <pre>{@code
 * var rrc = new RandomResizedCrop(224);                                  // scale [0.08, 1], ratio [3/4, 4/3]
 * var narrow = new RandomResizedCrop(32, 32).withScale(0.5, 1.0).withRatio(0.9, 1.1);
 * Tensor out = rrc.apply(img);                                            // [C, 224, 224]
 * }</pre>
 *
 * <p>The region, from an {@code H x W} image, as torchvision's {@code get_params}: up to 10 attempts,
 * each drawing an area {@code H * W * U(scale)} and an aspect ratio {@code exp(U(log ratio))}, giving
 * {@code w = round(sqrt(area * ratio))}, {@code h = round(sqrt(area / ratio))} (Python's round: half to
 * even); the first with {@code 0 < w <= W} and {@code 0 < h <= H} is placed at a uniformly random
 * {@code top} in {@code [0, H - h]} and {@code left} in {@code [0, W - w]}. If all 10 fail, the fallback
 * is a centred crop: the whole image when its aspect ratio is within {@code ratio}, otherwise the
 * largest centred region with the nearest allowed ratio.
 *
 * <p>Randomness: by default each call draws from the data loader's per-sample stream
 * ({@link SampleRandom#current()}), so a sample gets the same crop whichever worker loads it.
 * {@link #withGenerator(Generator)} draws from a libtorch generator instead, with torchvision's exact
 * calls: seeded like {@code torch.manual_seed(s)} it reproduces torchvision's crops. A generator is
 * shared by every thread that calls the transform, so with several loader workers which sample gets
 * which draw depends on timing; it is meant for single-threaded use and torchvision parity.
 */
public final class RandomResizedCrop implements RandomTransform<Tensor, Tensor> {
    /** Default range of the crop's area, relative to the image's. */
    public static final double[] DEFAULT_SCALE = {0.08, 1.0};
    /** Default range of the crop's aspect ratio (width / height). */
    public static final double[] DEFAULT_RATIO = {3.0 / 4.0, 4.0 / 3.0};

    /** A crop region: rows {@code [top, top + height)}, columns {@code [left, left + width)}. */
    public record Region(int top, int left, int height, int width) {}

    private final int height, width;
    private final double scaleMin, scaleMax, ratioMin, ratioMax;
    private final Interpolation interpolation;
    private final Generator generator;

    /** Square output {@code size x size}. */
    public RandomResizedCrop(int size) { this(size, size); }

    /** Output {@code height x width}, default scale, ratio and bilinear interpolation. */
    public RandomResizedCrop(int height, int width) {
        this(height, width, DEFAULT_SCALE[0], DEFAULT_SCALE[1], DEFAULT_RATIO[0], DEFAULT_RATIO[1], Interpolation.BILINEAR, null);
    }

    private RandomResizedCrop(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                              Interpolation interpolation, Generator generator) {
        Functional.requirePositive("height", height);
        Functional.requirePositive("width", width);
        if (!(scaleMin >= 0 && scaleMin <= scaleMax) || Double.isInfinite(scaleMax))
            throw new IllegalArgumentException("Invalid scale range [" + scaleMin + ", " + scaleMax + "] (need 0 <= min <= max, finite)");
        if (!(ratioMin > 0 && ratioMin <= ratioMax) || Double.isInfinite(ratioMax))
            throw new IllegalArgumentException("Invalid ratio range [" + ratioMin + ", " + ratioMax + "] (need 0 < min <= max, finite)");
        if (interpolation == null) throw new IllegalArgumentException("Invalid interpolation: null");
        this.height = height;
        this.width = width;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.interpolation = interpolation;
        this.generator = generator;
    }

    /** The range of the crop's area as a fraction of the image's (default 0.08 to 1). */
    public RandomResizedCrop withScale(double min, double max) {
        return new RandomResizedCrop(height, width, min, max, ratioMin, ratioMax, interpolation, generator);
    }

    /** The range of the crop's aspect ratio, width / height (default 3/4 to 4/3). */
    public RandomResizedCrop withRatio(double min, double max) {
        return new RandomResizedCrop(height, width, scaleMin, scaleMax, min, max, interpolation, generator);
    }

    /** How the crop is resized (default bilinear). */
    public RandomResizedCrop withInterpolation(Interpolation mode) {
        return new RandomResizedCrop(height, width, scaleMin, scaleMax, ratioMin, ratioMax, mode, generator);
    }

    /** Draws from {@code g} with torchvision's calls instead of the per-sample stream (null: back to it). */
    public RandomResizedCrop withGenerator(Generator g) {
        return new RandomResizedCrop(height, width, scaleMin, scaleMax, ratioMin, ratioMax, interpolation, g);
    }

    /** Applies the transform drawing from {@code r} (or from the generator, when one was set). */
    @Override
    public Tensor apply(Tensor img, SampleRandom r) {
        long[] s = img.shape();
        if (s.length < 2) throw new IllegalArgumentException("RandomResizedCrop: expected an image [..., H, W], got shape " + Arrays.toString(s));
        Draws d = generator != null ? Draws.torch(generator) : Draws.java(r);
        Region box = sample(Math.toIntExact(s[s.length - 2]), Math.toIntExact(s[s.length - 1]), scaleMin, scaleMax, ratioMin, ratioMax, d);
        return Functional.resizedCrop(img, box.top(), box.left(), box.height(), box.width(), height, width, interpolation);
    }

    /** torchvision's {@code RandomResizedCrop.get_params} drawing from a libtorch generator. */
    public static Region getParams(int imageHeight, int imageWidth, double scaleMin, double scaleMax,
                                   double ratioMin, double ratioMax, Generator g) {
        return sample(imageHeight, imageWidth, scaleMin, scaleMax, ratioMin, ratioMax, Draws.torch(g));
    }

    /** The same algorithm drawing from a Java generator (e.g. {@link SampleRandom}). */
    public static Region getParams(int imageHeight, int imageWidth, double scaleMin, double scaleMax,
                                   double ratioMin, double ratioMax, RandomGenerator r) {
        return sample(imageHeight, imageWidth, scaleMin, scaleMax, ratioMin, ratioMax, Draws.java(r));
    }

    static Region sample(int imgH, int imgW, double scaleMin, double scaleMax, double ratioMin, double ratioMax, Draws d) {
        double area = (double) imgH * imgW;
        double logMin = d.log(ratioMin), logMax = d.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * d.uniform(scaleMin, scaleMax);
            double aspect = d.exp(d.uniform(logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= imgW && 0 < h && h <= imgH) {
                int top = (int) d.randint(0, imgH - h + 1);
                int left = (int) d.randint(0, imgW - w + 1);
                return new Region(top, left, h, w);
            }
        }
        double inRatio = (double) imgW / imgH;   // fallback: centred crop
        int w, h;
        if (inRatio < ratioMin) {
            w = imgW;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = imgH;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = imgW;
            h = imgH;
        }
        return new Region(Math.floorDiv(imgH - h, 2), Math.floorDiv(imgW - w, 2), h, w);
    }

    @Override
    public String toString() {
        return "RandomResizedCrop(size=(" + height + ", " + width + "), scale=(" + scaleMin + ", " + scaleMax + "), ratio=("
                + ratioMin + ", " + ratioMax + "), interpolation=" + interpolation + ")";
    }
}
