package dev.wick.nn.loss;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.TensorOptional;

import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * Glue between the loss kernels and libtorch: optional-tensor arguments, error mapping, and the
 * cheap shape/dtype checks every loss runs before calling native code.
 *
 * <p>NOTE [native optionals]: Wick runs with JavaCPP's {@code nopointergc}, so a {@link TensorOptional}
 * is freed only by {@code close()}; {@link #opt(Tensor)} is used in try-with-resources.
 */
final class Natives {
    private Natives() {}

    /** libtorch's message for a class index outside [0, C) (nll_loss and cross_entropy, all paths). */
    private static final Pattern TARGET_OUT_OF_BOUNDS = Pattern.compile("Target (-?\\d+) is out of bounds");

    static TensorOptional opt(Tensor t) {
        return t == null ? new TensorOptional() : new TensorOptional(t.unwrap());
    }

    /** Runs a native loss and wraps its by-value result; libtorch errors become one-line messages. */
    static Tensor call(String who, Supplier<org.bytedeco.pytorch.Tensor> f) {
        org.bytedeco.pytorch.Tensor r;
        try {
            r = f.get();
        } catch (RuntimeException e) {
            throw TorchException.from(e, who);
        }
        return Tensor.wrap(r);
    }

    /**
     * As {@link #call}, for losses over class indices: libtorch's "Target 12 is out of bounds."
     * becomes "CrossEntropyLoss: class index 12 out of range [0, 10)".
     *
     * <p>NOTE [class-index range]: checking the range in Java would cost a min/max reduction over the
     * target on every step; the native kernel checks each index anyway, so its error is mapped instead.
     */
    static Tensor callClassLoss(String who, long numClasses, Supplier<org.bytedeco.pytorch.Tensor> f) {
        org.bytedeco.pytorch.Tensor r;
        try {
            r = f.get();
        } catch (RuntimeException e) {
            String m = e.getMessage();
            Matcher mt = m == null ? null : TARGET_OUT_OF_BOUNDS.matcher(m);
            if (mt != null && mt.find()) {
                IllegalArgumentException iae = new IllegalArgumentException(
                        who + ": class index " + mt.group(1) + " out of range [0, " + numClasses + ")");
                iae.setStackTrace(e.getStackTrace());
                throw iae;
            }
            throw TorchException.from(e, who);
        }
        return Tensor.wrap(r);
    }

    // ------------------------------------------------------------------ cheap checks

    /** {@code "float32 [4, 10]"}. */
    static String describe(Tensor t) {
        return t.dtype().torchName() + " " + Arrays.toString(t.shape());
    }

    static String shapeString(long[] shape) { return Arrays.toString(shape); }

    static boolean sameShape(Tensor a, Tensor b) {
        int d = a.dim();
        if (b.dim() != d) return false;
        for (int i = 0; i < d; i++) if (a.size(i) != b.size(i)) return false;
        return true;
    }

    static void notNull(String who, String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException(who + ": " + what + " is null");
    }

    static void checkFloatInput(String who, String what, Tensor t) {
        notNull(who, what, t);
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException(who + ": " + what + " must be floating point; got " + describe(t));
    }

    /**
     * The element-wise losses' contract: a floating-point input, and a target of the same shape and
     * dtype. PyTorch broadcasts a target of another shape with a warning (a classic silent bug:
     * [N, 1] against [N] gives an [N, N] loss); Wick rejects it.
     */
    static void checkSameShapeFloat(String who, Tensor input, Tensor target) {
        checkFloatInput(who, "input", input);
        notNull(who, "target", target);
        if (target.dtype() != input.dtype())
            throw new IllegalArgumentException(who + ": target must be " + input.dtype().torchName()
                    + " like the input; got " + describe(target));
        if (!sameShape(input, target))
            throw new IllegalArgumentException(who + ": target shape " + shapeString(target.shape())
                    + " must equal input shape " + shapeString(input.shape()));
    }

    /** An optional per-class or per-element weight given in an options record: floating point. */
    static Tensor checkOptionalFloat(String who, String what, Tensor t, boolean oneDim) {
        if (t == null) return null;
        if (!t.isFloatingPoint() || (oneDim && t.dim() != 1))
            throw new IllegalArgumentException("Invalid " + what + " for " + who + ": must be a "
                    + (oneDim ? "1-D " : "") + "floating point tensor; got " + describe(t));
        return t;
    }
}
