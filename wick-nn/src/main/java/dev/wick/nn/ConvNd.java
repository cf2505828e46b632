package dev.wick.nn;

import dev.wick.tensor.Tensor;

/**
 * What {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d} share: the settings, the weight
 * and bias, PyTorch's default initialisation and printing.
 *
 * <p>Weight shape: (out, in/groups, *kernel) for a convolution, (in, out/groups, *kernel) for a
 * transposed one. Initialisation: Kaiming-uniform with {@code a = sqrt(5)} (so
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in))), then bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), where
 * fan_in is the weight's dim 1 times the kernel volume.
 *
 * <pre>{@code
 * for (Module m : net.modules())
 *     if (m instanceof ConvNd) Init.kaimingNormal(((ConvNd) m).weight(), 0, Init.FanMode.FAN_OUT, "relu");
 * }</pre>
 */
public abstract class ConvNd extends UnaryModule {
    protected final long inChannels;
    protected final long outChannels;
    protected final long[] kernelSize;
    protected final long[] stride;
    protected final long[] padding;
    /** "same"/"valid", or null for numeric {@link #padding}. */
    protected final String paddingString;
    protected final long[] dilation;
    protected final long[] outputPadding;
    protected final long groups;
    protected final String paddingMode;
    protected final boolean transposed;
    /** F.pad's argument for a non-"zeros" padding mode: (left, right) per dim, last dim first. */
    protected final long[] reversedPaddingRepeatedTwice;

    protected ConvNd(int dims, long inChannels, long outChannels, long[] kernelSize, ConvOptions o, boolean transposed) {
        String kind = getClass().getSimpleName();
        Layers.checkPositive("in_channels", inChannels);
        Layers.checkPositive("out_channels", outChannels);
        if (inChannels % o.groups != 0) throw new IllegalArgumentException("Invalid " + kind + ": in_channels (" + inChannels + ") must be divisible by groups (" + o.groups + ")");
        if (outChannels % o.groups != 0) throw new IllegalArgumentException("Invalid " + kind + ": out_channels (" + outChannels + ") must be divisible by groups (" + o.groups + ")");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = Layers.tuple("kernel_size", kernelSize, dims, 1);
        this.stride = Layers.tuple("stride", o.stride, dims, 1);
        this.padding = Layers.tuple("padding", o.padding, dims, 0);
        this.paddingString = o.paddingString;
        this.dilation = Layers.tuple("dilation", o.dilation, dims, 1);
        this.outputPadding = Layers.tuple("output_padding", o.outputPadding, dims, 0);
        this.groups = o.groups;
        this.paddingMode = o.paddingMode;
        this.transposed = transposed;
        if (transposed) {
            if (paddingString != null) throw new IllegalArgumentException("Invalid " + kind + ": padding '" + paddingString + "' is only supported by non-transposed convolutions");
            if (!paddingMode.equals("zeros")) throw new IllegalArgumentException("Invalid " + kind + ": only the 'zeros' padding mode is supported, got '" + paddingMode + "'");
            for (int i = 0; i < dims; i++) {
                if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i])
                    throw new IllegalArgumentException("Invalid " + kind + ": output_padding " + Layers.pyTuple(outputPadding)
                            + " must be smaller than either stride " + Layers.pyTuple(stride) + " or dilation " + Layers.pyTuple(dilation));
            }
        } else {
            for (long p : outputPadding) if (p != 0) throw new IllegalArgumentException("Invalid " + kind + ": output_padding applies to transposed convolutions only");
            if ("same".equals(paddingString)) {
                for (long s : stride) if (s != 1) throw new IllegalArgumentException("Invalid " + kind + ": padding='same' is not supported for strided convolutions (stride " + Layers.pyTuple(stride) + ")");
            }
        }
        reversedPaddingRepeatedTwice = new long[2 * dims];
        for (int i = 0; i < dims; i++) {
            long left, right;
            if ("same".equals(paddingString)) {
                long total = dilation[i] * (this.kernelSize[i] - 1);
                left = total / 2;
                right = total - left;
            } else if ("valid".equals(paddingString)) {
                left = right = 0;
            } else {
                left = right = padding[i];
            }
            int j = dims - 1 - i;
            reversedPaddingRepeatedTwice[2 * j] = left;
            reversedPaddingRepeatedTwice[2 * j + 1] = right;
        }
        long[] wShape = new long[dims + 2];
        wShape[0] = transposed ? inChannels : outChannels;
        wShape[1] = (transposed ? outChannels : inChannels) / groups;
        System.arraycopy(this.kernelSize, 0, wShape, 2, dims);
        registerParameter("weight", Tensor.empty(wShape));
        registerParameter("bias", o.bias ? Tensor.empty(outChannels) : null);
        resetParameters();
    }

    /** Re-draws weight and bias with PyTorch's default initialisation. */
    public void resetParameters() {
        Layers.kaimingUniformDefault(weight());
        Layers.fanInUniform(bias(), weight());
    }

    public Tensor weight() { return parameter("weight"); }

    /** The bias, or null when built without one. */
    public Tensor bias() { return parameter("bias"); }

    public long inChannels() { return inChannels; }
    public long outChannels() { return outChannels; }
    public long[] kernelSize() { return kernelSize.clone(); }
    public long[] stride() { return stride.clone(); }
    public long[] padding() { return padding.clone(); }
    public long[] dilation() { return dilation.clone(); }
    public long groups() { return groups; }

    /** The input padded by {@link #paddingMode} when it is not "zeros" (the convolution then gets padding 0). */
    protected Tensor padForMode(Tensor x) {
        return F.pad(x, reversedPaddingRepeatedTwice, paddingMode, 0.0);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Layers.pyTuple(kernelSize))
                .append(", stride=").append(Layers.pyTuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (!allEqual(padding, 0)) s.append(", padding=").append(Layers.pyTuple(padding));
        if (!allEqual(dilation, 1)) s.append(", dilation=").append(Layers.pyTuple(dilation));
        if (!allEqual(outputPadding, 0)) s.append(", output_padding=").append(Layers.pyTuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }

    private static boolean allEqual(long[] v, long x) {
        for (long e : v) if (e != x) return false;
        return true;
    }
}
