package dev.wick.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/** Builds the optimizer of a golden case through the public Options API. */
final class GoldenOptimizers {
    private GoldenOptimizers() {}

    @SuppressWarnings("unchecked")
    static Optimizer build(Map<String, Object> c, List<Tensor> params) {
        String kind = (String) c.get("optimizer");
        Map<String, Object> o = (Map<String, Object>) c.get("options");
        List<ParamGroup> groups = null;
        if (c.get("groups") != null) {
            groups = new ArrayList<>();
            for (Object go : (List<Object>) c.get("groups")) {
                Map<String, Object> gm = (Map<String, Object>) go;
                List<Tensor> ps = new ArrayList<>();
                for (Object i : (List<Object>) gm.get("params")) ps.add(params.get(((Number) i).intValue()));
                groups.add(new ParamGroup(ps, (Map<String, Object>) gm.get("options")));
            }
        }
        switch (kind) {
            case "SGD": {
                SGD.Options opts = SGD.Options.lr(d(o, "lr", 0)).withMomentum(d(o, "momentum", 0)).withDampening(d(o, "dampening", 0))
                        .withWeightDecay(d(o, "weight_decay", 0)).withNesterov(b(o, "nesterov")).withMaximize(b(o, "maximize"));
                return groups == null ? new SGD(params, opts) : new SGD(groups, opts);
            }
            case "Adam": {
                double[] betas = betas(o);
                Adam.Options opts = Adam.Options.lr(d(o, "lr", 1e-3)).withBetas(betas[0], betas[1]).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 0)).withAmsgrad(b(o, "amsgrad")).withMaximize(b(o, "maximize"));
                return groups == null ? new Adam(params, opts) : new Adam(groups, opts);
            }
            case "AdamW": {
                double[] betas = betas(o);
                AdamW.Options opts = AdamW.Options.lr(d(o, "lr", 1e-3)).withBetas(betas[0], betas[1]).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 1e-2)).withAmsgrad(b(o, "amsgrad")).withMaximize(b(o, "maximize"));
                return groups == null ? new AdamW(params, opts) : new AdamW(groups, opts);
            }
            default:
                return buildMore(kind, o, groups, params);
        }
    }

    static Optimizer buildMore(String kind, Map<String, Object> o, List<ParamGroup> groups, List<Tensor> params) {
        double[] betas = betas(o);
        switch (kind) {
            case "RMSprop": {
                RMSprop.Options opts = RMSprop.Options.lr(d(o, "lr", 1e-2)).withAlpha(d(o, "alpha", 0.99)).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 0)).withMomentum(d(o, "momentum", 0)).withCentered(b(o, "centered"))
                        .withMaximize(b(o, "maximize"));
                return groups == null ? new RMSprop(params, opts) : new RMSprop(groups, opts);
            }
            case "Adagrad": {
                Adagrad.Options opts = Adagrad.Options.lr(d(o, "lr", 1e-2)).withLrDecay(d(o, "lr_decay", 0))
                        .withWeightDecay(d(o, "weight_decay", 0)).withInitialAccumulatorValue(d(o, "initial_accumulator_value", 0))
                        .withEps(d(o, "eps", 1e-10)).withMaximize(b(o, "maximize"));
                return groups == null ? new Adagrad(params, opts) : new Adagrad(groups, opts);
            }
            case "Adadelta": {
                Adadelta.Options opts = Adadelta.Options.lr(d(o, "lr", 1.0)).withRho(d(o, "rho", 0.9)).withEps(d(o, "eps", 1e-6))
                        .withWeightDecay(d(o, "weight_decay", 0)).withMaximize(b(o, "maximize"));
                return groups == null ? new Adadelta(params, opts) : new Adadelta(groups, opts);
            }
            case "Adamax": {
                Adamax.Options opts = Adamax.Options.lr(d(o, "lr", 2e-3)).withBetas(betas[0], betas[1]).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 0)).withMaximize(b(o, "maximize"));
                return groups == null ? new Adamax(params, opts) : new Adamax(groups, opts);
            }
            case "NAdam": {
                NAdam.Options opts = NAdam.Options.lr(d(o, "lr", 2e-3)).withBetas(betas[0], betas[1]).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 0)).withMomentumDecay(d(o, "momentum_decay", 4e-3));
                return groups == null ? new NAdam(params, opts) : new NAdam(groups, opts);
            }
            case "RAdam": {
                RAdam.Options opts = RAdam.Options.lr(d(o, "lr", 1e-3)).withBetas(betas[0], betas[1]).withEps(d(o, "eps", 1e-8))
                        .withWeightDecay(d(o, "weight_decay", 0));
                return groups == null ? new RAdam(params, opts) : new RAdam(groups, opts);
            }
            case "LBFGS": {
                LBFGS.Options opts = LBFGS.Options.lr(d(o, "lr", 1)).withMaxIter((long) d(o, "max_iter", 20))
                        .withMaxEval(o.get("max_eval") == null ? null : ((Number) o.get("max_eval")).longValue())
                        .withToleranceGrad(d(o, "tolerance_grad", 1e-7)).withToleranceChange(d(o, "tolerance_change", 1e-9))
                        .withHistorySize((long) d(o, "history_size", 100)).withLineSearchFn((String) o.get("line_search_fn"));
                return new LBFGS(params, opts);
            }
            default:
                throw new IllegalArgumentException("unknown optimizer " + kind);
        }
    }

    static double d(Map<String, Object> o, String k, double dflt) {
        Object v = o.get(k);
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    static boolean b(Map<String, Object> o, String k) { return Boolean.TRUE.equals(o.get(k)); }

    @SuppressWarnings("unchecked")
    static double[] betas(Map<String, Object> o) {
        Object v = o.get("betas");
        if (v == null) return new double[]{0.9, 0.999};
        List<Object> l = (List<Object>) v;
        return new double[]{((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
    }
}
