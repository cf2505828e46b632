package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Every optimizer and option set against PyTorch 1.13 (src/test/resources/golden/make_golden.py):
 * the 20-step trajectory, the state dict after 10 steps, and resuming from a state dict.
 */
class TrajectoryTest {
    static final int STEPS = 20, SAVE_AT = 10;

    static Stream<String> cases() { return Golden.caseNames().stream(); }

    /** One run of a golden case in Java. */
    static final class Run {
        final Map<String, Object> c;
        final List<Tensor> params, cs, ds;
        final Optimizer opt;

        Run(Map<String, Object> c, List<Tensor> params) {
            this.c = c;
            this.params = params;
            this.cs = Golden.tensors(c, c.get("c"), false);
            this.ds = Golden.tensors(c, c.get("d"), false);
            this.opt = GoldenOptimizers.build(c, params);
        }

        Run(Map<String, Object> c) { this(c, Golden.tensors(c, c.get("init"), true)); }

        /** Takes step number {@code step} (0-based) of the golden problem. */
        void step(int step) {
            if ("LBFGS".equals(c.get("optimizer"))) {
                opt.step(() -> {
                    opt.zeroGrad();
                    Tensor loss = Golden.lbfgsLoss(params, cs, ds);
                    loss.backward();
                    return loss;
                });
            } else {
                Golden.setGrads(c, params, cs, ds, step);
                try (Scope s = Scope.open()) {   // as in a trainer: the step runs inside a scope
                    opt.step();
                }
            }
        }

        float[] values(int k) { return params.get(k).toFloatArray(); }
    }

    @SuppressWarnings("unchecked")
    static float[] expected(Map<String, Object> c, int step, int k) {
        return Golden.floats(((List<Object>) Golden.trajectory(c).get(step)).get(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trajectoryMatchesPyTorch(String name) {
        Map<String, Object> c = Golden.optCase(name);
        Run run = new Run(c);
        double worst = 0;
        for (int step = 0; step < STEPS; step++) {
            run.step(step);
            for (int k = 0; k < run.params.size(); k++) {
                float[] e = expected(c, step, k), a = run.values(k);
                Golden.assertClose(name + " step " + (step + 1) + " param " + k, e, a);
                for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i])));
            }
        }
        System.out.printf(java.util.Locale.ROOT, "[margin] %-32s max |a-e|/max(1,|e|) over 20 steps = %.2e%n", name, worst);
    }

    static Stream<String> sgdCases() { return Golden.caseNames().stream().filter(n -> n.startsWith("sgd_")); }

    /**
     * SGD's default kernels are PyTorch's operations in PyTorch's order, so its trajectories are
     * PyTorch's to the last bit (a fused kernel rounds differently and would fail this).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sgdCases")
    void sgdTrajectoryIsPyTorchsBitForBit(String name) {
        Map<String, Object> c = Golden.optCase(name);
        Run run = new Run(c);
        for (int step = 0; step < STEPS; step++) {
            run.step(step);
            for (int k = 0; k < run.params.size(); k++)
                assertArrayEquals(expected(c, step, k), run.values(k), name + " step " + (step + 1) + " param " + k);
        }
    }

    /** {@code "fused": true} runs libtorch's fused kernel: the same trajectory within rounding. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sgdCases")
    void fusedSgdTrajectoryMatchesPyTorchWithinRounding(String name) {
        Map<String, Object> c = Golden.optCase(name);
        Run run = new Run(c);
        for (ParamGroup g : run.opt.paramGroups()) g.with("fused", true);
        for (int step = 0; step < STEPS; step++) {
            run.step(step);
            for (int k = 0; k < run.params.size(); k++)
                Golden.assertClose(name + " fused step " + (step + 1) + " param " + k, expected(c, step, k), run.values(k));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateDictAfterTenStepsMatchesPyTorch(String name) {
        Map<String, Object> c = Golden.optCase(name);
        Run run = new Run(c);
        for (int step = 0; step < SAVE_AT; step++) run.step(step);
        Map<String, Object> expected = Golden.stateDict(c.get("state_dict_10"));
        Map<String, Object> actual = run.opt.stateDict();
        assertEquals(List.of("state", "param_groups"), List.copyOf(actual.keySet()));
        Map<Long, Object> es = (Map<Long, Object>) expected.get("state");
        Map<Long, Object> as = (Map<Long, Object>) actual.get("state");
        assertEquals(es.keySet(), as.keySet(), name + ": parameters with state");
        for (Long id : es.keySet()) {
            Map<String, Object> e = (Map<String, Object>) es.get(id), a = (Map<String, Object>) as.get(id);
            assertEquals(e.keySet(), a.keySet(), name + ": state keys of parameter " + id);
            for (String k : e.keySet()) {
                Object ev = e.get(k), av = a.get(k);
                // counters PyTorch keeps as Python ints stay integers (Long) in Wick
                if (ev instanceof Long) assertTrue(av instanceof Long, name + ": state[" + id + "]." + k + " should be a Long, is " + av);
                Golden.assertSameValue(name + ": state[" + id + "]." + k, ev, av);
            }
        }
        Golden.assertSameValue(name + ": param_groups", expected.get("param_groups"), actual.get("param_groups"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumingFromAStateDictMatchesTheUninterruptedRunBitForBit(String name) {
        Map<String, Object> c = Golden.optCase(name);
        Run full = new Run(c);
        for (int step = 0; step < SAVE_AT; step++) full.step(step);
        Map<String, Object> sd;
        List<Tensor> copies;
        try (Scope s = Scope.open()) {      // a checkpoint is usually written inside a scope
            sd = full.opt.stateDict();
            copies = Scope.outside(() -> full.params.stream().map(p -> p.detach().clone().requiresGrad(true)).toList());
        }
        Run resumed = new Run(c, copies);
        resumed.opt.loadStateDict(sd);
        for (int step = SAVE_AT; step < STEPS; step++) {
            full.step(step);
            resumed.step(step);
            for (int k = 0; k < full.params.size(); k++)
                assertArrayEquals(full.values(k), resumed.values(k), name + " step " + (step + 1) + " param " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStateDictSavedByPyTorchContinuesAsInPyTorch(String name) {
        Map<String, Object> c = Golden.optCase(name);
        List<Tensor> atTen = Golden.tensors(c, Golden.trajectory(c).get(SAVE_AT - 1), true);
        Run resumed = new Run(c, atTen);
        resumed.opt.loadStateDict(Golden.stateDict(c.get("state_dict_10")));
        for (int step = SAVE_AT; step < STEPS; step++) {
            resumed.step(step);
            for (int k = 0; k < resumed.params.size(); k++)
                Golden.assertClose(name + " step " + (step + 1) + " param " + k, expected(c, step, k), resumed.values(k));
        }
    }
}
