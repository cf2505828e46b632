package dev.wick.optim;

import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2017), PyTorch's
 * {@code torch.optim.AdamW}.
 *
 * <pre>{@code
 * var named = model.namedParameters();
 * Predicate<String> noDecay = n -> n.endsWith(".bias") || n.contains("norm");
 * var opt = new AdamW(List.of(ParamGroup.select(named, noDecay.negate()),
 *                             ParamGroup.select(named, noDecay).weightDecay(0.0)),
 *                     AdamW.Options.lr(1e-3).withWeightDecay(0.05));
 * }</pre>
 *
 * <p>Update: as {@link Adam}, except that the weight decay shrinks the parameter instead of being
 * added to the gradient: {@code p ← p·(1 − γλ)} before the Adam step. Default weight decay 1e-2.
 * State as {@link Adam}. Kernel: libtorch's fused {@code _fused_adamw_}.
 */
public final class AdamW extends Optimizer {

    /** AdamW's options; the defaults are PyTorch's (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)));
        }

        /** PyTorch's defaults. */
        public static Options defaults() { return new Options(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false); }
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
                    "amsgrad", amsgrad, "foreach", null, "maximize", maximize, "capturable", false);
        }
    }

    /** AdamW with PyTorch's default options. */
    public AdamW(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public AdamW(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    public AdamW(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) { Adam.validate(g); }

    @Override
    List<StateKey> stateKeys(ParamGroup group) { return Adam.adamStateKeys(group); }

    @Override
    public void step() { Adam.adamStep(this, true); }
}
