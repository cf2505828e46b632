package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.List;

import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;

/**
 * Where a cycling scheduler writes the momentum: the group's {@code momentum} (SGD, RMSprop) or the
 * first of its {@code betas} (Adam and relatives), as PyTorch picks it from the optimizer's defaults.
 */
final class Momentum {
    private Momentum() {}

    /**
     * Whether the optimizer's momentum is its {@code betas[0]} (preferred when it has both, as in
     * PyTorch); an error when it has no momentum at all.
     */
    static boolean usesBeta1(String owner, Optimizer optimizer) {
        boolean momentum = optimizer.defaults().containsKey("momentum");
        boolean betas = optimizer.defaults().containsKey("betas");
        if (!momentum && !betas)
            throw new IllegalArgumentException(owner + ": optimizer must support momentum (a 'momentum' or 'betas' option) with cycle_momentum enabled; "
                    + optimizer.getClass().getSimpleName() + " has " + optimizer.defaults().keySet());
        return betas;
    }

    static double get(ParamGroup g, boolean beta1) {
        if (!beta1) return g.getDouble("momentum");
        Object b = g.get("betas");
        if (b instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Number n) return n.doubleValue();
        throw new IllegalStateException("Option 'betas' of the parameter group is " + b + ", not a list of numbers");
    }

    static void set(ParamGroup g, boolean beta1, double m) {
        if (!beta1) {
            g.set("momentum", m);
            return;
        }
        Object b = g.get("betas");
        if (!(b instanceof List<?> l) || l.isEmpty())
            throw new IllegalStateException("Option 'betas' of the parameter group is " + b + ", not a list of numbers");
        List<Object> out = new ArrayList<>(l);
        out.set(0, m);
        g.set("betas", out);
    }

    static void check(String owner, String what, double[] values) {
        for (int i = 0; i < values.length; i++)
            if (!(values[i] >= 0 && values[i] <= 1))
                throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1], got " + values[i] + (values.length > 1 ? " (group " + i + ")" : ""));
    }
}
