package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * Transposed 2-D convolution, as {@code nn.ConvTranspose2d} (the gradient of a Conv2d with respect
 * to its input): weight (C_in, C_out/groups, kH, kW). Output size per spatial dim:
 * {@code (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1}.
 *
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(32, 16, 2, ConvOptions.defaults().withStride(2));   // doubles H and W
 * }</pre>
 *
 * @see ConvNd for the initialisation
 */
public class ConvTranspose2d extends ConvNd {
    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize) {
        this(inChannels, outChannels, new long[]{kernelSize}, ConvOptions.defaults());
    }

    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new long[]{kernelSize}, options);
    }

    public ConvTranspose2d(long inChannels, long outChannels, long[] kernelSize, ConvOptions options) {
        super(2, inChannels, outChannels, kernelSize, options, true);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.convTranspose2d(x, weight(), bias(), stride, padding, outputPadding, groups, dilation);
    }
}
