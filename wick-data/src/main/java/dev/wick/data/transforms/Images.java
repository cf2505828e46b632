package dev.wick.data.transforms;

import java.util.Arrays;

import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;

/** Shared checks and native calls of the image transforms. */
final class Images {
    private Images() {}

    static void checkImage(String who, Tensor x) {
        if (x.dim() < 2)
            throw new IllegalArgumentException(who + ": expected an image [..., H, W], got shape " + Arrays.toString(x.shape()));
    }

    /** torchvision's padding forms: 1 value (all sides), 2 (left/right, top/bottom) or 4 (left, top, right, bottom). */
    static int[] ltrb(String who, int[] padding) {
        if (padding == null) return new int[4];
        for (int p : padding)
            if (p < 0) throw new IllegalArgumentException(who + ": invalid padding " + Arrays.toString(padding) + " (values must be >= 0)");
        return switch (padding.length) {
            case 1 -> new int[]{padding[0], padding[0], padding[0], padding[0]};
            case 2 -> new int[]{padding[0], padding[1], padding[0], padding[1]};
            case 4 -> padding.clone();
            default -> throw new IllegalArgumentException(who + ": padding must have 1, 2 or 4 values, got " + padding.length);
        };
    }

    /** Pads the last two dims by (left, top, right, bottom). */
    static Tensor pad(Tensor x, int[] ltrb, double fill, PaddingMode mode) {
        if (ltrb[0] == 0 && ltrb[1] == 0 && ltrb[2] == 0 && ltrb[3] == 0) return x;
        long[] pads = {ltrb[0], ltrb[2], ltrb[1], ltrb[3]};       // torch order: left, right, top, bottom
        try {
            if (mode == PaddingMode.CONSTANT) {
                try (Scalar s = new Scalar(fill)) {
                    return Tensor.wrap(torch.constant_pad_nd(x.unwrap(), pads, s));
                }
            }
            try (DoubleOptional none = new DoubleOptional()) {
                return Tensor.wrap(torch.pad(x.unwrap(), pads, mode == PaddingMode.EDGE ? "replicate" : "reflect", none));
            }
        } catch (RuntimeException e) {
            throw TorchException.from(e, "pad");
        }
    }

    static Tensor crop(Tensor x, long top, long left, long h, long w) {
        return x.narrow(-2, top, h).narrow(-1, left, w);
    }
}
