package dev.wick.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wick.nn.Module;
import dev.wick.optim.Adam;
import dev.wick.optim.AdamW;
import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;
import dev.wick.optim.SGD;
import dev.wick.tensor.Tensor;

/**
 * The optimizer a config names ({@code optimizer:}). Options the config leaves out keep the
 * optimizer's own defaults (its {@code Options.defaults()}), so defaults live in one place.
 *
 * <p>NOTE [no decay]: with {@code no_decay: true} (the default) the parameters with fewer than two
 * dimensions (biases, normalisation weights) go to a second group with {@code weight_decay 0}, the
 * split nanoGPT and most recipes use: decaying a bias or a norm's scale toward 0 only hurts.
 */
final class Optimizers {
    private Optimizers() {}

    static Optimizer build(RunConfig.Optimizer c, Module model) {
        Map<String, Tensor> named = model.namedParameters();
        List<ParamGroup> groups = new ArrayList<>();
        if (c.noDecay()) {
            ParamGroup decay = ParamGroup.select(named, n -> named.get(n).dim() >= 2);
            ParamGroup flat = ParamGroup.select(named, n -> named.get(n).dim() < 2).weightDecay(0.0);
            if (!decay.params().isEmpty()) groups.add(decay);
            if (!flat.params().isEmpty()) groups.add(flat);
        } else {
            groups.add(ParamGroup.of(new ArrayList<>(named.values())));
        }
        return switch (c.name()) {
            case "adamw" -> {
                AdamW.Options o = AdamW.Options.lr(c.lr());
                if (c.weightDecay() != null) o = o.withWeightDecay(c.weightDecay());
                if (c.betas() != null) o = o.withBetas(c.betas()[0], c.betas()[1]);
                if (c.eps() != null) o = o.withEps(c.eps());
                yield new AdamW(groups, o);
            }
            case "adam" -> {
                Adam.Options o = Adam.Options.lr(c.lr());
                if (c.weightDecay() != null) o = o.withWeightDecay(c.weightDecay());
                if (c.betas() != null) o = o.withBetas(c.betas()[0], c.betas()[1]);
                if (c.eps() != null) o = o.withEps(c.eps());
                yield new Adam(groups, o);
            }
            case "sgd" -> {
                SGD.Options o = SGD.Options.lr(c.lr());
                if (c.weightDecay() != null) o = o.withWeightDecay(c.weightDecay());
                if (c.momentum() != null) o = o.withMomentum(c.momentum());
                if (c.nesterov()) o = o.withNesterov(true);
                yield new SGD(groups, o);
            }
            default -> throw new ConfigException("optimizer.name", "unknown optimizer '" + c.name() + "'");
        };
    }
}
