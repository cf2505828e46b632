package dev.wick.nn.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.wick.nn.GoldenCases;
import dev.wick.nn.Module;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;

/**
 * MultiheadAttention and TransformerEncoderLayer against PyTorch 1.13
 * (src/test/resources/golden/attention/make_golden.py): seeded initialisation bit for bit under
 * PyTorch's state-dict keys and order, and, from the same weights, outputs, attention weights and the
 * gradients of the inputs and every parameter within 1e-5 relative.
 */
class AttentionGoldenTest {
    private static final GoldenCases RUN = new GoldenCases("attention golden");

    private static List<Map<String, Object>> cases() { return GoldenCases.load("/golden/attention/attention.json", 8); }

    private static long num(Map<String, Object> cfg, String k) { return ((Number) cfg.get(k)).longValue(); }

    private static Module build(Map<String, Object> c) {
        Map<String, Object> cfg = Golden.map(c.get("config"));
        if ("mha".equals(c.get("kind"))) {
            var o = MultiheadAttention.Options.defaults()
                    .withBias((Boolean) cfg.get("bias"))
                    .withAddBiasKv((Boolean) cfg.get("add_bias_kv"))
                    .withAddZeroAttn((Boolean) cfg.get("add_zero_attn"))
                    .withBatchFirst((Boolean) cfg.get("batch_first"));
            if (cfg.get("kdim") != null) o = o.withKdim(num(cfg, "kdim"));
            if (cfg.get("vdim") != null) o = o.withVdim(num(cfg, "vdim"));
            return new MultiheadAttention(num(cfg, "embed_dim"), num(cfg, "num_heads"), o);
        }
        var o = TransformerEncoderLayer.Options.defaults()
                .withDimFeedforward(num(cfg, "dim_feedforward"))
                .withDropout(0.0)
                .withActivation(TransformerEncoderLayer.Activation.parse((String) cfg.get("activation")))
                .withLayerNormEps(((Number) cfg.get("layer_norm_eps")).doubleValue())
                .withBatchFirst((Boolean) cfg.get("batch_first"))
                .withNormFirst((Boolean) cfg.get("norm_first"));
        return new TransformerEncoderLayer(num(cfg, "d_model"), num(cfg, "nhead"), o);
    }

    @AfterAll
    static void report() { RUN.report(); }

    @TestFactory
    Stream<DynamicTest> seededInitialisationIsPyTorchsBitForBit() { return GoldenCases.seededInitialisationTests(cases(), AttentionGoldenTest::build); }

    @TestFactory
    Stream<DynamicTest> forwardAndGradientsMatchPyTorch() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            String name = (String) c.get("name");
            try (Scope s = Scope.open()) {
                Module m = build(c);
                m.loadStateDict(GoldenCases.stateDict(c));
                Map<String, Object> grads = Golden.map(c.get("grads"));
                Map<String, Tensor> in = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : Golden.map(c.get("inputs")).entrySet()) {
                    Tensor t = Golden.tensor(e.getValue());
                    if (grads.containsKey(e.getKey())) t.requiresGrad(true);
                    in.put(e.getKey(), t);
                }
                Map<String, Tensor> results = new LinkedHashMap<>();
                if (m instanceof MultiheadAttention mha) {
                    Map<String, Object> cfg = Golden.map(c.get("config"));
                    Tensor q = in.get("query");
                    boolean same = Boolean.TRUE.equals(c.get("same_qkv"));
                    var fo = MultiheadAttention.ForwardOptions.defaults()
                            .withKeyPaddingMask(in.get("key_padding_mask"))
                            .withAttnMask(in.get("attn_mask"))
                            .withNeedWeights((Boolean) cfg.get("need_weights"))
                            .withAverageAttnWeights((Boolean) cfg.get("average_attn_weights"));
                    MultiheadAttention.Output o = mha.forward(q, same ? q : in.get("key"), same ? q : in.get("value"), fo);
                    results.put("output", o.output());
                    if (fo.needWeights()) results.put("attn_weights", o.attnWeights());
                    else assertNull(o.attnWeights());
                } else {
                    results.put("output", ((TransformerEncoderLayer) m).forward(in.get("src"), in.get("src_mask"), in.get("src_key_padding_mask")));
                }
                Map<String, Tensor> params = m.namedParameters();
                RUN.assertResultsAndGradients(name, c, results, in, params);
                assertEquals(params.size(), grads.keySet().stream().filter(params::containsKey).count(), "a gradient for every parameter");
            }
        }));
    }
}
