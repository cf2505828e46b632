package dev.wick.nn.loss;

import static dev.wick.nn.loss.Natives.call;
import static dev.wick.nn.loss.Natives.callClassLoss;
import static dev.wick.nn.loss.Natives.checkFloatInput;
import static dev.wick.nn.loss.Natives.checkSameShapeFloat;
import static dev.wick.nn.loss.Natives.describe;
import static dev.wick.nn.loss.Natives.notNull;
import static dev.wick.nn.loss.Natives.opt;
import static dev.wick.nn.loss.Natives.sameShape;
import static dev.wick.nn.loss.Natives.shapeString;

import java.util.Objects;

import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * The loss functions, as {@code torch.nn.functional}'s: each has a short form {@code (input, target)}
 * with PyTorch's defaults and a full form taking the loss's options record. The loss modules
 * ({@link CrossEntropyLoss}, {@link MSELoss}, ...) call these.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(logits, labels);                       // (B, C), (B) int64
 * Tensor smooth = Losses.crossEntropy(logits, labels,
 *         CrossEntropyLoss.Options.defaults().withLabelSmoothing(0.1));
 * Tensor perElement = Losses.mseLoss(pred, y, MSELoss.Options.defaults().withReduction(Reduction.NONE));
 * }</pre>
 *
 * <p>All run libtorch's fused kernels, so values and gradients are PyTorch's. Shapes and dtypes are
 * checked in Java first (a few cheap metadata reads), and a bad one raises an
 * {@link IllegalArgumentException} naming the expected and the actual:
 * {@code CrossEntropyLoss: target must be int64 class indices of shape [4] or float probabilities of
 * shape [4, 10]; got float32 [4]}. A class index outside {@code [0, C)} is reported by the native
 * kernel and mapped to {@code CrossEntropyLoss: class index 12 out of range [0, 10)}.
 *
 * <p>Unlike PyTorch, the element-wise losses ({@code mseLoss}, {@code l1Loss}, {@code smoothL1Loss},
 * {@code huberLoss}, {@code binaryCrossEntropy}, {@code binaryCrossEntropyWithLogits}, {@code klDiv})
 * require the target to have the input's shape and dtype instead of broadcasting it.
 */
public final class Losses {
    private Losses() {}

    // ================================================================== classification

    /** {@link #crossEntropy(Tensor, Tensor, CrossEntropyLoss.Options)} with PyTorch's defaults. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, CrossEntropyLoss.Options.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * Cross entropy between logits and targets ({@code F.cross_entropy}).
     *
     * <p>Shapes: input {@code (C)}, {@code (N, C)} or {@code (N, C, d1, ...)} of unnormalised scores;
     * target either int64 class indices of shape {@code ()}, {@code (N)} or {@code (N, d1, ...)}, or
     * class probabilities of the input's shape and dtype. With class indices {@code y}, weights
     * {@code w} and smoothing {@code ε}, per sample:
     * {@code l = -(1-ε) w[y] log p[y] - (ε/C) Σ_c w[c] log p[c]}, where {@code p = softmax(input)};
     * samples whose target is {@code ignoreIndex} contribute nothing, and {@code MEAN} divides by
     * {@code Σ w[y]} over the samples kept. With probabilities {@code q}:
     * {@code l = -Σ_c w[c] q'[c] log p[c]} with {@code q' = (1-ε) q + ε/C}, and {@code MEAN} divides by N.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, CrossEntropyLoss.Options options) {
        Objects.requireNonNull(options, "crossEntropy: options is null");
        return crossEntropy(input, target, options.weight(), options.ignoreIndex(), options.reduction(), options.labelSmoothing());
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        final String who = "CrossEntropyLoss";
        long c = checkClassScores(who, input);
        notNull(who, "target", target);
        if (sameShape(input, target)) {
            // class probabilities (PyTorch decides by the shapes alone)
            if (target.dtype() != input.dtype()) throw classTargetError(who, input, target, true);
            if (ignoreIndex >= 0)
                throw new IllegalArgumentException(who + ": ignore_index " + ignoreIndex
                        + " cannot be used with class probabilities as targets (got target " + describe(target) + ")");
        } else {
            checkClassIndices(who, input, target, true);
        }
        checkClassWeight(who, weight, input, c);
        try (TensorOptional w = opt(weight)) {
            return callClassLoss(who, c, () -> torch.cross_entropy_loss(input.unwrap(), target.unwrap(), w,
                    reduction.nativeValue, ignoreIndex, labelSmoothing));
        }
    }

    /** {@link #nllLoss(Tensor, Tensor, NLLLoss.Options)} with PyTorch's defaults. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, CrossEntropyLoss.Options.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood of class indices given log-probabilities ({@code F.nll_loss}):
     * {@code l = -w[y] input[y]}; {@code MEAN} divides by {@code Σ w[y]} over the samples whose target
     * is not {@code ignoreIndex}. Shapes as {@link #crossEntropy(Tensor, Tensor, CrossEntropyLoss.Options)}
     * with class indices.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, NLLLoss.Options options) {
        Objects.requireNonNull(options, "nllLoss: options is null");
        return nllLoss(input, target, options.weight(), options.ignoreIndex(), options.reduction());
    }

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        final String who = "NLLLoss";
        long c = checkClassScores(who, input);
        checkClassIndices(who, input, target, false);
        checkClassWeight(who, weight, input, c);
        try (TensorOptional w = opt(weight)) {
            return callClassLoss(who, c, () -> torch.nll_loss_nd(input.unwrap(), target.unwrap(), w,
                    reduction.nativeValue, ignoreIndex));
        }
    }

    /** Input of a class loss: floating point, (C), (N, C) or (N, C, d1, ...). Returns C. */
    private static long checkClassScores(String who, Tensor input) {
        notNull(who, "input", input);
        if (!input.isFloatingPoint() || input.dim() == 0)
            throw new IllegalArgumentException(who + ": input must be floating point scores of shape [C], [N, C] or [N, C, d1, ...]; got "
                    + describe(input));
        return input.dim() == 1 ? input.size(0) : input.size(1);
    }

    /** The shape class indices must have for {@code input}: input's shape without the class dim. */
    private static long[] indexShape(Tensor input) {
        long[] s = input.shape();
        if (s.length == 1) return new long[0];
        long[] out = new long[s.length - 1];
        out[0] = s[0];
        System.arraycopy(s, 2, out, 1, s.length - 2);
        return out;
    }

    private static void checkClassIndices(String who, Tensor input, Tensor target, boolean probabilitiesAllowed) {
        notNull(who, "target", target);
        boolean ok = target.dtype() == DType.INT64 && target.dim() == Math.max(0, input.dim() - 1);
        if (ok) {
            if (input.dim() >= 2) {
                ok = target.size(0) == input.size(0);
                for (int i = 2; ok && i < input.dim(); i++) ok = target.size(i - 1) == input.size(i);
            }
        }
        if (!ok) throw classTargetError(who, input, target, probabilitiesAllowed);
    }

    private static IllegalArgumentException classTargetError(String who, Tensor input, Tensor target, boolean probabilitiesAllowed) {
        String msg = who + ": target must be int64 class indices of shape " + shapeString(indexShape(input));
        if (probabilitiesAllowed) msg += " or " + input.dtype().torchName() + " probabilities of shape " + shapeString(input.shape());
        return new IllegalArgumentException(msg + "; got " + describe(target));
    }

    private static void checkClassWeight(String who, Tensor weight, Tensor input, long c) {
        if (weight == null) return;
        if (weight.dtype() != input.dtype() || weight.dim() != 1 || weight.size(0) != c)
            throw new IllegalArgumentException(who + ": weight must be " + input.dtype().torchName() + " of shape [" + c
                    + "] (one value per class, like the input); got " + describe(weight));
    }

    // ================================================================== regression

    /** {@link #mseLoss(Tensor, Tensor, MSELoss.Options)} with PyTorch's defaults. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, MSELoss.Options.defaults()); }

    /** Squared error {@code (input - target)²}, reduced ({@code F.mse_loss}). */
    public static Tensor mseLoss(Tensor input, Tensor target, MSELoss.Options options) {
        Objects.requireNonNull(options, "mseLoss: options is null");
        checkSameShapeFloat("MSELoss", input, target);
        return call("MSELoss", () -> torch.mse_loss(input.unwrap(), target.unwrap(), options.reduction().nativeValue));
    }

    /** {@link #l1Loss(Tensor, Tensor, L1Loss.Options)} with PyTorch's defaults. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, L1Loss.Options.defaults()); }

    /** Absolute error {@code |input - target|}, reduced ({@code F.l1_loss}). */
    public static Tensor l1Loss(Tensor input, Tensor target, L1Loss.Options options) {
        Objects.requireNonNull(options, "l1Loss: options is null");
        checkSameShapeFloat("L1Loss", input, target);
        return call("L1Loss", () -> torch.l1_loss(input.unwrap(), target.unwrap(), options.reduction().nativeValue));
    }

    /** {@link #smoothL1Loss(Tensor, Tensor, SmoothL1Loss.Options)} with PyTorch's defaults (beta 1). */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, SmoothL1Loss.Options.defaults()); }

    /**
     * Smooth L1 ({@code F.smooth_l1_loss}): with {@code d = |input - target|},
     * {@code l = 0.5 d² / beta} where {@code d < beta}, else {@code d - 0.5 beta}; {@code beta = 0} is L1.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, SmoothL1Loss.Options options) {
        Objects.requireNonNull(options, "smoothL1Loss: options is null");
        checkSameShapeFloat("SmoothL1Loss", input, target);
        long reduction = options.reduction().nativeValue;
        double beta = options.beta();
        if (beta == 0.0) return call("SmoothL1Loss", () -> torch.l1_loss(input.unwrap(), target.unwrap(), reduction));
        return call("SmoothL1Loss", () -> torch.smooth_l1_loss(input.unwrap(), target.unwrap(), reduction, beta));
    }

    /** {@link #huberLoss(Tensor, Tensor, HuberLoss.Options)} with PyTorch's defaults (delta 1). */
    public static Tensor huberLoss(Tensor input, Tensor target) { return huberLoss(input, target, HuberLoss.Options.defaults()); }

    /**
     * Huber loss ({@code F.huber_loss}): with {@code d = |input - target|}, {@code l = 0.5 d²} where
     * {@code d < delta}, else {@code delta (d - 0.5 delta)} (smooth L1 scaled by {@code delta}).
     */
    public static Tensor huberLoss(Tensor input, Tensor target, HuberLoss.Options options) {
        Objects.requireNonNull(options, "huberLoss: options is null");
        checkSameShapeFloat("HuberLoss", input, target);
        return call("HuberLoss", () -> torch.huber_loss(input.unwrap(), target.unwrap(), options.reduction().nativeValue, options.delta()));
    }

    // ================================================================== binary

    /** {@link #binaryCrossEntropy(Tensor, Tensor, BCELoss.Options)} with PyTorch's defaults. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy of probabilities ({@code F.binary_cross_entropy}):
     * {@code l = -w [y log x + (1-y) log(1-x)]}, each log clamped at -100 as PyTorch does. The input
     * must lie in [0, 1] (checked by the kernel); {@code weight} is broadcast to the input's shape.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, BCELoss.Options options) {
        Objects.requireNonNull(options, "binaryCrossEntropy: options is null");
        return binaryCrossEntropy(input, target, options.weight(), options.reduction());
    }

    static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        final String who = "BCELoss";
        checkSameShapeFloat(who, input, target);
        Tensor w = weight == null ? null : expandWeight(who, weight, input);
        try (TensorOptional wo = opt(w)) {
            return call(who, () -> torch.binary_cross_entropy(input.unwrap(), target.unwrap(), wo, reduction.nativeValue));
        } finally {
            if (w != null && w != weight) w.close();
        }
    }

    /** PyTorch expands BCE's weight to the target's shape before the kernel. */
    private static Tensor expandWeight(String who, Tensor weight, Tensor input) {
        checkLikeInput(who, "weight", weight, input);
        if (sameShape(weight, input)) return weight;
        try {
            return weight.expand(input.shape());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(who + ": weight of shape " + shapeString(weight.shape())
                    + " cannot be broadcast to the input shape " + shapeString(input.shape()));
        }
    }

    /** A weight tensor must have the input's dtype. */
    private static void checkLikeInput(String who, String name, Tensor weight, Tensor input) {
        if (weight.dtype() != input.dtype())
            throw new IllegalArgumentException(who + ": " + name + " must be " + input.dtype().torchName() + " like the input; got " + describe(weight));
    }

    /** {@link #binaryCrossEntropyWithLogits(Tensor, Tensor, BCEWithLogitsLoss.Options)} with PyTorch's defaults. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN, null);
    }

    /**
     * Binary cross entropy of logits, computed stably in one kernel
     * ({@code F.binary_cross_entropy_with_logits}):
     * {@code l = -w [p y log σ(x) + (1-y) log(1-σ(x))]}, where {@code p = posWeight} (broadcast along
     * the last dimension, one value per class) weighs the positive term and {@code w = weight} is
     * broadcast to the input.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, BCEWithLogitsLoss.Options options) {
        Objects.requireNonNull(options, "binaryCrossEntropyWithLogits: options is null");
        return binaryCrossEntropyWithLogits(input, target, options.weight(), options.reduction(), options.posWeight());
    }

    static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction, Tensor posWeight) {
        final String who = "BCEWithLogitsLoss";
        checkSameShapeFloat(who, input, target);
        if (weight != null) checkLikeInput(who, "weight", weight, input);
        if (posWeight != null) checkLikeInput(who, "pos_weight", posWeight, input);
        try (TensorOptional w = opt(weight); TensorOptional pw = opt(posWeight)) {
            return call(who, () -> torch.binary_cross_entropy_with_logits(input.unwrap(), target.unwrap(), w, pw, reduction.nativeValue));
        }
    }

    // ================================================================== distributions

    /** {@link #klDiv(Tensor, Tensor, KLDivLoss.Options)} with PyTorch's defaults (MEAN, target as probabilities). */
    public static Tensor klDiv(Tensor input, Tensor target) { return klDiv(input, target, KLDivLoss.Options.defaults()); }

    /**
     * Kullback-Leibler divergence of the target from the input ({@code F.kl_div}). The input holds
     * log-probabilities; the target probabilities, or log-probabilities with {@code logTarget}:
     * {@code l = y (log y - x)} (or {@code exp(y) (y - x)}). Use {@link Reduction#BATCHMEAN} for the
     * mathematical KL divergence; {@code MEAN} (PyTorch's default) also divides by the class count.
     */
    public static Tensor klDiv(Tensor input, Tensor target, KLDivLoss.Options options) {
        Objects.requireNonNull(options, "klDiv: options is null");
        final String who = "KLDivLoss";
        checkSameShapeFloat(who, input, target);
        Reduction reduction = options.reduction();
        Tensor out = call(who, () -> torch.kl_div(input.unwrap(), target.unwrap(), reduction.nativeValue, options.logTarget()));
        if (reduction != Reduction.BATCHMEAN || input.dim() == 0) return out;
        try (out) {
            return out.div((double) input.size(0));
        }
    }

    // ================================================================== pairs

    /** {@link #cosineEmbeddingLoss(Tensor, Tensor, Tensor, CosineEmbeddingLoss.Options)} with PyTorch's defaults (margin 0). */
    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target) {
        return cosineEmbeddingLoss(input1, input2, target, CosineEmbeddingLoss.Options.defaults());
    }

    /**
     * Cosine embedding loss ({@code F.cosine_embedding_loss}): with {@code c = cos(x1, x2)} per row,
     * {@code l = 1 - c} where the target is 1 and {@code max(0, c - margin)} where it is -1 (other
     * target values contribute 0). Shapes: inputs {@code (N, D)} with target {@code (N)}, or
     * {@code (D)} with a 0-dim target.
     */
    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, CosineEmbeddingLoss.Options options) {
        Objects.requireNonNull(options, "cosineEmbeddingLoss: options is null");
        final String who = "CosineEmbeddingLoss";
        checkPair(who, input1, input2, target);
        if (input1.dim() < 1 || input1.dim() > 2)
            throw new IllegalArgumentException(who + ": input1 must have shape [N, D] or [D]; got " + describe(input1));
        if (!sameShape(input1, input2) || input2.dtype() != input1.dtype())
            throw new IllegalArgumentException(who + ": input2 must be " + describe(input1) + " like input1; got " + describe(input2));
        boolean batched = input1.dim() == 2;
        if (target.dim() != input1.dim() - 1 || (batched && target.size(0) != input1.size(0)) || target.dtype() == DType.BOOL)
            throw new IllegalArgumentException(who + ": target must hold one 1 or -1 per row, of shape "
                    + (batched ? "[" + input1.size(0) + "]" : "[]") + "; got " + describe(target));
        return call(who, () -> torch.cosine_embedding_loss(input1.unwrap(), input2.unwrap(), target.unwrap(), options.margin(),
                options.reduction().nativeValue));
    }

    /** {@link #marginRankingLoss(Tensor, Tensor, Tensor, MarginRankingLoss.Options)} with PyTorch's defaults (margin 0). */
    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target) {
        return marginRankingLoss(input1, input2, target, MarginRankingLoss.Options.defaults());
    }

    /**
     * Margin ranking loss ({@code F.margin_ranking_loss}): {@code l = max(0, -y (x1 - x2) + margin)},
     * where the target {@code y} is 1 when {@code x1} should rank higher and -1 otherwise. The three
     * tensors have the same number of dimensions and broadcast together.
     */
    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target, MarginRankingLoss.Options options) {
        Objects.requireNonNull(options, "marginRankingLoss: options is null");
        final String who = "MarginRankingLoss";
        checkPair(who, input1, input2, target);
        if (input2.dim() != input1.dim() || target.dim() != input1.dim())
            throw new IllegalArgumentException(who + ": input1, input2 and target must have the same number of dimensions; got "
                    + describe(input1) + ", " + describe(input2) + " and " + describe(target));
        if (target.dtype() == DType.BOOL)
            throw new IllegalArgumentException(who + ": target must hold 1 or -1 (a number, not bool); got " + describe(target));
        return call(who, () -> torch.margin_ranking_loss(input1.unwrap(), input2.unwrap(), target.unwrap(), options.margin(),
                options.reduction().nativeValue));
    }

    /** Two floating-point inputs and a target, none null. */
    private static void checkPair(String who, Tensor input1, Tensor input2, Tensor target) {
        checkFloatInput(who, "input1", input1);
        checkFloatInput(who, "input2", input2);
        notNull(who, "target", target);
    }
}
