package dev.wick.optim.lr;

import java.util.List;

import dev.wick.optim.Adam;
import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;
import dev.wick.optim.SGD;
import dev.wick.tensor.Tensor;

/** The golden script's optimizers: two groups, lr 0.1 and 0.01. */
final class Optimizers {
    private Optimizers() {}

    /** SGD, momentum 0.9 and 0.8. */
    static Optimizer sgd() {
        return new SGD(List.of(ParamGroup.of(Tensor.zeros(2)).lr(0.1).with("momentum", 0.9),
                ParamGroup.of(Tensor.zeros(3)).lr(0.01).with("momentum", 0.8)), SGD.Options.lr(0.1));
    }

    /** Adam, betas (0.9, 0.999) and (0.8, 0.99). */
    static Optimizer adam() {
        return new Adam(List.of(ParamGroup.of(Tensor.zeros(2)).lr(0.1).with("betas", List.of(0.9, 0.999)),
                ParamGroup.of(Tensor.zeros(3)).lr(0.01).with("betas", List.of(0.8, 0.99))), Adam.Options.lr(0.1));
    }

    /** Each group's momentum, or betas[0] when it has betas. */
    static List<Double> momentum(Optimizer opt) {
        return opt.paramGroups().stream().map(g -> g.has("betas") ? ((Number) ((List<?>) g.get("betas")).get(0)).doubleValue() : g.getDouble("momentum")).toList();
    }
}
