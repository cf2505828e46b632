package dev.wick.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's {@code torch.optim.SGD}).
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.05).withMomentum(0.9).withWeightDecay(5e-4));
 * }</pre>
 *
 * <p>Update, for each parameter {@code p} with gradient {@code g} (μ = momentum, τ = dampening,
 * λ = weight decay, γ = lr):
 * <pre>
 *   g ← −g                          if maximize
 *   g ← g + λ·p                     if λ ≠ 0
 *   if μ ≠ 0:
 *     b ← g                         on the first step (b = momentum_buffer)
 *     b ← μ·b + (1 − τ)·g           afterwards
 *     g ← g + μ·b  if nesterov, else g ← b
 *   p ← p − γ·g
 * </pre>
 * State per parameter: {@code momentum_buffer} (a tensor, or None when μ = 0), as PyTorch 1.13.
 *
 * <p>Kernels: by default PyTorch's own arithmetic, step for step ({@code buf.mul_(μ).add_(g, 1 − τ)},
 * {@code p.add_(buf, −γ)}, as its per-tensor loop and its {@code foreach} path compute them), run as
 * libtorch's {@code _foreach_*} kernels: three or four native calls per group, and the same bits as
 * PyTorch (W1 of the benchmark, 3 epochs on the same kernels: the same test accuracy to the last
 * sample). A group with {@code "fused": true} (PyTorch 2's flag) runs libtorch's {@code _fused_sgd_}
 * instead: one native call, one pass over memory, but it rounds {@code μ·b + g} and {@code p − γ·b}
 * once each instead of twice, so long runs drift from PyTorch's in the last bits.
 */
public final class SGD extends Optimizer {

    /**
     * SGD's options. {@code lr} has no default (as in PyTorch); the others default to 0 / false.
     *
     * <pre>{@code SGD.Options.lr(0.1).withMomentum(0.9).withNesterov(true)}</pre>
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        public Options {
            validate(new ParamGroup(List.of(), toMap(lr, momentum, dampening, weightDecay, nesterov, maximize)));
        }

        /** Options with the given learning rate and PyTorch's defaults for the rest. */
        public static Options lr(double lr) { return new Options(lr, 0.0, 0.0, 0.0, false, false); }

        public Options withLr(double lr) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options withMomentum(double momentum) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options withDampening(double dampening) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options withNesterov(boolean nesterov) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options withMaximize(boolean maximize) { return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize); }

        /** The options as a group's map, with PyTorch 1.13's keys. */
        public Map<String, Object> toMap() { return toMap(lr, momentum, dampening, weightDecay, nesterov, maximize); }

        private static Map<String, Object> toMap(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
            return optionMap("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                    "nesterov", nesterov, "maximize", maximize, "foreach", null, "differentiable", false);
        }
    }

    /** SGD over {@code params} (one group). */
    public SGD(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    /** SGD over parameter groups; options a group does not set come from {@code defaults}. */
    public SGD(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.lr(g);
        double momentum = Check.nonNegative(g, "momentum", "momentum value");
        double dampening = Check.number(g, "dampening");
        Check.weightDecay(g);
        boolean nesterov = Check.bool(g, "nesterov");
        Check.maximize(g);
        Check.implSwitch(g, "foreach");
        Check.implSwitch(g, "fused");
        Check.unsupportedTrue(g, "differentiable");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (momentum=" + momentum + ", dampening=" + dampening + ")");
    }

    @Override
    protected List<String> requiredStateKeys(ParamGroup group) { return List.of("momentum_buffer"); }

    @Override
    public void step() {
        forEachGroupWithGrads((g, wg) -> {
            double momentum = g.getDouble("momentum");
            List<Tensor> fresh = new ArrayList<>(), freshGrads = new ArrayList<>(), freshBufs = new ArrayList<>();
            List<Tensor> old = new ArrayList<>(), oldGrads = new ArrayList<>(), oldBufs = new ArrayList<>();
            for (int i = 0; i < wg.params().size(); i++) {
                Tensor p = wg.params().get(i);
                Map<String, Object> st = state(p);
                Object buf = st.get("momentum_buffer");
                if (momentum != 0 && !(buf instanceof Tensor)) {
                    Tensor b = newState(p::emptyLike);
                    st.put("momentum_buffer", b);
                    fresh.add(p); freshGrads.add(wg.grads().get(i)); freshBufs.add(b);
                } else {
                    if (momentum == 0) st.put("momentum_buffer", null);
                    old.add(p); oldGrads.add(wg.grads().get(i));
                    if (momentum != 0) oldBufs.add((Tensor) buf);
                }
            }
            double lr = g.lr(), wd = g.getDouble("weight_decay"), damp = g.getDouble("dampening");
            boolean nesterov = g.getBoolean("nesterov"), maximize = g.getBoolean("maximize");
            boolean fused = Boolean.TRUE.equals(g.get("fused"));
            if (!fresh.isEmpty()) sgd(fresh, freshGrads, freshBufs, lr, momentum, damp, wd, nesterov, maximize, true, fused);
            if (!old.isEmpty()) sgd(old, oldGrads, oldBufs, lr, momentum, damp, wd, nesterov, maximize, false, fused);
        });
    }

    /**
     * The SGD kernel over lists: updates {@code params} (and the momentum buffers) in place. With
     * {@code firstStep} the buffers' contents are ignored and set to the (decayed) gradient. With
     * {@code fused}, one {@code _fused_sgd_} call; otherwise PyTorch's operations in PyTorch's order.
     */
    static void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBuffers, double lr, double momentum,
                    double dampening, double weightDecay, boolean nesterov, boolean maximize, boolean firstStep, boolean fused) {
        if (fused) {
            Foreach.call("_fused_sgd_", Foreach.FUSED_SGD_, params, grads, momentum == 0 ? List.of() : momentumBuffers,
                    weightDecay, momentum, lr, dampening, nesterov, maximize, firstStep, null, null);
            return;
        }
        List<Tensor> g = maximize ? Foreach.neg(grads) : grads;          // new lists: owned by the step's scope
        if (weightDecay != 0) g = Foreach.add(g, params, weightDecay);
        if (momentum != 0) {
            if (firstStep) {
                Foreach.copy_(momentumBuffers, g);                       // PyTorch: buf = clone(g)
            } else {
                Foreach.mul_(momentumBuffers, momentum);
                Foreach.add_(momentumBuffers, g, 1 - dampening);
            }
            g = nesterov ? Foreach.add(g, momentumBuffers, momentum) : momentumBuffers;
        }
        Foreach.add_(params, g, -lr);
    }
}
