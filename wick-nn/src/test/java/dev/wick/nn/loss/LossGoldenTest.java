package dev.wick.nn.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.wick.nn.GoldenCases;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;

/**
 * Every loss, functional and module form, against values PyTorch 1.13 computed on the same inputs
 * (src/test/resources/golden/loss/make_golden.py): the loss and the gradient of every input that
 * requires grad, float32, within 1e-5 relative.
 */
class LossGoldenTest {
    private static final GoldenCases RUN = new GoldenCases("loss golden");

    @TestFactory
    Stream<DynamicTest> everyLossMatchesPyTorch() {
        return GoldenCases.load("/golden/loss/losses.json", 30).stream().map(c -> dynamicTest((String) c.get("name"), () -> check(c)));
    }

    @AfterAll
    static void report() { RUN.report(); }

    private static void check(Map<String, Object> c) {
        String name = (String) c.get("name");
        try (Scope s = Scope.open()) {
            Map<String, Object> grads = Golden.map(c.get("grads"));
            Map<String, Tensor> in = new HashMap<>();
            for (Map.Entry<String, Object> e : Golden.map(c.get("inputs")).entrySet()) {
                Tensor t = Golden.tensor(e.getValue());
                if (grads.containsKey(e.getKey())) t.requiresGrad(true);
                in.put(e.getKey(), t);
            }
            String loss = (String) c.get("loss");
            Map<String, Object> opts = Golden.map(c.get("options"));

            Tensor out = compute(loss, opts, in, false);
            RUN.assertClose(name + " loss", c.get("output"), out);
            Tensor viaModule = compute(loss, opts, in, true);
            assertTrue(out.equal(viaModule), name + ": the module gives the functional form's value");

            Tensor total = c.containsKey("grad_output") ? out.mul(Golden.tensor(c.get("grad_output"))).sum() : out;
            total.backward();
            for (Map.Entry<String, Object> g : grads.entrySet()) {
                RUN.assertClose(name + " d/d" + g.getKey(), g.getValue(), in.get(g.getKey()).grad());
            }
        }
    }

    private static Reduction reduction(Map<String, Object> o) {
        return o.containsKey("reduction") ? Reduction.parse((String) o.get("reduction")) : Reduction.MEAN;
    }

    private static double num(Map<String, Object> o, String key, double dflt) {
        return o.containsKey(key) ? ((Number) o.get(key)).doubleValue() : dflt;
    }

    /** The loss via the functional form (short overload when no options are set) or the module. */
    private static Tensor compute(String loss, Map<String, Object> o, Map<String, Tensor> t, boolean module) {
        Tensor x = t.get("input"), y = t.get("target");
        boolean plain = o.isEmpty() && !module;
        switch (loss) {
            case "cross_entropy": {
                if (plain) return Losses.crossEntropy(x, y);
                var opts = CrossEntropyLoss.Options.defaults().withReduction(reduction(o))
                        .withLabelSmoothing(num(o, "label_smoothing", 0.0))
                        .withIgnoreIndex((long) num(o, "ignore_index", -100));
                if (o.containsKey("weight")) opts = opts.withWeight(t.get("weight"));
                return module ? new CrossEntropyLoss(opts).forward(x, y) : Losses.crossEntropy(x, y, opts);
            }
            case "nll_loss": {
                if (plain) return Losses.nllLoss(x, y);
                var opts = NLLLoss.Options.defaults().withReduction(reduction(o)).withIgnoreIndex((long) num(o, "ignore_index", -100));
                if (o.containsKey("weight")) opts = opts.withWeight(t.get("weight"));
                return module ? new NLLLoss(opts).forward(x, y) : Losses.nllLoss(x, y, opts);
            }
            case "mse_loss": {
                if (plain) return Losses.mseLoss(x, y);
                var opts = MSELoss.Options.defaults().withReduction(reduction(o));
                return module ? new MSELoss(opts).forward(x, y) : Losses.mseLoss(x, y, opts);
            }
            case "l1_loss": {
                if (plain) return Losses.l1Loss(x, y);
                var opts = L1Loss.Options.defaults().withReduction(reduction(o));
                return module ? new L1Loss(opts).forward(x, y) : Losses.l1Loss(x, y, opts);
            }
            case "smooth_l1_loss": {
                if (plain) return Losses.smoothL1Loss(x, y);
                var opts = SmoothL1Loss.Options.defaults().withReduction(reduction(o)).withBeta(num(o, "beta", 1.0));
                return module ? new SmoothL1Loss(opts).forward(x, y) : Losses.smoothL1Loss(x, y, opts);
            }
            case "huber_loss": {
                if (plain) return Losses.huberLoss(x, y);
                var opts = HuberLoss.Options.defaults().withReduction(reduction(o)).withDelta(num(o, "delta", 1.0));
                return module ? new HuberLoss(opts).forward(x, y) : Losses.huberLoss(x, y, opts);
            }
            case "binary_cross_entropy": {
                if (plain) return Losses.binaryCrossEntropy(x, y);
                var opts = BCELoss.Options.defaults().withReduction(reduction(o));
                if (o.containsKey("weight")) opts = opts.withWeight(t.get("weight"));
                return module ? new BCELoss(opts).forward(x, y) : Losses.binaryCrossEntropy(x, y, opts);
            }
            case "binary_cross_entropy_with_logits": {
                if (plain) return Losses.binaryCrossEntropyWithLogits(x, y);
                var opts = BCEWithLogitsLoss.Options.defaults().withReduction(reduction(o));
                if (o.containsKey("weight")) opts = opts.withWeight(t.get("weight"));
                if (o.containsKey("pos_weight")) opts = opts.withPosWeight(t.get("pos_weight"));
                return module ? new BCEWithLogitsLoss(opts).forward(x, y) : Losses.binaryCrossEntropyWithLogits(x, y, opts);
            }
            case "kl_div": {
                if (plain) return Losses.klDiv(x, y);
                var opts = KLDivLoss.Options.defaults().withReduction(reduction(o))
                        .withLogTarget(Boolean.TRUE.equals(o.get("log_target")));
                return module ? new KLDivLoss(opts).forward(x, y) : Losses.klDiv(x, y, opts);
            }
            case "cosine_embedding_loss": {
                Tensor a = t.get("input1"), b = t.get("input2");
                if (plain) return Losses.cosineEmbeddingLoss(a, b, y);
                var opts = CosineEmbeddingLoss.Options.defaults().withReduction(reduction(o)).withMargin(num(o, "margin", 0.0));
                return module ? new CosineEmbeddingLoss(opts).forward(a, b, y) : Losses.cosineEmbeddingLoss(a, b, y, opts);
            }
            case "margin_ranking_loss": {
                Tensor a = t.get("input1"), b = t.get("input2");
                if (plain) return Losses.marginRankingLoss(a, b, y);
                var opts = MarginRankingLoss.Options.defaults().withReduction(reduction(o)).withMargin(num(o, "margin", 0.0));
                return module ? new MarginRankingLoss(opts).forward(a, b, y) : Losses.marginRankingLoss(a, b, y, opts);
            }
            default:
                throw new IllegalStateException("Unknown loss in golden file: " + loss);
        }
    }
}
