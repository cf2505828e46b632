package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Average pooling to a fixed output size whatever the input size, as {@code nn.AdaptiveAvgPool2d}.
 *
 * <pre>{@code
 * AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1, 1);   // (B, 512, 7, 7) -> (B, 512, 1, 1)
 * }</pre>
 */
public class AdaptiveAvgPool2d extends UnaryModule {
    private final long[] outputSizeArg;
    private final long[] outputSize;

    /** One size for both dims, or (H_out, W_out). */
    public AdaptiveAvgPool2d(long... outputSize) {
        this.outputSize = Layers.tuple("output_size", outputSize, 2, 0);
        this.outputSizeArg = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor x) { return F.adaptiveAvgPool2d(x, outputSize); }

    @Override
    protected String extraRepr() { return "output_size=" + Pooling.arg(outputSizeArg); }
}
