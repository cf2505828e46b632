package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * 1-D convolution, as {@code nn.Conv1d}: input (N, C_in, L) or unbatched, weight
 * (C_out, C_in/groups, k). Output size per spatial dim:
 * {@code floor((in + 2 * padding - dilation * (k - 1) - 1) / stride) + 1}.
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(1, 20, 5);
 * Conv1d same = new Conv1d(16, 32, 3, ConvOptions.defaults().withPadding("same").withBias(false));
 * }</pre>
 *
 * @see ConvNd for the initialisation
 */
public class Conv1d extends ConvNd {
    public Conv1d(long inChannels, long outChannels, long kernelSize) {
        this(inChannels, outChannels, new long[]{kernelSize}, ConvOptions.defaults());
    }

    public Conv1d(long inChannels, long outChannels, long kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new long[]{kernelSize}, options);
    }

    public Conv1d(long inChannels, long outChannels, long[] kernelSize, ConvOptions options) {
        super(1, inChannels, outChannels, kernelSize, options, false);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!paddingMode.equals("zeros")) {
            try (Tensor padded = padForMode(x)) {
                return F.conv1d(padded, weight(), bias(), stride, Layers.fill(0, 1), dilation, groups);
            }
        }
        if (paddingString != null) return F.conv1d(x, weight(), bias(), stride, paddingString, dilation, groups);
        return F.conv1d(x, weight(), bias(), stride, padding, dilation, groups);
    }
}
