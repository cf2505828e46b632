package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * NAdam, Adam with Nesterov momentum (Dozat, 2016), PyTorch's {@code torch.optim.NAdam}.
 *
 * <pre>{@code
 * var opt = new NAdam(model.parameters(), NAdam.Options.lr(2e-3).withMomentumDecay(4e-3));
 * }</pre>
 *
 * <p>Update at step t (β1, β2 = betas, ψ = momentum_decay, λ = weight decay, γ = lr):
 * <pre>
 *   g ← g + λ·p if λ ≠ 0
 *   μ_t ← β1·(1 − ½·0.96^(tψ)),  μ_{t+1} ← β1·(1 − ½·0.96^((t+1)ψ))
 *   Π ← Π·μ_t                                  (mu_product, a float32 0-dim tensor)
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   d ← √(v / (1 − β2^t)) + eps
 *   p ← p − γ(1 − μ_t)/(1 − Π) · g/d − γ·μ_{t+1}/(1 − Π·μ_{t+1}) · m/d
 * </pre>
 * (PyTorch 1.13 multiplies Π by μ_t once more in the last denominator, {@code Π·μ_t·μ_{t+1}}; Wick
 * follows PyTorch 1.13 to match its trajectories.) State per parameter, as PyTorch 1.13:
 * {@code step}, {@code mu_product} (float32 0-dim tensors), {@code exp_avg}, {@code exp_avg_sq}.
 * Kernel: {@code _foreach_*} ops, per group and step count.
 */
public final class NAdam extends Optimizer {

    /** NAdam's options; the defaults are PyTorch's (lr 2e-3, betas (0.9, 0.999), eps 1e-8, momentum_decay 4e-3). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, beta1, beta2, eps, weightDecay, momentumDecay)));
        }

        public static Options defaults() { return new Options(2e-3, 0.9, 0.999, 1e-8, 0.0, 4e-3); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay); }
        public Options withMomentumDecay(double momentumDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, beta1, beta2, eps, weightDecay, momentumDecay); }

        private static Map<String, Object> map(double lr, double beta1, double beta2, double eps, double wd, double md) {
            return optionMap("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", wd,
                    "momentum_decay", md, "foreach", null);
        }
    }

    public NAdam(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public NAdam(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public NAdam(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.adamCommon(g);
        Check.nonNegative(g, "momentum_decay", "momentum_decay value");
        Check.implSwitch(g, "foreach");
    }

    private static final List<StateKey> STATE = List.of(StateKey.step(), StateKey.scalar("mu_product", 1.0),
            StateKey.zeros("exp_avg"), StateKey.zeros("exp_avg_sq"));

    @Override
    List<StateKey> stateKeys(ParamGroup g) { return STATE; }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = gatherState(g, wg.params());
            double[] betas = Check.betas(g);
            nadam(wg.params(), wg.grads(), st.get("exp_avg"), st.get("exp_avg_sq"), st.get("mu_product"), st.get("step"), g.lr(), betas[0], betas[1],
                    g.getDouble("weight_decay"), g.getDouble("momentum_decay"), g.getDouble("eps"));
        });
    }

    /** The NAdam kernel over lists, in place (increments the steps and the mu products). */
    static void nadam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
                      List<Tensor> muProducts, List<Tensor> steps, double lr, double beta1, double beta2,
                      double weightDecay, double momentumDecay, double eps) {
        Foreach.addScalar_(steps, 1.0);
        List<Tensor> g = effectiveGrads(params, grads, false, weightDecay);
        Foreach.mul_(expAvgs, beta1);
        Foreach.add_(expAvgs, g, 1 - beta1);
        Foreach.mul_(expAvgSqs, beta2);
        Foreach.addcmul_(expAvgSqs, g, g, 1 - beta2);
        for (Map.Entry<Double, List<Integer>> b : bucketBySteps(steps).entrySet()) {
            double step = b.getKey();
            List<Integer> idx = b.getValue();
            double bc2 = 1 - Math.pow(beta2, step);
            double mu = beta1 * (1.0 - 0.5 * Math.pow(0.96, step * momentumDecay));
            double muNext = beta1 * (1.0 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
            List<Tensor> mp = pick(muProducts, idx);
            Foreach.mul_(mp, mu);
            // NOTE [float32 mu product]: the product lives in a float32 tensor; the "next" product is
            // formed in float32 as well (two roundings), as PyTorch's tensor arithmetic does.
            float prod = (float) mp.get(0).item();
            float prodNext = (prod * (float) mu) * (float) muNext;
            List<Tensor> denom = Foreach.div(pick(expAvgSqs, idx), bc2);
            Foreach.sqrt_(denom);
            Foreach.addScalar_(denom, eps);
            List<Tensor> ps = pick(params, idx);
            Foreach.addcdiv_(ps, pick(g, idx), denom, -lr * (1.0 - mu) / (1.0 - prod));
            Foreach.addcdiv_(ps, pick(expAvgs, idx), denom, -lr * muNext / (1.0 - prodNext));
        }
    }
}
