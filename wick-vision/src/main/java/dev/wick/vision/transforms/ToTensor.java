package dev.wick.vision.transforms;


import dev.wick.data.transforms.Transform;
import dev.wick.tensor.Tensor;

/**
 * uint8 {@code [C, H, W]} (or {@code [H, W]}) to float32 {@code [C, H, W]} in [0, 1]; torchvision's
 * {@code ToTensor} for images already decoded to tensors. A float tensor passes through unchanged, so
 * the transform is safe to put after data sets that already scale (such as {@code FashionMNIST}).
 *
 * <pre>{@code
 * Tensor x = new ToTensor().apply(Images.readRGB(path));   // float32 [3, H, W]
 * }</pre>
 */
public final class ToTensor implements Transform<Tensor, Tensor> {
    @Override
    public Tensor apply(Tensor img) { return Functional.toTensor(img); }

    @Override
    public String toString() { return "ToTensor()"; }
}
