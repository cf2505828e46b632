package dev.wick.data.transforms;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * An image tensor as float32 in {@code [0, 1]}, as torchvision's {@code ConvertImageDtype(torch.float32)}
 * (the tensor half of {@code ToTensor}): uint8 is divided by 255, bool becomes 0/1, floating point is
 * cast without scaling.
 *
 * <pre>{@code
 * Tensor x = new ToFloat().apply(uint8Image);   // [3, 32, 32] float32, x = v / 255
 * }</pre>
 */
public final class ToFloat implements Transform<Tensor, Tensor> {

    @Override
    public Tensor apply(Tensor x) {
        DType d = x.dtype();
        return switch (d) {
            case UINT8 -> x.to(DType.FLOAT32).div(255.0);
            case BOOL -> x.to(DType.FLOAT32);
            case FLOAT32 -> x;
            case FLOAT64, FLOAT16, BFLOAT16 -> x.to(DType.FLOAT32);
            default -> throw new IllegalArgumentException("ToFloat: unsupported image dtype " + d
                    + " (expected uint8, bool or a floating-point type)");
        };
    }

    @Override public String toString() { return "ToFloat()"; }
}
