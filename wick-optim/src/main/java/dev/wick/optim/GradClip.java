package dev.wick.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}:
 * a public building block a training loop calls between {@code backward()} and {@code step()}.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = GradClip.clipGradNorm(model.parameters(), 1.0);   // returns the norm before clipping
 * opt.step();
 * }</pre>
 *
 * <p>Both work in place on the gradients of the parameters that have one, in a few native calls
 * ({@code _foreach_norm}, {@code _foreach_mul_}, {@code _foreach_clamp_*}).
 */
public final class GradClip {
    private GradClip() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm and no non-finite check. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without the non-finite check. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales the gradients so that their total norm is at most {@code maxNorm}; returns the total norm
     * before scaling (0 when no parameter has a gradient).
     *
     * <pre>
     *   N ← ‖(‖g_1‖_p, …, ‖g_n‖_p)‖_p        (the norm of all gradients as one vector; p may be ∞)
     *   g_i ← g_i · min(1, maxNorm / (N + 1e-6))
     * </pre>
     *
     * @param normType the p of the norm: any {@code p > 0}, or {@link Double#POSITIVE_INFINITY} for the max-norm
     * @param errorIfNonfinite when the total norm is NaN or infinite: throw (and leave the gradients
     *        untouched) if true; if false, scale anyway, as PyTorch does (the gradients become NaN or 0)
     * @throws IllegalArgumentException for a negative or NaN {@code maxNorm}, or a {@code normType} that is not > 0
     * @throws ArithmeticException when {@code errorIfNonfinite} and the total norm is not finite
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        Objects.requireNonNull(params, "params");
        if (!(maxNorm >= 0)) throw Check.invalid("max norm", maxNorm, "must be >= 0");
        if (!(normType > 0)) throw Check.invalid("norm type", normType, "must be > 0, or infinity");
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            List<Tensor> grads = grads(params);
            if (grads.isEmpty()) return 0.0;
            List<Tensor> norms = Foreach.norm(grads, normType);
            Tensor total = norms.size() == 1 ? norms.get(0) : Tensor.stack(norms, 0).norm(normType);
            double totalValue = total.item();
            if (errorIfNonfinite && !Double.isFinite(totalValue))
                throw new ArithmeticException("The total norm of order " + normType + " of the gradients is non-finite (" + totalValue
                        + "), so it cannot be clipped. To scale the gradients by it anyway, pass errorIfNonfinite = false");
            // as PyTorch: maxNorm / (N + 1e-6) in float32, the division being reciprocal * maxNorm
            Tensor coef = total.add(1e-6).reciprocal().mul(maxNorm).clampMax(1.0);
            Foreach.mul_(grads, coef);
            return totalValue;
        }
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]} in place.
     *
     * @throws IllegalArgumentException for a negative or NaN {@code clipValue}
     */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        Objects.requireNonNull(params, "params");
        if (!(clipValue >= 0)) throw Check.invalid("clip value", clipValue, "must be >= 0");
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            List<Tensor> grads = grads(params);
            if (grads.isEmpty()) return;
            Foreach.clampMin_(grads, -clipValue);
            Foreach.clampMax_(grads, clipValue);
        }
    }

    private static List<Tensor> grads(Iterable<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) out.add(g);
        }
        return out;
    }
}
