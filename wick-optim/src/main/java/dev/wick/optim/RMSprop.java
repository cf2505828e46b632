package dev.wick.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * RMSprop (Hinton's lecture 6e), PyTorch's {@code torch.optim.RMSprop}.
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), RMSprop.Options.lr(1e-3).withMomentum(0.9).withCentered(true));
 * }</pre>
 *
 * <p>Update (α = alpha, μ = momentum, λ = weight decay, γ = lr):
 * <pre>
 *   g ← −g if maximize;  g ← g + λ·p if λ ≠ 0
 *   v ← α·v + (1 − α)·g²                                 (square_avg)
 *   centered:  ḡ ← α·ḡ + (1 − α)·g;  a ← √(v − ḡ²) + eps   (grad_avg)
 *   else:      a ← √v + eps
 *   μ > 0:  b ← μ·b + g / a;  p ← p − γ·b                 (momentum_buffer)
 *   else:   p ← p − γ·g / a
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (an integer), {@code square_avg}, and
 * {@code momentum_buffer} when μ > 0, {@code grad_avg} when centered. Kernel: {@code _foreach_*} ops,
 * a handful of native calls per group.
 */
public final class RMSprop extends Optimizer {

    /** RMSprop's options; the defaults are PyTorch's (lr 1e-2, alpha 0.99, eps 1e-8). */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, alpha, eps, weightDecay, momentum, centered, maximize)));
        }

        public static Options defaults() { return new Options(1e-2, 0.99, 1e-8, 0.0, 0.0, false, false); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withAlpha(double alpha) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withEps(double eps) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withMomentum(double momentum) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withCentered(boolean centered) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, alpha, eps, weightDecay, momentum, centered, maximize); }

        private static Map<String, Object> map(double lr, double alpha, double eps, double wd, double momentum, boolean centered, boolean maximize) {
            return optionMap("lr", lr, "momentum", momentum, "alpha", alpha, "eps", eps, "centered", centered,
                    "weight_decay", wd, "foreach", null, "maximize", maximize, "differentiable", false);
        }
    }

    public RMSprop(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public RMSprop(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public RMSprop(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.lr(g);
        Check.eps(g);
        Check.nonNegative(g, "momentum", "momentum value");
        Check.weightDecay(g);
        Check.nonNegative(g, "alpha", "alpha value");
        Check.bool(g, "centered");
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
        Check.unsupportedTrue(g, "differentiable");
    }

    @Override
    List<StateKey> stateKeys(ParamGroup g) {
        List<StateKey> keys = new ArrayList<>(List.of(StateKey.stepCount(), StateKey.zeros("square_avg")));
        if (g.getDouble("momentum") > 0) keys.add(StateKey.zeros("momentum_buffer").whenMissing());
        if (g.getBoolean("centered")) keys.add(StateKey.zeros("grad_avg").whenMissing());
        return keys;
    }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            double momentum = g.getDouble("momentum");
            boolean centered = g.getBoolean("centered");
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            rmsprop(wg.params(), wg.grads(), st.get("square_avg"), centered ? st.get("grad_avg") : List.of(),
                    momentum > 0 ? st.get("momentum_buffer") : List.of(), g.lr(), g.getDouble("alpha"), g.getDouble("eps"),
                    g.getDouble("weight_decay"), momentum, centered, g.getBoolean("maximize"));
        });
    }

    /** The RMSprop kernel over lists, in place ({@code gradAvgs} used when centered, {@code momentumBuffers} when momentum > 0). */
    static void rmsprop(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs, List<Tensor> gradAvgs,
                        List<Tensor> momentumBuffers, double lr, double alpha, double eps, double weightDecay,
                        double momentum, boolean centered, boolean maximize) {
        List<Tensor> g = effectiveGrads(params, grads, maximize, weightDecay);
        Foreach.mul_(squareAvgs, alpha);
        Foreach.addcmul_(squareAvgs, g, g, 1 - alpha);
        List<Tensor> avg;
        if (centered) {
            Foreach.mul_(gradAvgs, alpha);
            Foreach.add_(gradAvgs, g, 1 - alpha);
            avg = Foreach.addcmul(squareAvgs, gradAvgs, gradAvgs, -1);
            Foreach.sqrt_(avg);
        } else {
            avg = Foreach.sqrt(squareAvgs);
        }
        Foreach.addScalar_(avg, eps);
        if (momentum > 0) {
            Foreach.mul_(momentumBuffers, momentum);
            Foreach.addcdiv_(momentumBuffers, g, avg, 1.0);
            Foreach.add_(params, momentumBuffers, -lr);
        } else {
            Foreach.addcdiv_(params, g, avg, -lr);
        }
    }
}
