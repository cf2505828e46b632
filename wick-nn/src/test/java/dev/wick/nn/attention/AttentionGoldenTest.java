package dev.wick.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.wick.nn.Module;
import dev.wick.nn.loss.Golden;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * MultiheadAttention and TransformerEncoderLayer against PyTorch 1.13
 * (src/test/resources/golden/attention/make_golden.py): seeded initialisation bit for bit under
 * PyTorch's state-dict keys and order, and, from the same weights, outputs, attention weights and the
 * gradients of the inputs and every parameter within 1e-5 relative.
 */
class AttentionGoldenTest {
    private static double worst;
    private static int compared;

    private static List<Map<String, Object>> cases() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : Golden.asList(Golden.load("/golden/attention/attention.json").get("cases"))) out.add(Golden.asMap(c));
        assertTrue(out.size() >= 8);
        return out;
    }

    private static long num(Map<String, Object> cfg, String k) { return ((Number) cfg.get(k)).longValue(); }

    private static Module build(Map<String, Object> c) {
        Map<String, Object> cfg = Golden.asMap(c.get("config"));
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

    private static Map<String, Tensor> stateDict(Map<String, Object> c) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (Object e : Golden.asList(c.get("state_dict"))) {
            List<Object> kv = Golden.asList(e);
            sd.put((String) kv.get(0), Golden.tensor(kv.get(1)));
        }
        return sd;
    }

    @BeforeAll
    static void resetStats() { Golden.worstNormwise = 0; }

    @AfterAll
    static void report() {
        System.out.printf("[attention golden] %d tensors compared, worst relative error %.3g (values >= 1e-3 of their tensor's largest), worst normwise %.3g%n",
                compared, worst, Golden.worstNormwise);
    }

    @TestFactory
    Stream<DynamicTest> seededInitialisationIsPyTorchsBitForBit() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            try (Scope s = Scope.open()) {
                Engine.manualSeed(num(c, "seed"));
                Module m = build(c);
                Map<String, Tensor> expected = stateDict(c);
                Map<String, Tensor> actual = m.stateDict();
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "state-dict keys and order");
                for (Map.Entry<String, Tensor> e : expected.entrySet())
                    assertArrayEquals(e.getValue().toFloatArray(), actual.get(e.getKey()).toFloatArray(), 0f, e.getKey() + " bit-identical");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> forwardAndGradientsMatchPyTorch() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            String name = (String) c.get("name");
            try (Scope s = Scope.open()) {
                Module m = build(c);
                m.loadStateDict(stateDict(c));
                Map<String, Object> grads = Golden.asMap(c.get("grads"));
                Map<String, Tensor> in = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : Golden.asMap(c.get("inputs")).entrySet()) {
                    Tensor t = Golden.tensor(e.getValue());
                    if (grads.containsKey(e.getKey())) t.requiresGrad(true);
                    in.put(e.getKey(), t);
                }
                Map<String, Tensor> results = new LinkedHashMap<>();
                if (m instanceof MultiheadAttention mha) {
                    Map<String, Object> cfg = Golden.asMap(c.get("config"));
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
                Map<String, Object> expected = Golden.asMap(c.get("results"));
                assertEquals(expected.keySet(), results.keySet());
                Tensor total = Tensor.zeros();
                for (Map.Entry<String, Tensor> r : results.entrySet()) {
                    record(Golden.assertClose(name + " " + r.getKey(), r.getValue(), expected.get(r.getKey())));
                    total = total.add(r.getValue().mul(Golden.tensor(Golden.asMap(c.get("result_weights")).get(r.getKey()))).sum());
                }
                total.backward();
                Map<String, Tensor> params = m.namedParameters();
                for (Map.Entry<String, Object> g : grads.entrySet()) {
                    Tensor leaf = in.containsKey(g.getKey()) ? in.get(g.getKey()) : params.get(g.getKey());
                    record(Golden.assertClose(name + " d/d" + g.getKey(), leaf.grad(), g.getValue()));
                }
                assertEquals(params.size(), grads.keySet().stream().filter(params::containsKey).count(), "a gradient for every parameter");
            }
        }));
    }

    private static synchronized void record(double rel) {
        compared++;
        worst = Math.max(worst, rel);
    }
}
