package dev.wick.nn;

import java.util.Arrays;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;

import dev.wick.nn.loss.BCELoss;
import dev.wick.nn.loss.BCEWithLogitsLoss;
import dev.wick.nn.loss.CosineEmbeddingLoss;
import dev.wick.nn.loss.CrossEntropyLoss;
import dev.wick.nn.loss.HuberLoss;
import dev.wick.nn.loss.KLDivLoss;
import dev.wick.nn.loss.L1Loss;
import dev.wick.nn.loss.Losses;
import dev.wick.nn.loss.MSELoss;
import dev.wick.nn.loss.MarginRankingLoss;
import dev.wick.nn.loss.NLLLoss;
import dev.wick.nn.loss.SmoothL1Loss;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;

/**
 * The functional forms of the layers ({@code torch.nn.functional}): stateless, each one or a few
 * fused libtorch calls.
 *
 * <pre>{@code
 * Tensor h = F.relu(F.maxPool2d(F.conv2d(x, w, b), 2));   // (B, C, H/2, W/2)
 * Tensor p = F.softmax(F.linear(h.flatten(1, -1), w2, b2), 1);
 * }</pre>
 *
 * The losses ({@code F.crossEntropy}, {@code F.mseLoss}, ...) delegate to {@link Losses}.
 * Array arguments ({@code stride}, {@code padding}, ...) take one value for every spatial dimension
 * or one value per dimension, as PyTorch's int-or-tuple arguments. A null bias means none.
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------------ activations

    public static Tensor relu(Tensor x) { return Native.call("relu", () -> torch.relu(x.unwrap())); }

    /** In-place ReLU; returns {@code x}. */
    public static Tensor relu_(Tensor x) { return x.relu_(); }

    /** {@code max(0, x) + negativeSlope * min(0, x)}. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Native.call("leaky_relu", () -> { try (Scalar s = new Scalar(negativeSlope)) { return torch.leaky_relu(x.unwrap(), s); } });
    }

    public static Tensor leakyRelu(Tensor x) { return leakyRelu(x, 0.01); }

    /** {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}. */
    public static Tensor elu(Tensor x, double alpha) {
        return Native.call("elu", () -> {
            try (Scalar a = new Scalar(alpha); Scalar one = new Scalar(1.0); Scalar one2 = new Scalar(1.0)) {
                return torch.elu(x.unwrap(), a, one, one2);
            }
        });
    }

    public static Tensor elu(Tensor x) { return elu(x, 1.0); }

    /** Exact GELU, {@code x * Phi(x)}. */
    public static Tensor gelu(Tensor x) { return gelu(x, "none"); }

    /** GELU with {@code approximate} {@code "none"} (exact, erf) or {@code "tanh"} (the tanh approximation). */
    public static Tensor gelu(Tensor x, String approximate) {
        checkGeluApproximate(approximate);
        return Native.call("gelu", () -> torch.gelu(x.unwrap(), approximate));
    }

    static void checkGeluApproximate(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate))
            throw new IllegalArgumentException("Invalid GELU approximation: '" + approximate + "' (must be 'none' or 'tanh')");
    }

    /** {@code x * sigmoid(x)} (swish). */
    public static Tensor silu(Tensor x) { return Native.call("silu", () -> torch.silu(x.unwrap())); }

    /** {@code x * tanh(softplus(x))}. */
    public static Tensor mish(Tensor x) { return Native.call("mish", () -> torch.mish(x.unwrap())); }

    public static Tensor sigmoid(Tensor x) { return Native.call("sigmoid", () -> torch.sigmoid(x.unwrap())); }

    public static Tensor tanh(Tensor x) { return Native.call("tanh", () -> torch.tanh(x.unwrap())); }

    /** {@code x * relu6(x + 3) / 6}. */
    public static Tensor hardswish(Tensor x) { return Native.call("hardswish", () -> torch.hardswish(x.unwrap())); }

    public static Tensor softmax(Tensor x, long dim) { return Native.call("softmax", () -> torch.softmax(x.unwrap(), dim)); }

    public static Tensor logSoftmax(Tensor x, long dim) { return Native.call("log_softmax", () -> torch.log_softmax(x.unwrap(), dim)); }

    // ------------------------------------------------------------------ linear

    /** {@code x @ weight^T + bias}; weight is (out, in), bias (out) or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        // torch::nn::functional::linear takes the bias as a plain (possibly undefined) tensor: no optional to allocate
        return Native.call("linear", () -> torch.linear(x.unwrap(), weight.unwrap(), Native.orUndefined(bias)));
    }

    /** {@code y[k] = x1^T weight[k] x2 + bias[k]}; weight is (out, in1, in2), bias (out) or null. */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) {
        return Native.call("bilinear", () -> { try (Native.Opt b = Native.opt(bias)) { return torch.bilinear(x1.unwrap(), x2.unwrap(), weight.unwrap(), b.value); } });
    }

    // ------------------------------------------------------------------ convolutions

    /** 1-D convolution with stride 1, no padding. Input (N, C_in, L) or (C_in, L); weight (C_out, C_in/groups, k). */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
        return conv1d(x, weight, bias, new long[]{1}, new long[]{0}, new long[]{1}, 1);
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] padding, long[] dilation, long groups) {
        return Native.call("conv1d", () -> { try (Native.Opt b = Native.opt(bias)) {
            return torch.conv1d(x.unwrap(), weight.unwrap(), b.value, stride, padding, dilation, groups); } });
    }

    /** 1-D convolution with padding {@code "same"} or {@code "valid"}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, long[] stride, String padding, long[] dilation, long groups) {
        checkPaddingString(padding, stride);
        return Native.call("conv1d", () -> { try (Native.Opt b = Native.opt(bias)) {
            return torch.conv1d(x.unwrap(), weight.unwrap(), b.value, stride, padding, dilation, groups); } });
    }

    /** 2-D convolution with stride 1, no padding. Input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in/groups, kH, kW). */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, new long[]{1}, new long[]{0}, new long[]{1}, 1);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] padding, long[] dilation, long groups) {
        return Native.call("conv2d", () -> { try (Native.Opt b = Native.opt(bias)) {
            return torch.conv2d(x.unwrap(), weight.unwrap(), b.value, stride, padding, dilation, groups); } });
    }

    /** 2-D convolution with padding {@code "same"} (output size = input size; stride must be 1) or {@code "valid"}. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, long[] stride, String padding, long[] dilation, long groups) {
        checkPaddingString(padding, stride);
        return Native.call("conv2d", () -> { try (Native.Opt b = Native.opt(bias)) {
            return torch.conv2d(x.unwrap(), weight.unwrap(), b.value, stride, padding, dilation, groups); } });
    }

    static void checkPaddingString(String padding, long[] stride) {
        if ("valid".equals(padding)) return;
        if (!"same".equals(padding)) throw new IllegalArgumentException("Invalid padding string: '" + padding + "' (must be 'same' or 'valid')");
        for (long s : stride) if (s != 1) throw new IllegalArgumentException("padding='same' is not supported for strided convolutions (stride " + Arrays.toString(stride) + ")");
    }

    /**
     * Transposed 2-D convolution ("deconvolution"); weight is (C_in, C_out/groups, kH, kW). Output size
     * per dimension: {@code (in - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] padding,
                                         long[] outputPadding, long groups, long[] dilation) {
        return Native.call("conv_transpose2d", () -> { try (Native.Opt b = Native.opt(bias)) {
            return torch.conv_transpose2d(x.unwrap(), weight.unwrap(), b.value, stride, padding, outputPadding, groups, dilation); } });
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, new long[]{1}, new long[]{0}, new long[]{0}, 1, new long[]{1});
    }

    /** Pads the last dimensions: {@code pad} lists (left, right) for the last dim, then the one before, ...; mode constant, reflect, replicate or circular. */
    public static Tensor pad(Tensor x, long[] pad, String mode, double value) {
        if (pad.length % 2 != 0) throw new IllegalArgumentException("Invalid padding " + Arrays.toString(pad) + ": its length must be even");
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("replicate") && !mode.equals("circular"))
            throw new IllegalArgumentException("Invalid padding mode: '" + mode + "' (must be constant, reflect, replicate or circular)");
        return Native.call("pad", () -> {
            try (DoubleOptional v = mode.equals("constant") ? new DoubleOptional(value) : new DoubleOptional()) {
                return torch.pad(x.unwrap(), pad, mode, v);
            }
        });
    }

    public static Tensor pad(Tensor x, long... pad) { return pad(x, pad, "constant", 0.0); }

    // ------------------------------------------------------------------ pooling

    /** 1-D max pooling with stride = kernel size. */
    public static Tensor maxPool1d(Tensor x, long kernelSize) {
        return maxPool1d(x, new long[]{kernelSize}, new long[]{kernelSize}, new long[]{0}, new long[]{1}, false);
    }

    public static Tensor maxPool1d(Tensor x, long[] kernelSize, long[] stride, long[] padding, long[] dilation, boolean ceilMode) {
        return Native.call("max_pool1d", () -> torch.max_pool1d(x.unwrap(), kernelSize, stride, padding, dilation, ceilMode));
    }

    /** 2-D max pooling with a square window and stride = kernel size ({@code F.max_pool2d(x, 2)}). */
    public static Tensor maxPool2d(Tensor x, long kernelSize) {
        return maxPool2d(x, new long[]{kernelSize}, new long[]{kernelSize}, new long[]{0}, new long[]{1}, false);
    }

    public static Tensor maxPool2d(Tensor x, long kernelSize, long stride) {
        return maxPool2d(x, new long[]{kernelSize}, new long[]{stride}, new long[]{0}, new long[]{1}, false);
    }

    /**
     * 2-D max pooling ({@code F.max_pool2d}); the sizes take one value (both dimensions) or two.
     *
     * <p>NOTE [channels-last max pool]: libtorch's max pool over a plain (NCHW) tensor is a scalar
     * loop; its channels-last kernel is vectorised over channels. For non-overlapping windows (stride ≥
     * kernel, no padding, no dilation, no ceil mode) on a float32 NCHW tensor of 128K to 4M elements,
     * Wick finds each window's maximum with the channels-last kernel on a channels-last copy (no
     * gradient recorded), then takes those elements from the input with {@code gather}, whose backward
     * puts each gradient back on its element of a plain zero tensor. Same values and same gradients as
     * libtorch's own max pool, bit for bit: the same element wins each window (ties and NaN included),
     * and with non-overlapping windows each input element receives at most one gradient, written into a
     * zero, so nothing is summed in another order. Forward + backward on this project's 2-core AMD EPYC
     * (µs, same minute): [64, 10, 24, 24] (W2's first pool) 661 → 463, [64, 64, 16, 16] 4,432 → 2,500,
     * [32, 64, 32, 32] 7,159 → 6,025, [16, 128, 56, 56] 21,331 → 11,521; a W2 training step 5,524 →
     * 4,921 µs (3 runs alternating the two pools step by step: 7-11 % faster). Below the window the
     * extra ops cost more than they save ([64, 20, 8, 8] 128 → 167), above it the copy no longer fits the cache ([32, 64, 64, 64] 37.6 →
     * 45.5 ms); overlapping windows keep libtorch's kernel. Pooling the channels-last copy and returning
     * it as is would be as fast forward but hands the convolution below a channels-last gradient
     * (+650-830 µs per W2 step in oneDNN's backward). {@code -Dwick.nn.channelsLastMaxPool=false}
     * turns the rule off.
     */
    public static Tensor maxPool2d(Tensor x, long[] kernelSize, long[] stride, long[] padding, long[] dilation, boolean ceilMode) {
        if (CHANNELS_LAST_MAX_POOL && channelsLastPoolPays(x, kernelSize, stride, padding, dilation, ceilMode))
            return maxPool2dViaChannelsLast(x, kernelSize, stride, padding, dilation);
        return Native.call("max_pool2d", () -> torch.max_pool2d(x.unwrap(), kernelSize, stride, padding, dilation, ceilMode));
    }

    private static final boolean CHANNELS_LAST_MAX_POOL =
            Boolean.parseBoolean(System.getProperty("wick.nn.channelsLastMaxPool", "true"));
    private static final long CL_POOL_MIN = 128L << 10, CL_POOL_MAX = 4L << 20;   // elements

    /** See NOTE [channels-last max pool]. */
    static boolean channelsLastPoolPays(Tensor x, long[] kernel, long[] stride, long[] padding, long[] dilation, boolean ceilMode) {
        if (ceilMode || x.dim() != 4 || x.dtype() != DType.FLOAT32 || !x.unwrap().is_cpu()) return false;
        for (int d = 0; d < 2; d++) {
            long k = pick(kernel, d), s = stride.length == 0 ? k : pick(stride, d);
            if (s < k || pick(padding, d) != 0 || pick(dilation, d) != 1) return false;
        }
        long n = x.numel();
        return n >= CL_POOL_MIN && n <= CL_POOL_MAX && x.unwrap().is_contiguous();
    }

    /** NOTE [channels-last max pool]: the winners from the channels-last kernel, then a gather. */
    private static Tensor maxPool2dViaChannelsLast(Tensor x, long[] kernel, long[] stride, long[] padding, long[] dilation) {
        boolean grad = x.requiresGrad() && Autograd.isGradEnabled();
        long[] outHw = new long[2];
        Tensor r = Native.call("max_pool2d", () -> {
            try (Autograd.Guard g = Autograd.noGrad();
                 org.bytedeco.pytorch.Tensor cl = x.unwrap().contiguous(torch.MemoryFormat.ChannelsLast);
                 org.bytedeco.pytorch.T_TensorTensor_T pooled = torch.max_pool2d_with_indices(cl, kernel, stride, padding, dilation, false);
                 org.bytedeco.pytorch.Tensor values = pooled.get0();
                 org.bytedeco.pytorch.Tensor indices = pooled.get1()) {
                outHw[0] = values.size(2);
                outHw[1] = values.size(3);
                return grad ? indices.flatten(2, -1) : values.contiguous();   // both in the plain layout
            }
        });
        if (!grad) return r;
        long[] shape = x.shape();
        Tensor picked = x.flatten(2, -1).gather(2, r).view(shape[0], shape[1], outHw[0], outHw[1]);
        r.close();                                                  // gather keeps what its backward needs
        return picked;
    }

    private static long pick(long[] v, int d) { return v.length == 1 ? v[0] : v[d]; }

    /** 2-D average pooling with stride = kernel size. */
    public static Tensor avgPool2d(Tensor x, long kernelSize) {
        return avgPool2d(x, new long[]{kernelSize}, new long[]{kernelSize}, new long[]{0}, false, true, null);
    }

    /** 2-D average pooling; {@code divisorOverride} null divides by the window size. */
    public static Tensor avgPool2d(Tensor x, long[] kernelSize, long[] stride, long[] padding, boolean ceilMode,
                                   boolean countIncludePad, Long divisorOverride) {
        return Native.call("avg_pool2d", () -> {
            try (LongOptional d = divisorOverride == null ? new LongOptional() : new LongOptional(divisorOverride)) {
                return torch.avg_pool2d(x.unwrap(), kernelSize, stride, padding, ceilMode, countIncludePad, d);
            }
        });
    }

    /** Average pooling to a fixed output size (H_out, W_out), or one size for both. */
    public static Tensor adaptiveAvgPool2d(Tensor x, long... outputSize) {
        if (outputSize.length != 1 && outputSize.length != 2)
            throw new IllegalArgumentException("Invalid output size " + Arrays.toString(outputSize) + " for adaptive_avg_pool2d (one or two sizes)");
        long[] size = outputSize.length == 1 ? new long[]{outputSize[0], outputSize[0]} : outputSize;
        return Native.call("adaptive_avg_pool2d", () -> torch.adaptive_avg_pool2d(x.unwrap(), size));
    }

    // ------------------------------------------------------------------ normalisation

    /**
     * Batch normalisation over dim 1. In training the batch statistics normalise and, when running
     * statistics are given, update them in place: {@code running = (1 - momentum) * running + momentum * batch}
     * (the variance term unbiased). Otherwise the running statistics normalise.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Native.call("batch_norm", () -> {
            try (Native.Opt w = Native.opt(weight); Native.Opt b = Native.opt(bias);
                 Native.Opt m = Native.opt(runningMean); Native.Opt v = Native.opt(runningVar)) {
                return torch.batch_norm(x.unwrap(), w.value, b.value, m.value, v.value, training, momentum, eps, false);
            }
        });
    }

    /** Normalises over the last {@code normalizedShape.length} dims, then scales and shifts (either may be null). */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Native.call("layer_norm", () -> {
            try (Native.Opt w = Native.opt(weight); Native.Opt b = Native.opt(bias)) {
                return torch.layer_norm(x.unwrap(), normalizedShape, w.value, b.value, eps, false);
            }
        });
    }

    /** Normalises each of {@code numGroups} channel groups of each sample; weight/bias are per channel (or null). */
    public static Tensor groupNorm(Tensor x, long numGroups, Tensor weight, Tensor bias, double eps) {
        return Native.call("group_norm", () -> {
            try (Native.Opt w = Native.opt(weight); Native.Opt b = Native.opt(bias)) {
                return torch.group_norm(x.unwrap(), numGroups, w.value, b.value, eps, false);
            }
        });
    }

    // ------------------------------------------------------------------ dropout

    /**
     * Zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)} when
     * {@code training}; otherwise returns {@code x}. Draws from libtorch's default generator, so
     * after {@code Engine.manualSeed(s)} the mask equals PyTorch's.
     */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, null);
    }

    /** Dropout drawing its mask from {@code generator} (null: the default generator). */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        checkDropoutP(p);
        if (!training || p == 0 || x.numel() == 0) return x;
        if (generator == null) return Native.call("dropout", () -> torch.dropout(x.unwrap(), p, true));
        try (Tensor noise = x.emptyLike()) {
            return maskedScale(x, noise, p, generator);
        }
    }

    /**
     * Zeroes whole channels: input (N, C, H, W) or (N, C, L); each (n, c) plane is dropped with
     * probability {@code p}, survivors scaled by {@code 1/(1-p)}.
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training) {
        return dropout2d(x, p, training, null);
    }

    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator generator) {
        checkDropoutP(p);
        if (x.dim() != 3 && x.dim() != 4)
            throw new IllegalArgumentException("dropout2d: expected a 3-D or 4-D input, got shape " + Arrays.toString(x.shape()));
        if (!training || p == 0 || x.numel() == 0) return x;
        if (generator == null) return Native.call("feature_dropout", () -> torch.feature_dropout(x.unwrap(), p, true));
        long[] noiseShape = x.shape();
        for (int i = 2; i < noiseShape.length; i++) noiseShape[i] = 1;  // (N, C, 1, 1): one draw per channel
        try (Tensor noise = Tensor.empty(x.dtype(), noiseShape)) {
            return maskedScale(x, noise, p, generator);
        }
    }

    /** {@code x * bernoulli(1 - p) / (1 - p)}, in libtorch's order of operations and draws. */
    private static Tensor maskedScale(Tensor x, Tensor noise, double p, Generator generator) {
        if (p == 1) return x.mul(0.0);
        noise.bernoulli_(1 - p, generator).div_(1 - p);
        return x.mul(noise);
    }

    static void checkDropoutP(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Invalid dropout probability: " + p + " (must be between 0 and 1)");
    }

    // ------------------------------------------------------------------ embedding

    /** Rows of {@code weight} (num, dim) picked by integer {@code indices}: output shape indices.shape + (dim). */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding(indices, weight, null, false);
    }

    /** As {@link #embedding(Tensor, Tensor)}; row {@code paddingIdx} (negative: from the end; null: none) gets no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, Long paddingIdx) {
        return embedding(indices, weight, paddingIdx, false);
    }

    /** As {@link #embedding(Tensor, Tensor, Long)}; with {@code scaleGradByFreq} each row's gradient is divided by its index's count in the batch. */
    public static Tensor embedding(Tensor indices, Tensor weight, Long paddingIdx, boolean scaleGradByFreq) {
        long pad = -1;
        if (paddingIdx != null) {
            long n = weight.size(0);
            if (paddingIdx >= n || paddingIdx < -n)
                throw new IllegalArgumentException("Invalid padding_idx: " + paddingIdx + " (must be within [-" + n + ", " + (n - 1) + "])");
            pad = paddingIdx < 0 ? n + paddingIdx : paddingIdx;
        }
        long p = pad;
        return Native.call("embedding", () -> torch.embedding(weight.unwrap(), indices.unwrap(), p, scaleGradByFreq, false));
    }

    // ------------------------------------------------------------------ losses (see dev.wick.nn.loss.Losses)

    /** Cross entropy of (B, C) scores against int64 class indices (B) or class probabilities; see {@link Losses#crossEntropy}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return Losses.crossEntropy(input, target); }

    public static Tensor crossEntropy(Tensor input, Tensor target, CrossEntropyLoss.Options options) { return Losses.crossEntropy(input, target, options); }

    /** Negative log-likelihood of (B, C) log-probabilities against int64 class indices; see {@link Losses#nllLoss}. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nllLoss(input, target); }

    public static Tensor nllLoss(Tensor input, Tensor target, NLLLoss.Options options) { return Losses.nllLoss(input, target, options); }

    /** Mean squared error; see {@link Losses#mseLoss}. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return Losses.mseLoss(input, target); }

    public static Tensor mseLoss(Tensor input, Tensor target, MSELoss.Options options) { return Losses.mseLoss(input, target, options); }

    /** Mean absolute error; see {@link Losses#l1Loss}. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return Losses.l1Loss(input, target); }

    public static Tensor l1Loss(Tensor input, Tensor target, L1Loss.Options options) { return Losses.l1Loss(input, target, options); }

    /** Smooth L1 (quadratic below beta, linear above); see {@link Losses#smoothL1Loss}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return Losses.smoothL1Loss(input, target); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target, SmoothL1Loss.Options options) { return Losses.smoothL1Loss(input, target, options); }

    /** Huber loss (quadratic below delta, linear above); see {@link Losses#huberLoss}. */
    public static Tensor huberLoss(Tensor input, Tensor target) { return Losses.huberLoss(input, target); }

    public static Tensor huberLoss(Tensor input, Tensor target, HuberLoss.Options options) { return Losses.huberLoss(input, target, options); }

    /** Binary cross entropy of probabilities; see {@link Losses#binaryCrossEntropy}. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return Losses.binaryCrossEntropy(input, target); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, BCELoss.Options options) { return Losses.binaryCrossEntropy(input, target, options); }

    /** Binary cross entropy of logits (sigmoid fused, stable); see {@link Losses#binaryCrossEntropyWithLogits}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) { return Losses.binaryCrossEntropyWithLogits(input, target); }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, BCEWithLogitsLoss.Options options) { return Losses.binaryCrossEntropyWithLogits(input, target, options); }

    /** Kullback-Leibler divergence of log-probabilities {@code input} from {@code target}; see {@link Losses#klDiv}. */
    public static Tensor klDiv(Tensor input, Tensor target) { return Losses.klDiv(input, target); }

    public static Tensor klDiv(Tensor input, Tensor target, KLDivLoss.Options options) { return Losses.klDiv(input, target, options); }

    /** Cosine embedding loss of pairs labelled 1 (similar) or -1 (dissimilar); see {@link Losses#cosineEmbeddingLoss}. */
    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target) { return Losses.cosineEmbeddingLoss(input1, input2, target); }

    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, CosineEmbeddingLoss.Options options) { return Losses.cosineEmbeddingLoss(input1, input2, target, options); }

    /** Margin ranking loss: {@code max(0, -target * (input1 - input2) + margin)}; see {@link Losses#marginRankingLoss}. */
    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target) { return Losses.marginRankingLoss(input1, input2, target); }

    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target, MarginRankingLoss.Options options) { return Losses.marginRankingLoss(input1, input2, target, options); }
}
