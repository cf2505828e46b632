package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * RAdam, Adam with a rectified adaptive learning rate (Liu et al., 2019), PyTorch's
 * {@code torch.optim.RAdam}.
 *
 * <pre>{@code
 * var opt = new RAdam(model.parameters(), RAdam.Options.lr(1e-3));
 * }</pre>
 *
 * <p>Update at step t (β1, β2 = betas, λ = weight decay, γ = lr):
 * <pre>
 *   g ← g + λ·p if λ ≠ 0
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   m̂ ← m / (1 − β1^t)
 *   ρ∞ ← 2/(1 − β2) − 1;  ρ_t ← ρ∞ − 2t·β2^t/(1 − β2^t)
 *   ρ_t > 5:  r ← √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t));  p ← p − γ·m̂·√(1 − β2^t)/(√v + eps)·r
 *   else:     p ← p − γ·m̂
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (a float32 0-dim tensor), {@code exp_avg},
 * {@code exp_avg_sq}. Kernel: {@code _foreach_*} ops, per group and step count.
 */
public final class RAdam extends Optimizer {

    /** RAdam's options; the defaults are PyTorch's (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, beta1, beta2, eps, weightDecay)));
        }

        public static Options defaults() { return new Options(1e-3, 0.9, 0.999, 1e-8, 0.0); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, beta1, beta2, eps, weightDecay); }

        private static Map<String, Object> map(double lr, double beta1, double beta2, double eps, double wd) {
            return optionMap("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", wd,
                    "foreach", null);
        }
    }

    public RAdam(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public RAdam(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public RAdam(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.adamCommon(g);
        Check.implSwitch(g, "foreach");
    }

    private static final List<StateKey> STATE = List.of(StateKey.step(), StateKey.zeros("exp_avg"), StateKey.zeros("exp_avg_sq"));

    @Override
    List<StateKey> stateKeys(ParamGroup g) { return STATE; }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            double[] betas = Check.betas(g);
            radam(wg.params(), wg.grads(), st.get("exp_avg"), st.get("exp_avg_sq"), st.get("step"), g.lr(), betas[0], betas[1],
                    g.getDouble("weight_decay"), g.getDouble("eps"));
        });
    }

    /** The RAdam kernel over lists, in place (increments the steps). */
    static void radam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
                      List<Tensor> steps, double lr, double beta1, double beta2, double weightDecay, double eps) {
        Foreach.addScalar_(steps, 1.0);
        List<Tensor> g = effectiveGrads(params, grads, false, weightDecay);
        Foreach.mul_(expAvgs, beta1);
        Foreach.add_(expAvgs, g, 1 - beta1);
        Foreach.mul_(expAvgSqs, beta2);
        Foreach.addcmul_(expAvgSqs, g, g, 1 - beta2);
        double rhoInf = 2 / (1 - beta2) - 1;
        for (Map.Entry<Double, List<Integer>> b : bucketBySteps(steps).entrySet()) {
            double step = b.getKey();
            List<Integer> idx = b.getValue();
            double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
            List<Tensor> update = Foreach.div(pick(expAvgs, idx), bc1);        // bias-corrected exp_avg
            Foreach.mul_(update, lr);
            double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / bc2;
            if (rhoT > 5.0) {
                double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                List<Tensor> adaptive = Foreach.sqrt(pick(expAvgSqs, idx));
                Foreach.addScalar_(adaptive, eps);
                Foreach.reciprocal_(adaptive);
                Foreach.mul_(adaptive, Math.sqrt(bc2));
                Foreach.mulList_(update, adaptive);
                Foreach.mul_(update, rect);
            }
            Foreach.add_(pick(params, idx), update, -1.0);
        }
    }
}
