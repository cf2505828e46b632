package dev.wick.vision;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.color.ColorSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import javax.imageio.ImageIO;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF, TIFF: what {@code javax.imageio} reads) into uint8
 * {@code [C, H, W]} tensors, and encodes tensors back.
 *
 * <pre>{@code
 * Tensor img = Images.readRGB(Path.of("cat.jpg"));   // uint8 [3, H, W], as torchvision's pil_loader
 * Images.write(img, Path.of("copy.png"));
 * }</pre>
 *
 * <p>Channels: {@link #readRGB} always gives 3 channels, as PIL's {@code convert("RGB")} in
 * torchvision's default loader: grey is repeated, alpha is dropped (not composited), a palette is
 * looked up. {@link #read} keeps what the file holds: 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA).
 * Samples are taken from the raster as stored, so grey PNGs are not gamma-shifted the way
 * {@link BufferedImage#getRGB} shifts them. Samples deeper than 8 bits are scaled to 0..255 with
 * rounding (PIL instead clips 16-bit grey to 255). Colour spaces other than grey and RGB (CMYK, say)
 * go through Java's conversion to sRGB.
 */
public final class Images {
    private Images() {}

    /** Decodes an image file into uint8 {@code [3, H, W]} RGB. */
    public static Tensor readRGB(Path file) throws IOException { return fromImage(decode(file), true); }

    /** Decodes an image file into uint8 {@code [C, H, W]} with the channels it holds (1 to 4). */
    public static Tensor read(Path file) throws IOException { return fromImage(decode(file), false); }

    private static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("Cannot decode image " + file + ": no such file");
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());   // a File: random access, no temporary cache file (unlike a stream)
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot decode image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IOException("Cannot decode image " + file + ": no javax.imageio reader recognises its format");
        return img;
    }

    /**
     * Converts a decoded image to uint8 {@code [C, H, W]}: 3 channels when {@code rgb}, else the
     * channels it holds.
     */
    public static Tensor fromImage(BufferedImage img, boolean rgb) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int[] buf = new int[plane];
        byte[] out;
        int channels;
        if (cm instanceof IndexColorModel icm) {
            boolean alpha = !rgb && icm.hasAlpha();
            channels = alpha ? 4 : 3;
            out = new byte[channels * plane];
            r.getSamples(0, 0, w, h, 0, buf);
            for (int i = 0; i < plane; i++) {
                int idx = buf[i];
                out[i] = (byte) icm.getRed(idx);
                out[plane + i] = (byte) icm.getGreen(idx);
                out[2 * plane + i] = (byte) icm.getBlue(idx);
                if (alpha) out[3 * plane + i] = (byte) icm.getAlpha(idx);
            }
        } else if (isPlain(cm)) {
            int colors = cm.getNumColorComponents();
            boolean alpha = cm.hasAlpha() && !rgb;
            channels = rgb ? 3 : colors + (alpha ? 1 : 0);
            out = new byte[channels * plane];
            for (int c = 0; c < colors + (alpha ? 1 : 0); c++) {
                r.getSamples(0, 0, w, h, c, buf);
                int max = (1 << cm.getComponentSize(c)) - 1;
                int o = c * plane;
                if (max == 255) {
                    for (int i = 0; i < plane; i++) out[o + i] = (byte) buf[i];
                } else {
                    for (int i = 0; i < plane; i++) out[o + i] = (byte) Math.round(buf[i] * 255.0 / max);
                }
            }
            if (rgb && colors == 1) {
                System.arraycopy(out, 0, out, plane, plane);
                System.arraycopy(out, 0, out, 2 * plane, plane);
            }
        } else {
            boolean alpha = cm.hasAlpha() && !rgb;
            channels = alpha ? 4 : 3;
            out = new byte[channels * plane];
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                out[i] = (byte) (p >>> 16);
                out[plane + i] = (byte) (p >>> 8);
                out[2 * plane + i] = (byte) p;
                if (alpha) out[3 * plane + i] = (byte) (p >>> 24);
            }
        }
        return Tensor.of(out, channels, h, w);
    }

    /** Grey or RGB samples (with or without alpha, not premultiplied) that can be read as stored. */
    private static boolean isPlain(ColorModel cm) {
        if (cm.isAlphaPremultiplied()) return false;
        int n = cm.getNumColorComponents();
        int type = cm.getColorSpace().getType();
        if (!((n == 1 && type == ColorSpace.TYPE_GRAY) || (n == 3 && type == ColorSpace.TYPE_RGB))) return false;
        for (int c = 0; c < cm.getNumComponents(); c++) if (cm.getComponentSize(c) > 16) return false;
        return true;
    }

    /**
     * An image of a {@code [C, H, W]} tensor with 1 (grey), 3 (RGB) or 4 (RGBA) channels. A uint8
     * tensor is taken as is; a float one as values in [0, 1], multiplied by 255 and truncated (as
     * torchvision's {@code to_pil_image}).
     */
    public static BufferedImage toImage(Tensor t) {
        long[] s = t.shape();
        if (s.length != 3 || !(s[0] == 1 || s[0] == 3 || s[0] == 4))
            throw new IllegalArgumentException("toImage: expected a [C, H, W] tensor with 1, 3 or 4 channels, got shape " + Arrays.toString(s));
        int c = (int) s[0], h = Math.toIntExact(s[1]), w = Math.toIntExact(s[2]), plane = w * h;
        byte[] bytes;
        try (Scope sc = Scope.open()) {
            Tensor u8;
            if (t.dtype() == DType.UINT8) u8 = t;
            else if (t.isFloatingPoint()) u8 = t.mul(255.0).to(DType.UINT8);
            else throw new IllegalArgumentException("toImage: expected a uint8 or floating-point tensor, got " + t.dtype());
            bytes = u8.toBytes();
        }
        int type = c == 1 ? BufferedImage.TYPE_BYTE_GRAY : c == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
        BufferedImage img = new BufferedImage(w, h, type);
        WritableRaster r = img.getRaster();
        int[] buf = new int[plane];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < plane; i++) buf[i] = bytes[ch * plane + i] & 0xff;
            r.setSamples(0, 0, w, h, ch, buf);
        }
        return img;
    }

    /** Encodes a tensor (see {@link #toImage}) into a file whose format its extension names (png, jpg, bmp...). */
    public static void write(Tensor t, Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) throw new IllegalArgumentException("write: cannot tell the image format of '" + name + "' (no extension)");
        String format = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (format.equals("jpeg")) format = "jpg";
        BufferedImage img = toImage(t);
        if (!ImageIO.write(img, format, file.toFile()))
            throw new IOException("No javax.imageio writer for format '" + format + "' with " + t.size(0) + " channels (file " + file + ")");
    }
}
