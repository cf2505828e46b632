package dev.wick.nn;

import java.util.Arrays;

/**
 * The optional settings of {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d}, with
 * PyTorch's defaults. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * new Conv2d(64, 128, 3, ConvOptions.defaults().withStride(2).withPadding(1).withBias(false));
 * new Conv2d(16, 16, 3, ConvOptions.defaults().withPadding("same").withGroups(16));
 * }</pre>
 *
 * Array settings take one value for every spatial dimension or one per dimension ({@code withStride(2, 1)}).
 */
public final class ConvOptions {
    private static final ConvOptions DEFAULTS = new ConvOptions(new long[]{1}, new long[]{0}, null, new long[]{1}, 1, true, "zeros", new long[]{0});

    final long[] stride;
    final long[] padding;
    /** "same" or "valid", or null when {@link #padding} is numeric. */
    final String paddingString;
    final long[] dilation;
    final long groups;
    final boolean bias;
    final String paddingMode;
    final long[] outputPadding;

    private ConvOptions(long[] stride, long[] padding, String paddingString, long[] dilation, long groups, boolean bias,
                        String paddingMode, long[] outputPadding) {
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        this.groups = groups;
        this.bias = bias;
        this.paddingMode = paddingMode;
        this.outputPadding = outputPadding;
    }

    /** stride 1, padding 0, dilation 1, groups 1, bias, padding mode "zeros", output padding 0. */
    public static ConvOptions defaults() { return DEFAULTS; }

    public ConvOptions withStride(long... stride) {
        return new ConvOptions(stride.clone(), padding, paddingString, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** Zero-padding (or {@link #withPaddingMode(String) paddingMode}) added on both sides of each spatial dim. */
    public ConvOptions withPadding(long... padding) {
        return new ConvOptions(stride, padding.clone(), null, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** {@code "same"} (output size = input size; stride must be 1) or {@code "valid"} (no padding). */
    public ConvOptions withPadding(String padding) {
        if (!"same".equals(padding) && !"valid".equals(padding))
            throw new IllegalArgumentException("Invalid padding string: '" + padding + "' (must be 'same' or 'valid')");
        return new ConvOptions(stride, new long[]{0}, padding, dilation, groups, bias, paddingMode, outputPadding);
    }

    public ConvOptions withDilation(long... dilation) {
        return new ConvOptions(stride, padding, paddingString, dilation.clone(), groups, bias, paddingMode, outputPadding);
    }

    /** Splits channels into {@code groups} independent convolutions; both channel counts must divide by it. */
    public ConvOptions withGroups(long groups) {
        if (groups <= 0) throw new IllegalArgumentException("Invalid groups: " + groups + " (must be > 0)");
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, paddingMode, outputPadding);
    }

    public ConvOptions withBias(boolean bias) {
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** How padding is filled: {@code "zeros"} (default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
    public ConvOptions withPaddingMode(String mode) {
        if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(mode))
            throw new IllegalArgumentException("Invalid padding_mode: '" + mode + "' (must be zeros, reflect, replicate or circular)");
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, mode, outputPadding);
    }

    /** Transposed convolutions only: extra size added to one side of the output. */
    public ConvOptions withOutputPadding(long... outputPadding) {
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, paddingMode, outputPadding.clone());
    }

    public boolean bias() { return bias; }
    public long groups() { return groups; }
    public String paddingMode() { return paddingMode; }
}
