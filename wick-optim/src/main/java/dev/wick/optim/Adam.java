package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Adam (Kingma and Ba, 2014), PyTorch's {@code torch.optim.Adam}.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), Adam.Options.lr(1e-3).withBetas(0.9, 0.98).withAmsgrad(true));
 * }</pre>
 *
 * <p>Update at step t (β1, β2 = betas, λ = weight decay, γ = lr):
 * <pre>
 *   g ← −g if maximize;  g ← g + λ·p if λ ≠ 0
 *   m ← β1·m + (1 − β1)·g              (exp_avg)
 *   v ← β2·v + (1 − β2)·g²             (exp_avg_sq)
 *   v̂max ← max(v̂max, v)  if amsgrad   (max_exp_avg_sq), used instead of v below
 *   p ← p − γ/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
 * </pre>
 * State per parameter, as PyTorch 1.13: {@code step} (a float32 0-dim tensor), {@code exp_avg},
 * {@code exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 *
 * <p>Kernel: libtorch's fused {@code _fused_adam_} (one native call per group, every option
 * supported). NOTE [fused vs PyTorch 1.13]: the fused kernel evaluates the same formula in a different
 * order than 1.13's per-tensor loop; over the 20-step golden trajectories they agree to 1e-6 relative.
 */
public final class Adam extends Optimizer {

    /** Adam's options; the defaults are PyTorch's (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)));
        }

        /** PyTorch's defaults. */
        public static Options defaults() { return new Options(1e-3, 0.9, 0.999, 1e-8, 0.0, false, false); }
        /** PyTorch's defaults with this learning rate. */
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }
        public Options withAmsgrad(boolean amsgrad) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return map(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }

        private static Map<String, Object> map(double lr, double beta1, double beta2, double eps, double wd, boolean amsgrad, boolean maximize) {
            return optionMap("lr", lr, "betas", List.of(beta1, beta2), "eps", eps, "weight_decay", wd,
                    "amsgrad", amsgrad, "maximize", maximize, "foreach", null, "capturable", false,
                    "differentiable", false, "fused", false);
        }
    }

    /** Adam with PyTorch's default options. */
    public Adam(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public Adam(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public Adam(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.adamCommon(g);
        Check.bool(g, "amsgrad");
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
        Check.implSwitch(g, "fused");
        Check.unsupportedTrue(g, "capturable");
        Check.unsupportedTrue(g, "differentiable");
    }

    private static final List<StateKey> STATE = List.of(StateKey.step(), StateKey.zeros("exp_avg"), StateKey.zeros("exp_avg_sq"));
    private static final List<StateKey> AMSGRAD_STATE = List.of(StateKey.step(), StateKey.zeros("exp_avg"), StateKey.zeros("exp_avg_sq"),
            StateKey.zeros("max_exp_avg_sq").whenMissing());

    @Override
    List<StateKey> stateKeys(ParamGroup group) { return adamStateKeys(group); }

    static List<StateKey> adamStateKeys(ParamGroup group) { return Boolean.TRUE.equals(group.get("amsgrad")) ? AMSGRAD_STATE : STATE; }

    @Override
    public void step() { adamStep(this, false); }

    /** Gathers each group's lists, creating state on first use, and runs the fused kernel. */
    static void adamStep(Optimizer opt, boolean decoupled) {
        opt.forEachGroupWithGrads((g, wg) -> {
            Map<String, List<Tensor>> st = opt.gatherState(g, wg.params());
            boolean amsgrad = g.getBoolean("amsgrad");
            double[] betas = Check.betas(g);
            adam(wg.params(), wg.grads(), st.get("exp_avg"), st.get("exp_avg_sq"), amsgrad ? st.get("max_exp_avg_sq") : List.of(), st.get("step"),
                    g.lr(), betas[0], betas[1], g.getDouble("weight_decay"), g.getDouble("eps"), amsgrad, g.getBoolean("maximize"), decoupled);
        });
    }

    /**
     * The Adam kernel over lists, in place: increments the steps, then one fused call. With
     * {@code decoupled} the weight decay is AdamW's ({@code p ← p·(1 − γλ)}), else it is added to the
     * gradient. {@code maxExpAvgSqs} is empty unless {@code amsgrad}.
     */
    static void adam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
                     List<Tensor> maxExpAvgSqs, List<Tensor> steps, double lr, double beta1, double beta2,
                     double weightDecay, double eps, boolean amsgrad, boolean maximize, boolean decoupled) {
        Foreach.addScalar_(steps, 1.0);
        Foreach.call(decoupled ? "_fused_adamw_" : "_fused_adam_", decoupled ? Foreach.FUSED_ADAMW_ : Foreach.FUSED_ADAM_,
                params, grads, expAvgs, expAvgSqs, amsgrad ? maxExpAvgSqs : List.of(), steps,
                lr, beta1, beta2, weightDecay, eps, amsgrad, maximize, null, null);
    }
}
