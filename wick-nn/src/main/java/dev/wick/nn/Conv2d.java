package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * 2-D convolution, as {@code nn.Conv2d}: input (N, C_in, H, W) or unbatched, weight
 * (C_out, C_in/groups, kH, kW). Output size per spatial dim:
 * {@code floor((in + 2 * padding - dilation * (k - 1) - 1) / stride) + 1}.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 20, 5);
 * Conv2d same = new Conv2d(16, 32, 3, ConvOptions.defaults().withPadding("same").withBias(false));
 * }</pre>
 *
 * @see ConvNd for the initialisation
 */
public class Conv2d extends ConvNd {
    public Conv2d(long inChannels, long outChannels, long kernelSize) {
        this(inChannels, outChannels, new long[]{kernelSize}, ConvOptions.defaults());
    }

    public Conv2d(long inChannels, long outChannels, long kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new long[]{kernelSize}, options);
    }

    public Conv2d(long inChannels, long outChannels, long[] kernelSize, ConvOptions options) {
        super(2, inChannels, outChannels, kernelSize, options, false);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!paddingMode.equals("zeros")) {
            try (Tensor padded = padForMode(x)) {
                return F.conv2d(padded, weight(), bias(), stride, Layers.fill(0, 2), dilation, groups);
            }
        }
        if (paddingString != null) return F.conv2d(x, weight(), bias(), stride, paddingString, dilation, groups);
        return F.conv2d(x, weight(), bias(), stride, padding, dilation, groups);
    }
}
