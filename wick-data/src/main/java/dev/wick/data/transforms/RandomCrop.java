package dev.wick.data.transforms;

import dev.wick.data.SampleRandom;
import dev.wick.tensor.Tensor;

/**
 * A random {@code h x w} window of an image {@code [..., H, W]}, after optional padding, as
 * torchvision's {@code RandomCrop}.
 *
 * <pre>{@code
 * new RandomCrop(32, 4)     // CIFAR: zero-pad 4 on each side, then a random 32x32 window
 * }</pre>
 *
 * <p>Steps, as torchvision: pad by {@code padding} (1 value: all sides; 2: left/right, top/bottom;
 * 4: left, top, right, bottom) with {@code fill} or by {@code paddingMode}; with {@code padIfNeeded},
 * an image narrower (shorter) than the crop is padded by the difference on both the left and the right
 * (top and bottom), as torchvision does; then the window's top is {@code r.nextInt(H - h + 1)} and its
 * left {@code r.nextInt(W - w + 1)}, drawn in that order (nothing is drawn when the sizes are equal).
 */
public final class RandomCrop implements RandomTransform<Tensor, Tensor> {
    private final int height;
    private final int width;
    private final int[] ltrb;
    private final boolean padIfNeeded;
    private final double fill;
    private final PaddingMode mode;

    /** A square crop, no padding. */
    public RandomCrop(int size) { this(size, size, null, false, 0, PaddingMode.CONSTANT); }

    /** A square crop after zero padding on every side. */
    public RandomCrop(int size, int padding) { this(size, size, new int[]{padding}, false, 0, PaddingMode.CONSTANT); }

    /**
     * @param height      crop height
     * @param width       crop width
     * @param padding     null (none), or 1, 2 or 4 values (see the class doc)
     * @param padIfNeeded pad images smaller than the crop
     * @param fill        the value of constant padding
     * @param paddingMode how to pad
     */
    public RandomCrop(int height, int width, int[] padding, boolean padIfNeeded, double fill, PaddingMode paddingMode) {
        if (height <= 0 || width <= 0)
            throw new IllegalArgumentException("RandomCrop: invalid size (" + height + ", " + width + ") (must be > 0)");
        if (paddingMode == null) throw new IllegalArgumentException("RandomCrop: paddingMode must not be null");
        this.height = height;
        this.width = width;
        this.ltrb = Images.ltrb("RandomCrop", padding);
        this.padIfNeeded = padIfNeeded;
        this.fill = fill;
        this.mode = paddingMode;
    }

    @Override
    public Tensor apply(Tensor x, SampleRandom r) {
        Images.checkImage("RandomCrop", x);
        x = Images.pad(x, ltrb, fill, mode);
        if (padIfNeeded && x.size(-1) < width) {
            int d = (int) (width - x.size(-1));
            x = Images.pad(x, new int[]{d, 0, d, 0}, fill, mode);
        }
        if (padIfNeeded && x.size(-2) < height) {
            int d = (int) (height - x.size(-2));
            x = Images.pad(x, new int[]{0, d, 0, d}, fill, mode);
        }
        long h = x.size(-2), w = x.size(-1);
        if (h < height || w < width)
            throw new IllegalArgumentException("RandomCrop: required crop size (" + height + ", " + width
                    + ") is larger than input image size (" + h + ", " + w + ")");
        if (h == height && w == width) return x;
        int top = r.nextInt((int) (h - height + 1));
        int left = r.nextInt((int) (w - width + 1));
        return Images.crop(x, top, left, height, width);
    }

    @Override
    public String toString() {
        return "RandomCrop(size=(" + height + ", " + width + "), padding=" + java.util.Arrays.toString(ltrb) + ", mode=" + mode + ")";
    }
}
