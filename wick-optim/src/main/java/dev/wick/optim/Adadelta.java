package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Adadelta (Zeiler, 2012), PyTorch's {@code torch.optim.Adadelta}.
 *
 * <pre>{@code
 * var opt = new Adadelta(model.parameters(), Adadelta.Options.defaults().withRho(0.95));
 * }</pre>
 *
 * <p>Update (ρ = rho, λ = weight decay, γ = lr):
 * <pre>
 *   g ← −g if maximize;  g ← g + λ·p if λ ≠ 0
 *   v ← ρ·v + (1 − ρ)·g²                          (square_avg)
 *   Δ ← √(u + eps) / √(v + eps) · g
 *   u ← ρ·u + (1 − ρ)·Δ²                          (acc_delta)
 *   p ← p − γ·Δ
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (an integer), {@code square_avg},
 * {@code acc_delta}. Kernel: {@code _foreach_*} ops.
 */
public final class Adadelta extends Optimizer {

    /** Adadelta's options; the defaults are PyTorch's (lr 1.0, rho 0.9, eps 1e-6). */
    public record Options(double lr, double rho, double eps, double weightDecay, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, rho, eps, weightDecay, maximize)));
        }

        public static Options defaults() { return new Options(1.0, 0.9, 1e-6, 0.0, false); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, rho, eps, weightDecay, maximize); }
        public Options withRho(double rho) { return new Options(lr, rho, eps, weightDecay, maximize); }
        public Options withEps(double eps) { return new Options(lr, rho, eps, weightDecay, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, rho, eps, weightDecay, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, rho, eps, weightDecay, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, rho, eps, weightDecay, maximize); }

        private static Map<String, Object> map(double lr, double rho, double eps, double wd, boolean maximize) {
            return optionMap("lr", lr, "rho", rho, "eps", eps, "weight_decay", wd, "maximize", maximize,
                    "foreach", null);
        }
    }

    public Adadelta(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public Adadelta(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public Adadelta(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.lr(g);
        Check.unitInterval(g, "rho", "rho value");
        Check.eps(g);
        Check.weightDecay(g);
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
    }

    private static final List<StateKey> STATE = List.of(StateKey.stepCount(), StateKey.zeros("square_avg"), StateKey.zeros("acc_delta"));

    @Override
    List<StateKey> stateKeys(ParamGroup g) { return STATE; }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            adadelta(wg.params(), wg.grads(), st.get("square_avg"), st.get("acc_delta"), g.lr(), g.getDouble("rho"), g.getDouble("eps"),
                    g.getDouble("weight_decay"), g.getBoolean("maximize"));
        });
    }

    /** The Adadelta kernel over lists, in place. */
    static void adadelta(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs, List<Tensor> accDeltas,
                         double lr, double rho, double eps, double weightDecay, boolean maximize) {
        List<Tensor> g = effectiveGrads(params, grads, maximize, weightDecay);
        Foreach.mul_(squareAvgs, rho);
        Foreach.addcmul_(squareAvgs, g, g, 1 - rho);
        List<Tensor> std = Foreach.addScalar(squareAvgs, eps);
        Foreach.sqrt_(std);
        List<Tensor> delta = Foreach.addScalar(accDeltas, eps);
        Foreach.sqrt_(delta);
        Foreach.divList_(delta, std);
        Foreach.mulList_(delta, g);
        Foreach.mul_(accDeltas, rho);
        Foreach.addcmul_(accDeltas, delta, delta, 1 - rho);
        Foreach.add_(params, delta, -lr);
    }
}
