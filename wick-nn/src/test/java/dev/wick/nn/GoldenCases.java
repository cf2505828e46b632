package dev.wick.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;
import dev.wick.testkit.Tolerance;

/**
 * What the loss, rnn and attention golden tests share: a file's cases, a case's state dict, the
 * seeded-initialisation check, the forward-and-gradient check, and the agreement they report.
 *
 * <pre>{@code
 * static final GoldenCases RUN = new GoldenCases("rnn golden");
 * @AfterAll static void report() { RUN.report(); }
 * @TestFactory Stream<DynamicTest> seededInit() { return GoldenCases.seededInitialisationTests(cases(), RnnGoldenTest::build); }
 * ...
 * RUN.assertResultsAndGradients(name, c, results, inputs, m.namedParameters());
 * }</pre>
 *
 * <p>A case is an object with (as the tests need) {@code "seed"}, {@code "state_dict"} (a list of
 * {@code [key, tensor]} pairs in PyTorch's order), {@code "results"} and {@code "result_weights"}
 * (tensors by result name), and {@code "grads"} (tensors by input or parameter name).
 */
public final class GoldenCases {
    /**
     * 1e-5 relative per element, with a floor of 1e-6 of the tensor's largest magnitude for elements
     * near zero (where float32 summation order, which differs between libtorch builds, decides the
     * last bits).
     */
    public static final Tolerance TOL = Tolerance.relative(1e-5).plusOfScale(1e-6).plus(1e-12);

    private final String label;
    private int compared;
    private double worstRelative, worstNormwise;

    /** A log of agreement, reported under {@code label}. */
    public GoldenCases(String label) { this.label = label; }

    /** The {@code "cases"} of a golden file, at least {@code atLeast} of them (a short file is an error). */
    public static List<Map<String, Object>> load(String resource, int atLeast) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : Golden.list(Golden.load(resource).get("cases"))) out.add(Golden.map(c));
        assertTrue(out.size() >= atLeast, "expected the full golden set of " + resource + ", got " + out.size() + " cases");
        return out;
    }

    /** A case's PyTorch state dict, in PyTorch's order (tensors in the current scope). */
    public static Map<String, Tensor> stateDict(Map<String, Object> c) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (Object e : Golden.list(c.get("state_dict"))) {
            List<Object> kv = Golden.list(e);
            sd.put((String) kv.get(0), Golden.tensor(kv.get(1)));
        }
        return sd;
    }

    /**
     * One test per case: the module {@code build} makes right after {@code Engine.manualSeed} with the
     * case's {@code "seed"} has PyTorch's state-dict keys, order and values, bit for bit.
     */
    public static Stream<DynamicTest> seededInitialisationTests(List<Map<String, Object>> cases, Function<Map<String, Object>, ? extends Module> build) {
        return cases.stream().map(c -> dynamicTest((String) c.get("name"), () -> {
            try (Scope s = Scope.open()) {
                Engine.manualSeed(((Number) c.get("seed")).longValue());
                Map<String, Tensor> actual = build.apply(c).stateDict();
                Map<String, Tensor> expected = stateDict(c);
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "state-dict keys and order");
                for (Map.Entry<String, Tensor> e : expected.entrySet())
                    Golden.assertBitEqual(e.getKey() + " is bit-identical to PyTorch's", e.getValue().toFloatArray(), actual.get(e.getKey()).toFloatArray());
            }
        }));
    }

    /** Asserts {@code actual} within {@link #TOL} of the golden tensor, and logs the agreement. */
    public Golden.Agreement assertClose(String what, Object expected, Tensor actual) {
        Golden.Agreement a = Golden.assertClose(what, expected, actual, TOL);
        synchronized (this) {
            compared++;
            worstRelative = Math.max(worstRelative, a.worstRelative());
            worstNormwise = Math.max(worstNormwise, a.normwise());
        }
        return a;
    }

    /**
     * Checks a case's forward results against {@code "results"}, then back-propagates the sum of each
     * result times its {@code "result_weights"} tensor and checks the gradient of every input or
     * parameter named in {@code "grads"} ({@code inputs} first, then {@code params}).
     */
    public void assertResultsAndGradients(String name, Map<String, Object> c, Map<String, Tensor> results,
                                          Map<String, Tensor> inputs, Map<String, Tensor> params) {
        Map<String, Object> expected = Golden.map(c.get("results"));
        assertEquals(expected.keySet(), results.keySet());
        Map<String, Object> weights = Golden.map(c.get("result_weights"));
        Tensor total = Tensor.zeros();
        for (Map.Entry<String, Tensor> r : results.entrySet()) {
            assertClose(name + " " + r.getKey(), expected.get(r.getKey()), r.getValue());
            total = total.add(r.getValue().mul(Golden.tensor(weights.get(r.getKey()))).sum());
        }
        total.backward();
        for (Map.Entry<String, Object> g : Golden.map(c.get("grads")).entrySet()) {
            Tensor leaf = inputs.containsKey(g.getKey()) ? inputs.get(g.getKey()) : params.get(g.getKey());
            assertClose(name + " d/d" + g.getKey(), g.getValue(), leaf.grad());
        }
    }

    /** Prints how many tensors were compared and the worst agreement seen. */
    public synchronized void report() {
        System.out.printf("[%s] %d tensors compared, worst relative error %.3g (values >= 1e-3 of their tensor's largest), worst normwise %.3g%n",
                label, compared, worstRelative, worstNormwise);
    }
}
