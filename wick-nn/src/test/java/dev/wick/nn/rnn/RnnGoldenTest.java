package dev.wick.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.LinkedHashMap;
import java.util.List;
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
 * LSTM and GRU against PyTorch 1.13 (src/test/resources/golden/rnn/make_golden.py): the seeded
 * initialisation bit for bit with PyTorch's state-dict keys and order, and, from the same weights,
 * the outputs, final states and the gradients of input, initial state and every parameter.
 */
class RnnGoldenTest {
    private static final GoldenCases RUN = new GoldenCases("rnn golden");

    @AfterAll
    static void report() { RUN.report(); }

    private static List<Map<String, Object>> cases() { return GoldenCases.load("/golden/rnn/rnn.json", 7); }

    private static RecurrentLayer build(Map<String, Object> c) {
        Map<String, Object> cfg = Golden.map(c.get("config"));
        RnnOptions o = RnnOptions.defaults()
                .withNumLayers(((Number) cfg.get("num_layers")).intValue())
                .withBias((Boolean) cfg.get("bias"))
                .withBatchFirst((Boolean) cfg.get("batch_first"))
                .withBidirectional((Boolean) cfg.get("bidirectional"));
        long in = ((Number) cfg.get("input_size")).longValue(), hidden = ((Number) cfg.get("hidden_size")).longValue();
        return "lstm".equals(c.get("kind")) ? new LSTM(in, hidden, o) : new GRU(in, hidden, o);
    }

    @TestFactory
    Stream<DynamicTest> seededInitialisationIsPyTorchsBitForBit() { return GoldenCases.seededInitialisationTests(cases(), RnnGoldenTest::build); }

    @TestFactory
    Stream<DynamicTest> forwardAndGradientsMatchPyTorch() {
        return cases().stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            String name = (String) c.get("name");
            try (Scope s = Scope.open()) {
                RecurrentLayer m = build(c);
                m.loadStateDict(GoldenCases.stateDict(c));
                Map<String, Tensor> in = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : Golden.map(c.get("inputs")).entrySet())
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
                Map<String, Tensor> params = m.namedParameters();
                RUN.assertResultsAndGradients(name, c, results, in, params);
                Map<String, Object> grads = Golden.map(c.get("grads"));
                assertEquals(in.size() + params.size(), grads.size(), "a gradient for every input and parameter");
            }
        }));
    }
}
