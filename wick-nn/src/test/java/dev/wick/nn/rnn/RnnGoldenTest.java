package dev.wick.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * LSTM and GRU against PyTorch 1.13 (src/test/resources/golden/rnn/make_golden.py): the seeded
 * initialisation bit for bit with PyTorch's state-dict keys and order, and, from the same weights,
 * the outputs, final states and the gradients of input, initial state and every parameter.
 */
class RnnGoldenTest {
    private static double worst;
    private static int compared;

    private static synchronized void record(double rel) {
        compared++;
        worst = Math.max(worst, rel);
    }

    @BeforeAll
    static void resetStats() { Golden.worstNormwise = 0; }

    @AfterAll
    static void report() {
        System.out.printf("[rnn golden] %d tensors compared, worst relative error %.3g (values >= 1e-3 of their tensor's largest), worst normwise %.3g%n",
                compared, worst, Golden.worstNormwise);
    }

    private static List<Map<String, Object>> cases() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : Golden.asList(Golden.load("/golden/rnn/rnn.json").get("cases"))) out.add(Golden.asMap(c));
        assertTrue(out.size() >= 7);
        return out;
    }

    private static RecurrentLayer build(Map<String, Object> c) {
        Map<String, Object> cfg = Golden.asMap(c.get("config"));
        RnnOptions o = RnnOptions.defaults()
                .withNumLayers(((Number) cfg.get("num_layers")).intValue())
                .withBias((Boolean) cfg.get("bias"))
                .withBatchFirst((Boolean) cfg.get("batch_first"))
                .withBidirectional((Boolean) cfg.get("bidirectional"));
        long in = ((Number) cfg.get("input_size")).longValue(), hidden = ((Number) cfg.get("hidden_size")).longValue();
        return "lstm".equals(c.get("kind")) ? new LSTM(in, hidden, o) : new GRU(in, hidden, o);
    }

    /** The PyTorch state dict of a case, in PyTorch's order. */
    private static Map<String, Tensor> stateDict(Map<String, Object> c) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (Object e : Golden.asList(c.get("state_dict"))) {
            List<Object> kv = Golden.asList(e);
            sd.put((String) kv.get(0), Golden.tensor(kv.get(1)));
        }
        return sd;
    }

    @TestFactory
    Stream<DynamicTest> seededInitialisationIsPyTorchsBitForBit() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            try (Scope s = Scope.open()) {
                Engine.manualSeed(((Number) c.get("seed")).longValue());
                Module m = build(c);
                Map<String, Tensor> expected = stateDict(c);
                Map<String, Tensor> actual = m.stateDict();
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "state-dict keys and order");
                for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), actual.get(e.getKey()).toFloatArray(), 0f,
                            e.getKey() + " is bit-identical to PyTorch's");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> forwardAndGradientsMatchPyTorch() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            String name = (String) c.get("name");
            try (Scope s = Scope.open()) {
                RecurrentLayer m = build(c);
                m.loadStateDict(stateDict(c));
                Map<String, Tensor> in = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : Golden.asMap(c.get("inputs")).entrySet())
                    in.put(e.getKey(), Golden.tensor(e.getValue()).requiresGrad(true));
                Map<String, Tensor> results = new LinkedHashMap<>();
                if (m instanceof LSTM lstm) {
                    LSTM.State state = in.containsKey("h0") ? new LSTM.State(in.get("h0"), in.get("c0")) : null;
                    LSTM.Output out = lstm.forward(in.get("input"), state);
                    results.put("output", out.output());
                    results.put("h_n", out.hN());
                    results.put("c_n", out.cN());
                } else {
                    GRU.Output out = ((GRU) m).forward(in.get("input"), in.get("h0"));
                    results.put("output", out.output());
                    results.put("h_n", out.hN());
                }
                Map<String, Object> expected = Golden.asMap(c.get("results"));
                assertEquals(expected.keySet(), results.keySet());
                Tensor total = Tensor.zeros();
                for (Map.Entry<String, Tensor> r : results.entrySet()) {
                    record(Golden.assertClose(name + " " + r.getKey(), r.getValue(), expected.get(r.getKey())));
                    Tensor w = Golden.tensor(Golden.asMap(c.get("result_weights")).get(r.getKey()));
                    total = total.add(r.getValue().mul(w).sum());
                }
                total.backward();
                Map<String, Tensor> params = m.namedParameters();
                Map<String, Object> grads = Golden.asMap(c.get("grads"));
                for (Map.Entry<String, Object> g : grads.entrySet()) {
                    Tensor leaf = in.containsKey(g.getKey()) ? in.get(g.getKey()) : params.get(g.getKey());
                    record(Golden.assertClose(name + " d/d" + g.getKey(), leaf.grad(), g.getValue()));
                }
                assertEquals(in.size() + params.size(), grads.size(), "a gradient for every input and parameter");
            }
        }));
    }
}
