package dev.wick.nn;

import java.util.Arrays;

/** Validation and printing shared by the pooling layers. */
final class Pooling {
    private Pooling() {}

    static final class Settings {
        final long[] kernel, stride, padding, dilation;
        /** As the user gave them, for printing (PyTorch prints an int as an int). */
        final long[] kernelArg, strideArg, paddingArg, dilationArg;
        final boolean ceilMode, countIncludePad;
        final Long divisorOverride;

        Settings(String kind, int dims, long[] kernelSize, PoolOptions o) {
            kernel = Layers.tuple(kind + " kernel_size", kernelSize, dims, 1);
            stride = o.stride == null ? kernel : Layers.tuple(kind + " stride", o.stride, dims, 1);
            padding = Layers.tuple(kind + " padding", o.padding, dims, 0);
            dilation = Layers.tuple(kind + " dilation", o.dilation, dims, 1);
            kernelArg = kernelSize.clone();
            strideArg = o.stride == null ? kernelArg : o.stride;
            paddingArg = o.padding;
            dilationArg = o.dilation;
            ceilMode = o.ceilMode;
            countIncludePad = o.countIncludePad;
            divisorOverride = o.divisorOverride;
        }

        String maxRepr() {
            return "kernel_size=" + arg(kernelArg) + ", stride=" + arg(strideArg) + ", padding=" + arg(paddingArg)
                    + ", dilation=" + arg(dilationArg) + ", ceil_mode=" + Layers.pyBool(ceilMode);
        }

        String avgRepr() {
            return "kernel_size=" + arg(kernelArg) + ", stride=" + arg(strideArg) + ", padding=" + arg(paddingArg);
        }
    }

    static String arg(long[] v) { return v.length == 1 ? Long.toString(v[0]) : Layers.pyTuple(v); }

    static Settings max(String kind, int dims, long[] kernelSize, PoolOptions o) {
        Settings s = new Settings(kind, dims, kernelSize, o);
        if (!o.countIncludePad || o.divisorOverride != null)
            throw new IllegalArgumentException("Invalid " + kind + ": count_include_pad and divisor_override apply to average pooling only");
        for (int i = 0; i < dims; i++) {
            long effective = s.dilation[i] * (s.kernel[i] - 1) + 1;
            if (s.padding[i] > effective / 2)
                throw new IllegalArgumentException("Invalid " + kind + ": padding " + Arrays.toString(s.padding)
                        + " should be at most half of the effective kernel size " + Arrays.toString(s.kernel));
        }
        return s;
    }

    static Settings avg(String kind, int dims, long[] kernelSize, PoolOptions o) {
        Settings s = new Settings(kind, dims, kernelSize, o);
        for (long d : s.dilation) if (d != 1) throw new IllegalArgumentException("Invalid " + kind + ": dilation applies to max pooling only");
        for (int i = 0; i < dims; i++) {
            if (s.padding[i] > s.kernel[i] / 2)
                throw new IllegalArgumentException("Invalid " + kind + ": padding " + Arrays.toString(s.padding)
                        + " should be at most half of the kernel size " + Arrays.toString(s.kernel));
        }
        return s;
    }
}
