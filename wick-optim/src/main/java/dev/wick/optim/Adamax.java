package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba, 2014, section 7), PyTorch's
 * {@code torch.optim.Adamax}.
 *
 * <pre>{@code
 * var opt = new Adamax(model.parameters(), Adamax.Options.lr(2e-3));
 * }</pre>
 *
 * <p>Update at step t (β1, β2 = betas, λ = weight decay, γ = lr):
 * <pre>
 *   g ← −g if maximize;  g ← g + λ·p if λ ≠ 0
 *   m ← β1·m + (1 − β1)·g                (exp_avg)
 *   u ← max(β2·u, |g| + eps)             (exp_inf)
 *   p ← p − γ/(1 − β1^t) · m / u
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (a float32 0-dim tensor), {@code exp_avg},
 * {@code exp_inf}. Kernel: {@code _foreach_*} ops.
 */
public final class Adamax extends Optimizer {

    /** Adamax's options; the defaults are PyTorch's (lr 2e-3, betas (0.9, 0.999), eps 1e-8). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, beta1, beta2, eps, weightDecay, maximize)));
        }

        public static Options defaults() { return new Options(2e-3, 0.9, 0.999, 1e-8, 0.0, false); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay, maximize); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay, maximize); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, beta1, beta2, eps, weightDecay, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, beta1, beta2, eps, weightDecay, maximize); }

        private static Map<String, Object> map(double lr, double beta1, double beta2, double eps, double wd, boolean maximize) {
            return optionMap("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", wd,
                    "foreach", null, "maximize", maximize);
        }
    }

    public Adamax(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public Adamax(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public Adamax(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.adamCommon(g);
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
    }

    private static final List<StateKey> STATE = List.of(StateKey.step(), StateKey.zeros("exp_avg"), StateKey.zeros("exp_inf"));

    @Override
    List<StateKey> stateKeys(ParamGroup g) { return STATE; }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            double[] betas = Check.betas(g);
            adamax(wg.params(), wg.grads(), st.get("exp_avg"), st.get("exp_inf"), st.get("step"), g.lr(), betas[0], betas[1], g.getDouble("eps"),
                    g.getDouble("weight_decay"), g.getBoolean("maximize"));
        });
    }

    /** The Adamax kernel over lists, in place (increments the steps). */
    static void adamax(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expInfs, List<Tensor> steps,
                       double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize) {
        Foreach.addScalar_(steps, 1.0);
        List<Tensor> g = effectiveGrads(params, grads, maximize, weightDecay);
        Foreach.mul_(expAvgs, beta1);
        Foreach.add_(expAvgs, g, 1 - beta1);
        Foreach.mul_(expInfs, beta2);
        List<Tensor> absg = Foreach.abs(g);
        Foreach.addScalar_(absg, eps);
        Foreach.maximum_(expInfs, absg);
        for (Map.Entry<Double, List<Integer>> b : bucketBySteps(steps).entrySet()) {
            double clr = lr / (1 - Math.pow(beta1, b.getKey()));
            Foreach.addcdiv_(pick(params, b.getValue()), pick(expAvgs, b.getValue()), pick(expInfs, b.getValue()), -clr);
        }
    }
}
