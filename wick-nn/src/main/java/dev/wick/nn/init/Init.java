package dev.wick.nn.init;

import java.util.Arrays;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * Weight initialisation ({@code torch.nn.init}): each function fills a tensor in place, without
 * recording gradients, and returns it.
 *
 * <pre>{@code
 * Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, "relu");   // torchvision's ResNet
 * Init.constant(bn.weight(), 1);
 * Init.xavierUniform(fc.weight(), Init.calculateGain("tanh"), new Generator(7));
 * }</pre>
 *
 * Without a {@link Generator} the draws come from libtorch's default one, so after
 * {@code Engine.manualSeed(s)} the values are bit-identical to PyTorch's. The arithmetic of every
 * bound and standard deviation is done in the order PyTorch does it, for the same reason.
 */
public final class Init {
    private Init() {}

    /** Which fan {@link #kaimingUniform} and {@link #kaimingNormal} scale by. */
    public enum FanMode {
        /** Preserves the variance of activations in the forward pass (PyTorch's default). */
        FAN_IN,
        /** Preserves the variance of gradients in the backward pass. */
        FAN_OUT;

        /** Parses {@code "fan_in"} / {@code "fan_out"}. */
        public static FanMode parse(String s) {
            switch (s) {
                case "fan_in": return FAN_IN;
                case "fan_out": return FAN_OUT;
                default: throw new IllegalArgumentException("Invalid fan mode: '" + s + "' (must be 'fan_in' or 'fan_out')");
            }
        }
    }

    // ------------------------------------------------------------------ gains and fans

    /** {@link #calculateGain(String, double)} with leaky_relu's default slope 0.01. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /**
     * The recommended gain for a nonlinearity ({@code nn.init.calculate_gain}):
     * <pre>
     * linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid   1
     * tanh                                                    5/3
     * relu                                                    sqrt(2)
     * leaky_relu                                              sqrt(2 / (1 + negative_slope^2))
     * selu                                                    3/4
     * </pre>
     * {@code param} is leaky_relu's negative slope (NaN for the default 0.01); other nonlinearities ignore it.
     */
    public static double calculateGain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d":
            case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu": {
                double slope = Double.isNaN(param) ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException("Unsupported nonlinearity: '" + nonlinearity
                        + "' (expected linear, conv1d, conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu)");
        }
    }

    /**
     * {fan_in, fan_out} of a weight of at least 2 dims: dim 1 and dim 0 times the receptive field
     * (the product of the remaining dims).
     */
    public static long[] fans(Tensor t) {
        long[] s = t.shape();
        if (s.length < 2)
            throw new IllegalArgumentException("Fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape " + Arrays.toString(s) + ")");
        long receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        return new long[]{s[1] * receptive, s[0] * receptive};
    }

    private static long fan(Tensor t, FanMode mode) {
        long[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }

    // ------------------------------------------------------------------ plain fills

    /** Fills with U[a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator g) {
        if (!(a <= b)) throw new IllegalArgumentException("Invalid uniform range: a=" + a + " must be <= b=" + b);
        try (var ng = Autograd.noGrad()) { return t.uniform_(a, b, g); }
    }

    public static Tensor uniform(Tensor t, double a, double b) { return uniform(t, a, b, null); }

    /** Fills with N(mean, std^2). */
    public static Tensor normal(Tensor t, double mean, double std, Generator g) {
        if (!(std >= 0)) throw new IllegalArgumentException("Invalid standard deviation: " + std + " (must be >= 0)");
        try (var ng = Autograd.noGrad()) { return t.normal_(mean, std, g); }
    }

    public static Tensor normal(Tensor t, double mean, double std) { return normal(t, mean, std, null); }

    public static Tensor constant(Tensor t, double value) {
        try (var ng = Autograd.noGrad()) { return t.fill_(value); }
    }

    public static Tensor zeros(Tensor t) {
        try (var ng = Autograd.noGrad()) { return t.zero_(); }
    }

    public static Tensor ones(Tensor t) { return constant(t, 1); }

    /** The identity matrix in a 2-D tensor (ones on the diagonal of a rectangular one). */
    public static Tensor eye(Tensor t) {
        if (t.dim() != 2) throw new IllegalArgumentException("Only tensors with 2 dimensions are supported by eye, got shape " + Arrays.toString(t.shape()));
        try (var ng = Autograd.noGrad(); Tensor e = Tensor.eye(t.size(0), t.size(1))) {
            return t.copy_(e);
        }
    }

    // ------------------------------------------------------------------ Xavier / Glorot

    /** U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
        long[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (double) (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        try (var ng = Autograd.noGrad()) { return t.uniform_(-a, a, g); }
    }

    public static Tensor xavierUniform(Tensor t, double gain) { return xavierUniform(t, gain, null); }

    public static Tensor xavierUniform(Tensor t) { return xavierUniform(t, 1.0, null); }

    /** N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
        long[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (double) (f[0] + f[1]));
        try (var ng = Autograd.noGrad()) { return t.normal_(0.0, std, g); }
    }

    public static Tensor xavierNormal(Tensor t, double gain) { return xavierNormal(t, gain, null); }

    public static Tensor xavierNormal(Tensor t) { return xavierNormal(t, 1.0, null); }

    // ------------------------------------------------------------------ Kaiming / He

    /**
     * U(-bound, bound) with {@code bound = gain * sqrt(3 / fan)}, {@code gain = calculateGain(nonlinearity, a)}
     * ({@code a}: leaky_relu's negative slope).
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        long fan = fan(t, mode);
        if (fan == 0) return t;   // PyTorch warns and leaves a zero-element tensor alone
        double gain = calculateGain(nonlinearity, a);
        double std = gain / Math.sqrt((double) fan);
        double bound = Math.sqrt(3.0) * std;
        try (var ng = Autograd.noGrad()) { return t.uniform_(-bound, bound, g); }
    }

    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingUniform(t, a, mode, nonlinearity, null);
    }

    /** PyTorch's defaults: {@code a = 0}, fan_in, leaky_relu (gain sqrt(2)). */
    public static Tensor kaimingUniform(Tensor t) { return kaimingUniform(t, 0, FanMode.FAN_IN, "leaky_relu", null); }

    /** N(0, std^2) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        long fan = fan(t, mode);
        if (fan == 0) return t;
        double gain = calculateGain(nonlinearity, a);
        double std = gain / Math.sqrt((double) fan);
        try (var ng = Autograd.noGrad()) { return t.normal_(0.0, std, g); }
    }

    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingNormal(t, a, mode, nonlinearity, null);
    }

    public static Tensor kaimingNormal(Tensor t) { return kaimingNormal(t, 0, FanMode.FAN_IN, "leaky_relu", null); }

    // ------------------------------------------------------------------ truncated normal, orthogonal

    /**
     * N(mean, std^2) truncated to [a, b], by the inverse-CDF method: uniform in
     * [2 Phi(alpha) - 1, 2 Phi(beta) - 1], then {@code erfinv}, scaled and shifted, then clamped.
     */
    public static Tensor truncNormal(Tensor t, double mean, double std, double a, double b, Generator g) {
        if (!(std > 0)) throw new IllegalArgumentException("Invalid standard deviation: " + std + " (must be > 0)");
        if (!(a < b)) throw new IllegalArgumentException("Invalid truncation range: a=" + a + " must be < b=" + b);
        double l = normCdf((a - mean) / std);
        double u = normCdf((b - mean) / std);
        try (var ng = Autograd.noGrad()) {
            t.uniform_(2 * l - 1, 2 * u - 1, g);
            t.unwrap().erfinv_();
            t.mul_(std * Math.sqrt(2.0));
            t.add_(mean);
            return t.clamp_(a, b);
        } catch (RuntimeException e) {
            throw TorchException.from(e, "trunc_normal_");
        }
    }

    /** PyTorch's defaults: mean 0, std 1, truncated to [-2, 2]. */
    public static Tensor truncNormal(Tensor t, double mean, double std) { return truncNormal(t, mean, std, -2, 2, null); }

    /** Phi(x) = (1 + erf(x / sqrt 2)) / 2, with erf computed by libtorch in float64. */
    private static double normCdf(double x) {
        try (Tensor v = Tensor.scalar(x / Math.sqrt(2.0), DType.FLOAT64); Tensor e = v.erf()) {
            return (1.0 + e.item()) / 2.0;
        }
    }

    /**
     * A (semi-)orthogonal matrix: the Q of a QR decomposition of a standard-normal (rows, cols)
     * matrix, signs fixed by R's diagonal, times {@code gain}. Dims after the first are flattened.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator g) {
        if (t.dim() < 2) throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported by orthogonal, got shape " + Arrays.toString(t.shape()));
        if (t.numel() == 0) return t;
        long rows = t.size(0);
        long cols = t.numel() / rows;
        try (var ng = Autograd.noGrad(); var s = dev.wick.tensor.Scope.open()) {
            Tensor flat = Tensor.empty(t.dtype(), rows, cols).normal_(0, 1, g);
            if (rows < cols) flat = flat.t();
            org.bytedeco.pytorch.T_TensorTensor_T qr = org.bytedeco.pytorch.global.torch.linalg_qr(flat.unwrap());
            Tensor q = Tensor.wrap(new org.bytedeco.pytorch.Tensor(qr.get0()));
            Tensor r = Tensor.wrap(new org.bytedeco.pytorch.Tensor(qr.get1()));
            qr.close();
            Tensor ph = r.diag().sign();
            q = q.mul(ph);
            if (rows < cols) q = q.t();
            t.viewAs(q).copy_(q);
            t.mul_(gain);
            return t;
        } catch (RuntimeException e) {
            throw TorchException.from(e, "orthogonal_");
        }
    }

    public static Tensor orthogonal(Tensor t, double gain) { return orthogonal(t, gain, null); }

    public static Tensor orthogonal(Tensor t) { return orthogonal(t, 1.0, null); }
}
