package dev.wick.data.transforms;

import dev.wick.tensor.Tensor;

/**
 * The central {@code h x w} window of an image {@code [..., H, W]}, as torchvision's {@code CenterCrop}:
 * top {@code round((H - h) / 2)}, left {@code round((W - w) / 2)}, rounding halves to even as Python's
 * {@code round}; an image smaller than the crop is first zero-padded, {@code (w - W) / 2} on the left
 * and the rest on the right (likewise top and bottom).
 *
 * <pre>{@code
 * new CenterCrop(224)
 * }</pre>
 */
public final class CenterCrop implements Transform<Tensor, Tensor> {
    private final int height;
    private final int width;

    public CenterCrop(int size) { this(size, size); }

    public CenterCrop(int height, int width) {
        if (height <= 0 || width <= 0)
            throw new IllegalArgumentException("CenterCrop: invalid size (" + height + ", " + width + ") (must be > 0)");
        this.height = height;
        this.width = width;
    }

    @Override
    public Tensor apply(Tensor x) {
        Images.checkImage("CenterCrop", x);
        long h = x.size(-2), w = x.size(-1);
        if (width > w || height > h) {
            int[] ltrb = {
                    width > w ? (int) ((width - w) / 2) : 0,
                    height > h ? (int) ((height - h) / 2) : 0,
                    width > w ? (int) ((width - w + 1) / 2) : 0,
                    height > h ? (int) ((height - h + 1) / 2) : 0};
            x = Images.pad(x, ltrb, 0, PaddingMode.CONSTANT);
            h = x.size(-2);
            w = x.size(-1);
            if (h == height && w == width) return x;
        }
        long top = (long) Math.rint((h - height) / 2.0);
        long left = (long) Math.rint((w - width) / 2.0);
        return Images.crop(x, top, left, height, width);
    }

    @Override public String toString() { return "CenterCrop(size=(" + height + ", " + width + "))"; }
}
