package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Adagrad (Duchi et al., 2011), PyTorch's {@code torch.optim.Adagrad}.
 *
 * <pre>{@code
 * var opt = new Adagrad(model.parameters(), Adagrad.Options.lr(0.1).withLrDecay(1e-4));
 * }</pre>
 *
 * <p>Update at step t (λ = weight decay, γ = lr, η = lr_decay):
 * <pre>
 *   g ← −g if maximize;  g ← g + λ·p if λ ≠ 0
 *   γ_t ← γ / (1 + (t − 1)·η)
 *   s ← s + g²                              (sum, starting at initial_accumulator_value)
 *   p ← p − γ_t · g / (√s + eps)
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (a float32 0-dim tensor) and {@code sum}, both
 * created when the parameter's group is added (not at the first step), as in PyTorch.
 * Kernel: libtorch's fused {@code _fused_adagrad_}, one native call per group.
 *
 * <p>NOTE [per-group initial_accumulator_value]: PyTorch fills every parameter's {@code sum} with the
 * constructor's {@code initial_accumulator_value} and ignores a value set on a group; Wick uses the
 * group's value (which is the constructor's unless the group sets its own), so the option a state
 * dict shows is the one that was applied.
 */
public final class Adagrad extends Optimizer {

    /** Adagrad's options; the defaults are PyTorch's (lr 1e-2, eps 1e-10). */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)));
        }

        public static Options defaults() { return new Options(1e-2, 0.0, 0.0, 0.0, 1e-10, false); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }
        public Options withLrDecay(double lrDecay) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }
        public Options withInitialAccumulatorValue(double v) { return new Options(lr, lrDecay, weightDecay, v, eps, maximize); }
        public Options withEps(double eps) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize); }

        private static Map<String, Object> map(double lr, double lrDecay, double wd, double initAcc, double eps, boolean maximize) {
            return optionMap("lr", lr, "lr_decay", lrDecay, "eps", eps, "weight_decay", wd,
                    "initial_accumulator_value", initAcc, "foreach", null, "maximize", maximize);
        }
    }

    public Adagrad(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public Adagrad(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public Adagrad(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.lr(g);
        Check.nonNegative(g, "lr_decay", "lr_decay value");
        Check.weightDecay(g);
        Check.nonNegative(g, "initial_accumulator_value", "initial_accumulator_value value");
        Check.eps(g);
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
    }

    /** Adds the group and creates its parameters' state at once, as PyTorch's Adagrad does. */
    @Override
    public void addParamGroup(ParamGroup group) {
        super.addParamGroup(group);
        double init = group.getDouble("initial_accumulator_value");
        for (Tensor p : group.params()) {
            Map<String, Object> st = state(p);
            st.put("step", newState(() -> Tensor.scalar(0.0)));
            st.put("sum", newState(() -> p.fullLike(init)));
        }
    }

    /** {@code sum} before {@code step}: a parameter left without state by a loaded state dict gets them in this order. */
    @Override
    List<StateKey> stateKeys(ParamGroup g) {
        return List.of(StateKey.full("sum", g.getDouble("initial_accumulator_value")).whenMissing(), StateKey.step());
    }

    @Override
    protected List<String> requiredStateKeys(ParamGroup g) { return List.of("step", "sum"); }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            adagrad(wg.params(), wg.grads(), st.get("sum"), st.get("step"), g.lr(), g.getDouble("lr_decay"), g.getDouble("weight_decay"),
                    g.getDouble("eps"), g.getBoolean("maximize"));
        });
    }

    /** The Adagrad kernel over lists, in place: increments the steps, then one fused call. */
    static void adagrad(List<Tensor> params, List<Tensor> grads, List<Tensor> sums, List<Tensor> steps,
                        double lr, double lrDecay, double weightDecay, double eps, boolean maximize) {
        Foreach.addScalar_(steps, 1.0);
        Foreach.call("_fused_adagrad_", Foreach.FUSED_ADAGRAD_, params, grads, sums, steps,
                lr, lrDecay, weightDecay, eps, maximize, null, null);
    }
}
