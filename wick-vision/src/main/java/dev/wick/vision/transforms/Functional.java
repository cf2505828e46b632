package dev.wick.vision.transforms;

import java.util.Arrays;

import org.bytedeco.pytorch.global.torch;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * The deterministic image operations behind the transforms, as torchvision 0.14's
 * {@code transforms.functional} on tensors. Images are {@code [..., C, H, W]} tensors, float (values in
 * [0, 1]) or uint8 (0..255); results have the input's dtype.
 *
 * <pre>{@code
 * Tensor x = Functional.resize(img, 32, 48, Interpolation.BILINEAR);
 * Tensor y = Functional.adjustContrast(Functional.adjustBrightness(x, 1.2), 0.8);
 * }</pre>
 *
 * <p>Results are new tensors in the current scope; the input is never modified (the one exception:
 * {@link #resize} returns the input itself when the size does not change, as torchvision does).
 */
public final class Functional {
    private Functional() {}

    // ------------------------------------------------------------------ conversion

    /**
     * uint8 {@code [C, H, W]} (or {@code [H, W]}, given one channel) to float32 in [0, 1], as
     * {@code ToTensor}; a float tensor is returned as it is.
     */
    public static Tensor toTensor(Tensor img) {
        if (img.isFloatingPoint()) return img;
        if (img.dtype() != DType.UINT8)
            throw new IllegalArgumentException("toTensor: expected a uint8 image (or a float one, passed through), got " + img.dtype());
        int d = img.dim();
        if (d != 2 && d != 3)
            throw new IllegalArgumentException("toTensor: expected a [C, H, W] or [H, W] image, got shape " + Arrays.toString(img.shape()));
        Tensor x = img.to(DType.FLOAT32).div_(255.0);
        return d == 2 ? x.unsqueeze(0) : x;                 // [1, H, W]
    }

    // ------------------------------------------------------------------ geometry

    /**
     * The output {@code {height, width}} of torchvision's resize to {@code size} on the smaller edge:
     * the longer edge becomes {@code (int) (size * long / short)}, and when that exceeds {@code maxSize}
     * (null for no limit) both shrink so the longer edge is {@code maxSize}.
     */
    public static int[] smallerEdgeSize(int height, int width, int size, Integer maxSize) {
        int shortEdge = Math.min(height, width), longEdge = Math.max(height, width);
        int newShort = size, newLong = (int) ((double) size * longEdge / shortEdge);
        if (maxSize != null && newLong > maxSize) {
            newShort = (int) ((double) maxSize * newShort / newLong);
            newLong = maxSize;
        }
        return width <= height ? new int[]{newLong, newShort} : new int[]{newShort, newLong};
    }

    /**
     * Resizes the last two dimensions to {@code height x width}. Float32 and float64 images are
     * interpolated in their own dtype; others in float32, then rounded (integer dtypes) and cast back.
     */
    public static Tensor resize(Tensor img, int height, int width, Interpolation mode) {
        requirePositive("height", height);
        requirePositive("width", width);
        long[] s = img.shape();
        if (s.length < 2) throw new IllegalArgumentException("resize: expected an image [..., H, W], got shape " + Arrays.toString(s));
        long h = s[s.length - 2], w = s[s.length - 1];
        if (h == height && w == width) return img;
        DType dtype = img.dtype();
        boolean cast = dtype != DType.FLOAT32 && dtype != DType.FLOAT64;
        Tensor x = img.reshape(-1, 1, h, w);                             // [N, 1, H, W]: channels are independent
        if (cast) x = x.to(DType.FLOAT32);
        Tensor in = x;
        long[] size = {height, width};
        Tensor y;
        try {
            switch (mode) {
                case NEAREST: y = Tensor.wrap(torch.upsample_nearest2d(in.unwrap(), size)); break;
                case BILINEAR: y = Tensor.wrap(torch.upsample_bilinear2d(in.unwrap(), size, false)); break;
                case BICUBIC: y = Tensor.wrap(torch.upsample_bicubic2d(in.unwrap(), size, false)); break;
                default: throw new IllegalArgumentException("Unknown interpolation " + mode);
            }
        } catch (RuntimeException e) {
            throw TorchException.from(e, "resize");
        }
        if (cast) {
            if (mode == Interpolation.BICUBIC && dtype == DType.UINT8) y = y.clamp(0, 255);
            if (!dtype.isFloatingPoint()) y = y.round();
            y = y.to(dtype);
        }
        long[] out = s.clone();
        out[s.length - 2] = height;
        out[s.length - 1] = width;
        return y.view(out);                                              // [..., height, width]
    }

    /** The region {@code [top, top + height) x [left, left + width)} of the last two dimensions (a view). */
    public static Tensor crop(Tensor img, int top, int left, int height, int width) {
        long[] s = img.shape();
        if (s.length < 2) throw new IllegalArgumentException("crop: expected an image [..., H, W], got shape " + Arrays.toString(s));
        long h = s[s.length - 2], w = s[s.length - 1];
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > h || left + width > w)
            throw new IllegalArgumentException("crop: region top=" + top + ", left=" + left + ", height=" + height + ", width=" + width
                    + " is not inside the " + h + "x" + w + " image");
        return img.narrow(-2, top, height).narrow(-1, left, width);
    }

    /** {@link #crop} then {@link #resize} to {@code outHeight x outWidth}, as torchvision's {@code resized_crop}. */
    public static Tensor resizedCrop(Tensor img, int top, int left, int height, int width, int outHeight, int outWidth, Interpolation mode) {
        return resize(crop(img, top, left, height, width), outHeight, outWidth, mode);
    }

    // ------------------------------------------------------------------ colour

    /**
     * {@code ratio * a + (1 - ratio) * b}, clamped to the image range ([0, 1] for float, [0, 255]
     * otherwise) and cast to {@code a}'s dtype (truncating, as torchvision's {@code _blend}).
     */
    public static Tensor blend(Tensor a, Tensor b, double ratio) {
        double bound = a.isFloatingPoint() ? 1.0 : 255.0;
        return a.mul(ratio).add(b.mul(1.0 - ratio)).clamp(0, bound).to(a.dtype());
    }

    /**
     * Luma {@code 0.2989 R + 0.587 G + 0.114 B} of a 3-channel image as {@code [..., 1, H, W]} in the
     * image's dtype (truncated for uint8); a 1-channel image is copied.
     */
    public static Tensor rgbToGrayscale(Tensor img) {
        int c = channels(img, "rgbToGrayscale");
        if (c == 1) return img.clone();
        Tensor r = img.select(-3, 0), g = img.select(-3, 1), b = img.select(-3, 2);
        return r.mul(0.2989).add(g.mul(0.587)).add(b.mul(0.114)).to(img.dtype()).unsqueeze(-3);
    }

    /** Scales brightness: blends with black; 0 gives black, 1 the image. */
    public static Tensor adjustBrightness(Tensor img, double factor) {
        requireFactor("brightness", factor);
        channels(img, "adjustBrightness");
        return blend(img, img.zerosLike(), factor);
    }

    /**
     * Scales contrast: blends with the mean grey level of the image (of its luma for 3 channels,
     * computed in float32 for integer images); 0 gives flat grey, 1 the image.
     */
    public static Tensor adjustContrast(Tensor img, double factor) {
        requireFactor("contrast", factor);
        int c = channels(img, "adjustContrast");
        DType dt = img.isFloatingPoint() ? img.dtype() : DType.FLOAT32;
        Tensor grey = c == 3 ? rgbToGrayscale(img) : img;
        Tensor mean = grey.to(dt).mean(new long[]{-3, -2, -1}, true);      // [..., 1, 1, 1]
        return blend(img, mean, factor);
    }

    // ------------------------------------------------------------------ checks

    static int channels(Tensor img, String op) {
        long[] s = img.shape();
        if (s.length < 3 || (s[s.length - 3] != 1 && s[s.length - 3] != 3))
            throw new IllegalArgumentException(op + ": expected an image [..., C, H, W] with 1 or 3 channels, got shape " + Arrays.toString(s));
        return (int) s[s.length - 3];
    }

    static void requirePositive(String what, int v) {
        if (v <= 0) throw new IllegalArgumentException("Invalid " + what + ": " + v + " (must be positive)");
    }

    private static void requireFactor(String what, double f) {
        if (!(f >= 0) || Double.isInfinite(f)) throw new IllegalArgumentException("Invalid " + what + " factor: " + f + " (must be a finite number >= 0)");
    }
}
