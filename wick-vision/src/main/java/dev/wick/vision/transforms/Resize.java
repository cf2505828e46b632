package dev.wick.vision.transforms;

import java.util.Arrays;

import dev.wick.data.transforms.Transform;
import dev.wick.tensor.Tensor;

/**
 * Resizes an image tensor {@code [..., H, W]}; torchvision's {@code Resize} on tensors (0.14, no
 * antialiasing).
 *
 * <pre>{@code
 * Tensor a = new Resize(256).apply(img);                 // smaller edge to 256, aspect ratio kept
 * Tensor b = new Resize(224, 224).apply(img);            // exactly 224 x 224
 * Tensor c = new Resize(256).withMaxSize(320).withInterpolation(Interpolation.NEAREST).apply(img);
 * }</pre>
 *
 * <p>With one size the smaller edge becomes {@code size} and the longer {@code (int) (size * long / short)};
 * with {@code maxSize} the longer edge is then capped, shrinking both. An image already of the
 * target size is returned as it is. See {@link Functional#resize} for dtypes.
 */
public final class Resize implements Transform<Tensor, Tensor> {
    private final int height, width;      // width < 0: smaller-edge mode with size = height
    private final Integer maxSize;
    private final Interpolation interpolation;

    /** Smaller edge to {@code size}, keeping the aspect ratio; bilinear. */
    public Resize(int size) { this(size, -1, null, Interpolation.BILINEAR); }

    /** Exactly {@code height x width}; bilinear. */
    public Resize(int height, int width) { this(height, checkWidth(width), null, Interpolation.BILINEAR); }

    private Resize(int height, int width, Integer maxSize, Interpolation interpolation) {
        Functional.requirePositive(width < 0 ? "size" : "height", height);
        if (interpolation == null) throw new IllegalArgumentException("Invalid interpolation: null");
        if (maxSize != null) {
            if (width >= 0)
                throw new IllegalArgumentException("maxSize applies only when resizing the smaller edge (Resize(size)), not to an exact "
                        + height + "x" + width);
            if (maxSize <= height)
                throw new IllegalArgumentException("Invalid maxSize: " + maxSize + " (must be greater than the smaller-edge size " + height + ")");
        }
        this.height = height;
        this.width = width;
        this.maxSize = maxSize;
        this.interpolation = interpolation;
    }

    private static int checkWidth(int width) {
        Functional.requirePositive("width", width);
        return width;
    }

    /** Caps the longer edge (smaller-edge mode only). */
    public Resize withMaxSize(int maxSize) { return new Resize(height, width, maxSize, interpolation); }

    /** The interpolation (default bilinear). */
    public Resize withInterpolation(Interpolation mode) { return new Resize(height, width, maxSize, mode); }

    /** The output {@code {height, width}} for an input of {@code h x w}. */
    public int[] outputSize(int h, int w) {
        return width < 0 ? Functional.smallerEdgeSize(h, w, height, maxSize) : new int[]{height, width};
    }

    @Override
    public Tensor apply(Tensor img) {
        long[] s = img.shape();
        if (s.length < 2) throw new IllegalArgumentException("Resize: expected an image [..., H, W], got shape " + Arrays.toString(s));
        int[] out = outputSize(Math.toIntExact(s[s.length - 2]), Math.toIntExact(s[s.length - 1]));
        return Functional.resize(img, out[0], out[1], interpolation);
    }

    @Override
    public String toString() {
        return "Resize(size=" + (width < 0 ? String.valueOf(height) : "(" + height + ", " + width + ")")
                + (maxSize != null ? ", maxSize=" + maxSize : "") + ", interpolation=" + interpolation + ")";
    }
}
