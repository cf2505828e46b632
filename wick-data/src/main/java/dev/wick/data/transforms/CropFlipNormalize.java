package dev.wick.data.transforms;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.wick.data.Collate;
import dev.wick.data.Collator;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The CIFAR training recipe fused into one pass over the pixels: {@code RandomCrop(size, padding)} with
 * zero padding, {@code RandomHorizontalFlip(p)}, {@link ToFloat} and {@link Normalize}, for uint8
 * images {@code [C, H, W]} cropped back to their own size.
 *
 * <p>Two ways to use it, with the same numbers bit for bit:
 * <ul>
 *   <li>as a tensor transform, {@link #apply(Tensor, SampleRandom)}: the four transforms in a row;</li>
 *   <li>split in two for speed: {@link #place} draws a sample's crop and flip inside
 *       {@code Dataset.get} (where the sample's {@link SampleRandom} is current), and {@link #collator}
 *       writes a whole batch into one float32 tensor {@code [B, C, H, W]} in plain Java: one native
 *       allocation per batch instead of about eight native ops per sample.</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor images = ...;                                   // uint8 [N, 3, 32, 32], made outside any scope
 * var aug = new CropFlipNormalize(3, 32, 32, 4, 0.5, MEAN, STD);
 * Dataset<Example<CropFlipNormalize.Placed, Long>> ds = new Dataset<>() {
 *     public Example<CropFlipNormalize.Placed, Long> get(int i) {
 *         return new Example<>(aug.place(i, SampleRandom.current()), (long) (i % 10));
 *     }
 *     public int size() { return n; }
 * };
 * DataLoader<Example<CropFlipNormalize.Placed, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(ds)
 *         .batchSize(128).shuffle(true).numWorkers(2).collateFn(aug.collator(images)).build();
 * }</pre>
 *
 * <p>The draws are those of the tensor transforms, in their order: the crop's top
 * {@code r.nextInt(2 * padding + 1)}, its left likewise (none when padding is 0), then the flip
 * {@code r.nextDouble() < p}. The value of a pixel {@code v} in channel {@code c} comes from a table
 * computed once by libtorch with the tensor transforms themselves, so both paths agree exactly.
 */
public final class CropFlipNormalize implements RandomTransform<Tensor, Tensor> {
    /** Where the crop window starts in the padded image, and whether the result is mirrored. */
    public record Placement(int top, int left, boolean flip) {}

    /** Image {@code image} of a collection, with its placement: the sample type of the fast path. */
    public record Placed(int image, Placement placement) {}

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<byte[]> PIXELS = ThreadLocal.withInitial(() -> new byte[0]);

    private final int channels;
    private final int height;
    private final int width;
    private final int padding;
    private final double flipP;
    private final Compose<Tensor> tensorPath;
    private final float[][] lut;                        // [C][256]: Normalize(ToFloat(v)) per channel

    /**
     * @param channels C
     * @param height   H (also the crop height)
     * @param width    W (also the crop width)
     * @param padding  zero padding on each side before cropping
     * @param flipP    probability of a horizontal flip
     * @param mean     per-channel mean (C values, or 1 for all)
     * @param std      per-channel standard deviation
     */
    public CropFlipNormalize(int channels, int height, int width, int padding, double flipP, double[] mean, double[] std) {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new IllegalArgumentException("CropFlipNormalize: invalid image shape [" + channels + ", " + height + ", " + width + "] (sizes must be > 0)");
        if (padding < 0) throw new IllegalArgumentException("CropFlipNormalize: invalid padding " + padding + " (must be >= 0)");
        if (mean.length != 1 && mean.length != channels)
            throw new IllegalArgumentException("CropFlipNormalize: " + channels + " channels but mean/std have " + mean.length + " values");
        Normalize normalize = new Normalize(mean, std);
        RandomHorizontalFlip flip = new RandomHorizontalFlip(flipP);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.flipP = flipP;
        this.tensorPath = Compose.of(new RandomCrop(height, width, new int[]{padding}, false, 0, PaddingMode.CONSTANT),
                flip, new ToFloat(), normalize);
        this.lut = new float[channels][256];
        try (Scope s = Scope.open()) {
            byte[] v = new byte[channels * 256];
            for (int i = 0; i < v.length; i++) v[i] = (byte) (i % 256);
            Tensor values = Tensor.of(v, channels, 1, 256);                 // [C, 1, 256] uint8
            float[] out = normalize.apply(new ToFloat().apply(values)).toFloatArray();
            for (int c = 0; c < channels; c++) System.arraycopy(out, c * 256, lut[c], 0, 256);
        }
    }

    /** Draws one sample's crop and flip, in the order of the tensor transforms. */
    public Placement place(SampleRandom r) {
        int top = 0, left = 0;
        if (padding > 0) {
            top = r.nextInt(2 * padding + 1);
            left = r.nextInt(2 * padding + 1);
        }
        return new Placement(top, left, r.nextDouble() < flipP);
    }

    /** {@link #place(SampleRandom)} for image {@code image}. */
    public Placed place(int image, SampleRandom r) { return new Placed(image, place(r)); }

    /** The four tensor transforms in a row, on a uint8 image {@code [C, H, W]}. */
    @Override
    public Tensor apply(Tensor image, SampleRandom r) {
        long[] s = image.dim() == 3 ? new long[]{image.size(0), image.size(1), image.size(2)} : image.shape();  // shape() allocates
        if (image.dtype() != DType.UINT8 || !Arrays.equals(s, new long[]{channels, height, width}))
            throw new IllegalArgumentException("CropFlipNormalize: expected a uint8 image [" + channels + ", " + height + ", " + width
                    + "], got " + image.dtype() + " " + Arrays.toString(s));
        return tensorPath.apply(image, r);
    }

    /**
     * Writes one transformed image into {@code dst} at {@code dstOffset} ({@code C*H*W} floats) from the
     * uint8 image at {@code src[srcOffset ...]}.
     */
    public void write(byte[] src, int srcOffset, Placement p, float[] dst, int dstOffset) {
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            float[] table = lut[c];
            float zero = table[0];
            int srcC = srcOffset + c * hw, dstC = dstOffset + c * hw;
            for (int y = 0; y < height; y++) {
                int sy = y + p.top() - padding;
                int d = dstC + y * width;
                if (sy < 0 || sy >= height) {
                    Arrays.fill(dst, d, d + width, zero);
                    continue;
                }
                int row = srcC + sy * width;
                int shift = p.left() - padding;
                if (!p.flip()) {
                    for (int x = 0; x < width; x++) {
                        int sx = x + shift;
                        dst[d + x] = sx < 0 || sx >= width ? zero : table[src[row + sx] & 0xFF];
                    }
                } else {
                    for (int x = 0; x < width; x++) {
                        int sx = width - 1 - x + shift;
                        dst[d + x] = sx < 0 || sx >= width ? zero : table[src[row + sx] & 0xFF];
                    }
                }
            }
        }
    }

    /**
     * A collate function for samples {@code Example<Placed, Y>}: the inputs are written from
     * {@code images} (uint8 {@code [N, C, H, W]}, which must stay alive: make it outside any scope) into
     * one float32 tensor {@code [B, C, H, W]}; the targets are collated by {@link Collate#defaultCollate}.
     */
    public <Y> Collator<Example<Placed, Y>, Example<Tensor, Tensor>> collator(Tensor images) {
        long[] s = images.shape();
        if (images.dtype() != DType.UINT8 || s.length != 4 || s[1] != channels || s[2] != height || s[3] != width)
            throw new IllegalArgumentException("CropFlipNormalize.collator: expected uint8 images [N, " + channels + ", " + height + ", "
                    + width + "], got " + images.dtype() + " " + Arrays.toString(s));
        if (!images.isContiguous()) throw new IllegalArgumentException("CropFlipNormalize.collator: images must be contiguous");
        ByteBuffer pixels = images.asByteBuffer();
        long n = s[0];
        int chw = channels * height * width;
        return samples -> {
            int b = samples.size();
            float[] out = SCRATCH.get();
            if (out.length < b * chw) SCRATCH.set(out = new float[b * chw]);
            byte[] img = PIXELS.get();
            if (img.length < chw) PIXELS.set(img = new byte[chw]);
            List<Y> targets = new ArrayList<>(b);
            for (int k = 0; k < b; k++) {
                Example<Placed, Y> e = samples.get(k);
                int i = e.input().image();
                if (i < 0 || i >= n) throw new IndexOutOfBoundsException("Image " + i + " out of range for " + n + " images");
                pixels.get((int) ((long) i * chw), img, 0, chw);            // absolute: safe across threads (images < 2 GiB)
                write(img, 0, e.input().placement(), out, k * chw);
                targets.add(e.target());
            }
            Tensor x = Tensor.empty(DType.FLOAT32, b, channels, height, width);
            x.asByteBuffer().asFloatBuffer().put(out, 0, b * chw);
            return new Example<>(x, Collate.defaultCollate(targets));
        };
    }

    @Override
    public String toString() {
        return "CropFlipNormalize(" + channels + "x" + height + "x" + width + ", padding=" + padding + ", flipP=" + flipP + ")";
    }
}
