package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** The Optimizer / ParamGroup contract: groups, defaults, zeroGrad, state dicts, ownership. */
class OptimizerTest {

    static Tensor param(long... shape) { return Tensor.randn(shape).requiresGrad(true); }

    static void grad(Tensor p, double v) { p.setGrad(p.detach().zerosLike().fill_(v)); }

    @Test
    void addParamGroupFillsMissingOptionsFromTheDefaultsAndKeepsUnknownKeys() {
        Tensor a = param(2, 3), b = param(3);
        SGD opt = new SGD(List.of(ParamGroup.of(a)), SGD.Options.lr(0.1).withMomentum(0.9));
        opt.addParamGroup(ParamGroup.of(b).lr(0.01).with("initial_lr", 0.01).with("tag", "head"));
        ParamGroup g1 = opt.paramGroups().get(1);
        assertEquals(0.01, g1.lr());
        assertEquals(0.9, g1.getDouble("momentum"), "filled from the defaults");
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals("head", g1.get("tag"));
        assertEquals(List.of("lr", "initial_lr", "tag", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable"),
                List.copyOf(g1.options().keySet()), "the group's own keys first, then the defaults, in PyTorch's order");
        @SuppressWarnings("unchecked")
        Map<String, Object> packed = (Map<String, Object>) ((List<Object>) opt.stateDict().get("param_groups")).get(1);
        assertEquals(0.01, packed.get("initial_lr"), "a scheduler's key travels through the state dict");
        assertEquals(List.of(1L), packed.get("params"));
        assertEquals(0.1, opt.defaults().get("lr"));
        assertThrows(UnsupportedOperationException.class, () -> opt.defaults().put("lr", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> opt.paramGroups().add(ParamGroup.of(param(1))));
    }

    @Test
    void aRejectedGroupIsLeftAsItWasAndNotAdded() {
        SGD opt = new SGD(List.of(param(2)), SGD.Options.lr(0.1));
        ParamGroup bad = ParamGroup.of(param(3)).with("momentum", -1.0);
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(bad));
        assertEquals(List.of("momentum"), List.copyOf(bad.options().keySet()));
        assertEquals(1, opt.paramGroups().size());
        opt.addParamGroup(ParamGroup.of(bad.params().get(0)));   // its parameter is free to join later
        assertEquals(2, opt.paramGroups().size());
    }

    @Test
    void aParameterInTwoGroupsIsAnErrorNamingIt() {
        Tensor a = param(2, 3), b = param(4);
        SGD opt = new SGD(List.of(ParamGroup.of(b, a)), SGD.Options.lr(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(param(1), a)));
        assertEquals("Parameter 1 of group 1 (shape [2, 3]) is already in the optimizer as parameter 1 of group 0: "
                + "a parameter can appear in only one group, once", e.getMessage());
        assertEquals(1, opt.paramGroups().size(), "the failed group was not added");
        // another handle on the same tensor is the same parameter
        Tensor alias = Tensor.wrapBorrowed(a.unwrap());
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(alias)));
        // twice in one group
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(b, b)));
        assertTrue(e.getMessage().startsWith("Parameter 1 of group 0 (shape [4]) is already in the optimizer as parameter 0 of group 0"), e.getMessage());
    }

    @Test
    void badParameterListsAreRejected() {
        assertEquals("optimizer got an empty parameter list",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.<Tensor>of(), SGD.Options.lr(0.1))).getMessage());
        assertEquals("optimizer got an empty parameter list",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.<ParamGroup>of(), SGD.Options.lr(0.1))).getMessage());
        Tensor leaf = param(3);
        Tensor nonLeaf = leaf.mul(2.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(nonLeaf))).getMessage()
                .startsWith("can't optimize a non-leaf Tensor: parameter 0 of group 0 (shape [3])"));
        Tensor ints = Tensor.zeros(DType.INT64, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(ints))).getMessage().contains("torch.int64"));
        assertEquals("'params' is not an option: pass the parameters to the ParamGroup constructor",
                assertThrows(IllegalArgumentException.class, () -> ParamGroup.of(leaf).with("params", List.of())).getMessage());
    }

    @Test
    void zeroGradSetsToNoneByDefaultOrZeroesInPlace() {
        Tensor a = param(2), b = param(2);
        SGD opt = new SGD(List.of(a, b), SGD.Options.lr(0.1));
        grad(a, 3);
        Tensor before = a.grad();
        opt.zeroGrad(false);
        assertArrayEquals(new float[]{0, 0}, a.grad().toFloatArray());
        assertTrue(a.grad().unwrap().is_same(before.unwrap()), "zeroed in place, same tensor");
        assertNull(b.grad(), "a missing gradient stays missing");
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void changingTheLearningRateOfAGroupChangesTheNextStep() {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(List.of(p), SGD.Options.lr(0.1));
        grad(p, 1);
        opt.step();
        assertEquals(-0.1f, p.toFloatArray()[0], 1e-7);
        opt.paramGroups().get(0).setLr(0.5);
        opt.step();
        assertEquals(-0.6f, p.toFloatArray()[0], 1e-7);
    }

    @Test
    void perLayerWeightDecayAndLearningRateInTwoLines() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("backbone.conv.weight", Tensor.ones(2, 2).requiresGrad(true));
        named.put("backbone.norm.weight", Tensor.ones(2).requiresGrad(true));
        named.put("head.weight", Tensor.ones(3).requiresGrad(true));
        named.put("head.bias", Tensor.ones(3).requiresGrad(true));
        // the seed's split: no decay on biases and norms, a 10x smaller lr for the backbone
        Predicate<String> noDecay = n -> n.endsWith(".bias") || n.contains("norm");
        AdamW opt = new AdamW(List.of(ParamGroup.select(named, noDecay.negate()), ParamGroup.select(named, noDecay).weightDecay(0.0)),
                AdamW.Options.lr(0.1).withWeightDecay(0.5));
        assertEquals(2, opt.paramGroups().get(0).params().size());
        assertSame(named.get("head.bias"), opt.paramGroups().get(1).params().get(1));
        for (Tensor p : named.values()) p.setGrad(p.detach().zerosLike());   // a zero gradient: only the decay moves a parameter
        opt.step();
        assertEquals(1 - 0.1f * 0.5f, named.get("backbone.conv.weight").toFloatArray()[0], 1e-7, "decayed: p(1 - lr wd)");
        assertEquals(1 - 0.1f * 0.5f, named.get("head.weight").toFloatArray()[0], 1e-7);
        assertEquals(1f, named.get("head.bias").toFloatArray()[0], "no decay on biases");
        assertEquals(1f, named.get("backbone.norm.weight").toFloatArray()[0], "no decay on norms");
        // a smaller lr for the backbone is one more group (or a with("lr", ...) on it)
        SGD sgd = new SGD(List.of(ParamGroup.select(named, n -> n.startsWith("backbone.")).lr(0.01),
                ParamGroup.select(named, n -> !n.startsWith("backbone."))), SGD.Options.lr(0.1));
        assertEquals(List.of(0.01, 0.1), sgd.paramGroups().stream().map(ParamGroup::lr).toList());
    }

    @Test
    void stateDictHasPyTorchsLayout() {
        Tensor a = param(2, 3), b = param(3), c = param(4);
        Adam opt = new Adam(List.of(ParamGroup.of(a, b), ParamGroup.of(c).lr(0.01)), Adam.Options.lr(0.001).withAmsgrad(true));
        grad(a, 1);
        grad(c, 1);   // b has no gradient: no state
        opt.step();
        Map<String, Object> sd = opt.stateDict();
        assertEquals(List.of("state", "param_groups"), List.copyOf(sd.keySet()));
        @SuppressWarnings("unchecked")
        Map<Long, Map<String, Object>> state = (Map<Long, Map<String, Object>>) sd.get("state");
        assertEquals(List.of(0L, 2L), List.copyOf(state.keySet()), "indices across the groups; b (index 1) has no state");
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(state.get(0L).keySet()));
        Tensor step = (Tensor) state.get(0L).get("step");
        assertEquals(0, step.dim());
        assertEquals(DType.FLOAT32, step.dtype());
        assertEquals(1.0, step.item());
        assertArrayEquals(new long[]{4}, ((Tensor) state.get(2L).get("exp_avg")).shape());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) sd.get("param_groups");
        assertEquals(List.of(0L, 1L), groups.get(0).get("params"));
        assertEquals(List.of(2L), groups.get(1).get("params"));
        assertEquals(List.of(0.9, 0.999), groups.get(0).get("betas"));
        assertEquals(0.01, groups.get(1).get("lr"));
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused", "params"),
                List.copyOf(groups.get(0).keySet()), "PyTorch 1.13's keys, params last");
    }

    @Test
    void stateDictTensorsAreIndependentHandlesOnTheLiveState() {
        Tensor p = param(3);
        SGD opt = new SGD(List.of(p), SGD.Options.lr(0.1).withMomentum(0.9));
        grad(p, 1);
        opt.step();
        @SuppressWarnings("unchecked")
        Tensor buf = (Tensor) ((Map<Long, Map<String, Object>>) opt.stateDict().get("state")).get(0L).get("momentum_buffer");
        assertEquals(1.0f, buf.toFloatArray()[0]);
        opt.step();
        assertEquals(1.9f, buf.toFloatArray()[0], 1e-6, "aliases the live buffer, as in PyTorch");
        buf.close();   // closing the exported handle does not free the optimizer's buffer
        opt.step();
        assertEquals(2.71f, momentum(opt), 1e-5);
    }

    @SuppressWarnings("unchecked")
    static float momentum(Optimizer opt) {
        return ((Tensor) ((Map<Long, Map<String, Object>>) opt.stateDict().get("state")).get(0L).get("momentum_buffer")).toFloatArray()[0];
    }

    @Test
    void loadStateDictCopiesTheTensorsSoTheLoadedOptimizerNeverAliasesTheSource() {
        Tensor p = param(3), q = p.detach().clone().requiresGrad(true);
        SGD src = new SGD(List.of(p), SGD.Options.lr(0.1).withMomentum(0.9));
        grad(p, 1);
        src.step();
        SGD dst = new SGD(List.of(q), SGD.Options.lr(0.5).withMomentum(0.9));
        dst.loadStateDict(src.stateDict());
        assertEquals(0.1, dst.paramGroups().get(0).lr(), "options come from the state dict");
        grad(p, 1);
        src.step();   // changes src's buffer in place
        assertEquals(1.0f, momentum(dst), "dst's buffer is a copy");
    }

    @Test
    void loadingChecksGroupCountSizesAndStateShapesAndNamesTheMismatch() {
        Tensor a = param(2, 3), b = param(3);
        Adam opt = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(b)), Adam.Options.defaults());
        grad(a, 1);
        grad(b, 1);
        opt.step();
        Map<String, Object> good = opt.stateDict();

        Adam oneGroup = new Adam(List.of(param(2, 3), param(3)));
        assertEquals("loaded state dict has 2 parameter group(s), but this optimizer has 1",
                assertThrows(IllegalArgumentException.class, () -> oneGroup.loadStateDict(good)).getMessage());

        Adam sizes = new Adam(List.of(ParamGroup.of(param(2, 3), param(1)), ParamGroup.of(param(3))), Adam.Options.defaults());
        assertEquals("parameter group 0 of the loaded state dict has 1 parameter(s), but this optimizer's group 0 has 2",
                assertThrows(IllegalArgumentException.class, () -> sizes.loadStateDict(good)).getMessage());

        Adam shapes = new Adam(List.of(ParamGroup.of(param(3, 2)), ParamGroup.of(param(3))), Adam.Options.defaults());
        assertEquals("state of parameter 0 (shape [3, 2]): 'exp_avg' has shape [2, 3] but the parameter has shape [3, 2]",
                assertThrows(IllegalArgumentException.class, () -> shapes.loadStateDict(good)).getMessage());

        Adam amsgrad = new Adam(List.of(ParamGroup.of(param(2, 3)), ParamGroup.of(param(3))), Adam.Options.defaults());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) good.get("param_groups");
        groups.get(1).put("amsgrad", true);
        assertEquals("state of parameter 1 (shape [3]) lacks 'max_exp_avg_sq' (it has [step, exp_avg, exp_avg_sq])",
                assertThrows(IllegalArgumentException.class, () -> amsgrad.loadStateDict(good)).getMessage());
        assertFalse(amsgrad.paramGroups().get(1).getBoolean("amsgrad"), "a failed load changes nothing");

        Map<String, Object> noGroups = new LinkedHashMap<>(good);
        noGroups.remove("param_groups");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(noGroups)).getMessage()
                .startsWith("Optimizer state dict has no 'param_groups' list"));
    }

    @Test
    void aStateDictFromPythonWithTuplesAndIntsLoads() {
        // what a pickled PyTorch state dict looks like after decoding: betas a tuple (List), ints as Long
        Tensor p = param(2);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 1L);
        group.put("betas", List.of(0.5, 0.9));
        group.put("eps", 1e-8);
        group.put("weight_decay", 0L);
        group.put("amsgrad", false);
        group.put("params", List.of(0L));
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", Map.of());
        sd.put("param_groups", List.of(group));
        Adam opt = new Adam(List.of(p));
        opt.loadStateDict(sd);
        ParamGroup g = opt.paramGroups().get(0);
        assertEquals(1.0, g.lr());
        assertEquals(List.of(0.5, 0.9), g.get("betas"));
        assertEquals(false, g.get("maximize"), "keys the file lacks come from the defaults");
        grad(p, 1);
        opt.step();   // and it steps
    }

    @Test
    void stepLeavesNothingInTheCallersScopeAndStateOutlivesIt() {
        Tensor p = param(5);
        Adam opt = new Adam(List.of(p));
        for (int i = 0; i < 3; i++) {
            try (Scope s = Scope.open()) {
                grad(p, 1);
                int before = s.ownedCount();
                opt.step();
                assertEquals(before, s.ownedCount(), "step() frees its own temporaries");
            }
        }
        @SuppressWarnings("unchecked")
        Tensor step = (Tensor) ((Map<Long, Map<String, Object>>) opt.stateDict().get("state")).get(0L).get("step");
        assertEquals(3.0, step.item(), "state made in the first step's scope is still alive");
    }

    @Test
    void stepsAfterTheFirstAllocateNoLongLivedTensors() {
        List<Tensor> ps = List.of(param(4, 4), param(4));
        for (Optimizer opt : List.of(new SGD(ps, SGD.Options.lr(0.1).withMomentum(0.9)), new AdamW(ps), new RMSprop(ps),
                new Adagrad(ps), new Adadelta(ps), new Adamax(ps), new NAdam(ps), new RAdam(ps))) {
            try (Scope s = Scope.open()) {
                for (Tensor p : ps) grad(p, 0.5);
                opt.step();                       // creates the state
            }
            long before = Scope.gcOwnedLive();
            for (int i = 0; i < 20; i++) {
                try (Scope s = Scope.open()) {
                    for (Tensor p : ps) grad(p, 0.5);
                    opt.step();
                }
            }
            assertTrue(Scope.gcOwnedLive() <= before, opt.getClass().getSimpleName() + ": GC-owned tensors grew from "
                    + before + " to " + Scope.gcOwnedLive() + " over 20 steps");
        }
    }

    @Test
    void stepWithAClosureReturnsTheLoss() {
        Tensor p = Tensor.of(new float[]{3}).requiresGrad(true);
        SGD opt = new SGD(List.of(p), SGD.Options.lr(0.25));
        double loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = p.mul(p).sum();
            l.backward();
            return l;
        });
        assertEquals(9.0, loss);
        assertEquals(1.5f, p.toFloatArray()[0], "3 - 0.25 * 6");
    }

    @Test
    void adagradUsesAGroupsOwnInitialAccumulatorValue() {
        Tensor a = param(2), b = param(2);
        Adagrad opt = new Adagrad(List.of(ParamGroup.of(a), ParamGroup.of(b).with("initial_accumulator_value", 0.5)),
                Adagrad.Options.defaults().withInitialAccumulatorValue(0.1));
        @SuppressWarnings("unchecked")
        Map<Long, Map<String, Object>> st = (Map<Long, Map<String, Object>>) opt.stateDict().get("state");
        assertEquals(0.1f, ((Tensor) st.get(0L).get("sum")).toFloatArray()[0], 1e-7, "state exists before the first step, as in PyTorch");
        assertEquals(0.5f, ((Tensor) st.get(1L).get("sum")).toFloatArray()[0], 1e-7);
    }

    @Test
    void lbfgsTakesOneGroupAndNeedsAClosure() {
        LBFGS opt = new LBFGS(List.of(param(2)));
        assertEquals("LBFGS needs a closure that re-evaluates the loss: call step(closure)",
                assertThrows(IllegalStateException.class, opt::step).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(param(1)))).getMessage()
                .startsWith("LBFGS doesn't support per-parameter options"));
        assertEquals(25L, opt.paramGroups().get(0).get("max_eval"), "max_iter * 5 / 4");
        assertNotNull(opt.toString());
    }
}
