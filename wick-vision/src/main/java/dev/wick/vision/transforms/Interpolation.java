package dev.wick.vision.transforms;

/**
 * How {@link Resize} and {@link RandomResizedCrop} sample the source image; torchvision's
 * {@code InterpolationMode} for tensors, without antialiasing (its tensor default in 0.14).
 *
 * <pre>{@code
 * Tensor small = new Resize(32).withInterpolation(Interpolation.NEAREST).apply(img);
 * }</pre>
 */
public enum Interpolation {
    /** The nearest source pixel ({@code mode="nearest"}: index {@code floor(dst * in / out)}). */
    NEAREST,
    /** Linear in both directions, {@code align_corners=False}. */
    BILINEAR,
    /** Cubic convolution (a = -0.75), {@code align_corners=False}; uint8 results are clamped to 0..255. */
    BICUBIC
}
