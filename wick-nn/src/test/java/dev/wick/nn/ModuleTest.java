package dev.wick.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;

/** Module's registry, traversal, modes, state dict and printing. */
class ModuleTest {

    /** The seed's SimpleModel written as a user would, with a custom forward signature. */
    static class Net extends Module {
        final Conv2d conv1 = register("conv1", new Conv2d(1, 10, 5));
        final BatchNorm2d bn = register("bn", new BatchNorm2d(10));
        final Sequential head = register("head", new Sequential(new Linear(40, 8), new ReLU(), new Dropout(0.5), new Linear(8, 3)));
        final Tensor scale = registerParameter("scale", Tensor.ones(1));
        final Tensor steps = registerBuffer("steps", Tensor.zeros(DType.INT64));
        final Tensor cache = registerBuffer("cache", Tensor.zeros(2), false);

        Tensor forward(Tensor x, double temperature) {
            x = F.relu(bn.forward(conv1.forward(x)));        // (B, 10, 4, 4)
            x = F.avgPool2d(x, 2).flatten(1, -1);             // (B, 40)
            return head.forward(x).mul(scale).div(temperature);
        }
    }

    @Test
    void namesAreDottedInRegistrationOrderOwnFirst() {
        Net n = new Net();
        assertEquals(List.of("scale", "conv1.weight", "conv1.bias", "bn.weight", "bn.bias", "head.0.weight", "head.0.bias", "head.3.weight", "head.3.bias"),
                List.copyOf(n.namedParameters().keySet()));
        assertEquals(List.of("steps", "cache", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"), List.copyOf(n.namedBuffers().keySet()));
        // state dict: each module's parameters, then its persistent buffers, then children (PyTorch's order)
        assertEquals(List.of("scale", "steps", "conv1.weight", "conv1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                "bn.num_batches_tracked", "head.0.weight", "head.0.bias", "head.3.weight", "head.3.bias"), List.copyOf(n.stateDict().keySet()));
        assertEquals(List.of("", "conv1", "bn", "head", "head.0", "head.1", "head.2", "head.3"), List.copyOf(n.namedModules().keySet()));
        assertEquals(List.of("conv1", "bn", "head"), List.copyOf(n.namedChildren().keySet()));
        assertSame(n.conv1, n.children().get(0));
        assertSame(n.conv1.weight(), n.namedParameters().get("conv1.weight"));
        assertEquals(9, n.parameters().size());
        assertEquals(5, n.buffers().size());
        assertTrue(n.scale.requiresGrad());
        assertFalse(n.steps.requiresGrad());
    }

    @Test
    void sharedTensorsAndModulesAppearOnceInParametersButUnderEveryKeyInTheStateDict() {
        class Tied extends Module {
            final Linear a = register("a", new Linear(3, 3));
            final Linear b = register("b", a);   // the same module twice
            final Tensor w = registerParameter("w", a.weight());   // a tied tensor
        }
        Tied t = new Tied();
        assertEquals(List.of("w", "a.bias"), List.copyOf(t.namedParameters().keySet()));
        assertEquals(List.of("", "a"), List.copyOf(t.namedModules().keySet()));
        assertEquals(List.of("w", "a.weight", "a.bias", "b.weight", "b.bias"), List.copyOf(t.stateDict().keySet()));
    }

    @Test
    void registrationRejectsBadNamesAndValues() {
        class Bad extends Module {
            void reg(String name) { registerParameter(name, Tensor.zeros(1)); }
            void regInt() { registerParameter("idx", Tensor.zeros(DType.INT64, 2)); }
            void regChild(String name) { register(name, new ReLU()); }
        }
        Bad b = new Bad();
        b.reg("w");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.reg("w"));
        assertEquals("Invalid parameter name: 'w' is already registered in Bad", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.regChild("w"));
        assertEquals("Invalid module name: 'w' is already registered in Bad", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.reg("a.b"));
        assertEquals("Invalid parameter name: 'a.b' (must not contain '.')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.reg(""));
        assertEquals("Invalid parameter name: '' (must be non-empty)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, b::regInt);
        assertEquals("Invalid parameter 'idx': dtype torch.int64 cannot require gradients (parameters must be floating point)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.parameter("v"));
        assertEquals("No parameter named 'v' in Bad (it has [w])", e.getMessage());
    }

    @Test
    void absentBiasIsRegisteredButSkipped() {
        Linear l = new Linear(4, 2, false);
        assertNull(l.bias());
        assertEquals(List.of("weight"), List.copyOf(l.namedParameters().keySet()));
        assertEquals(List.of("weight"), List.copyOf(l.stateDict().keySet()));
        assertEquals("Linear(in_features=4, out_features=2, bias=False)", l.toString());
    }

    @Test
    void trainEvalPropagateAndChangeBehaviour() {
        Net n = new Net();
        assertTrue(n.isTraining());
        n.eval();
        for (Module m : n.modules()) assertFalse(m.isTraining(), m.toString());
        n.head.train();
        assertTrue(n.head.get(2).isTraining());
        assertFalse(n.bn.isTraining());
        n.train(true);
        for (Module m : n.modules()) assertTrue(m.isTraining());

        try (Scope s = Scope.open()) {
            Tensor x = Tensor.randn(4, 1, 8, 8);
            n.forward(x, 1.0);
            assertEquals(1L, n.bn.numBatchesTracked().itemLong());
            n.eval();
            Tensor y1 = n.forward(x, 1.0), y2 = n.forward(x, 1.0);
            assertTrue(y1.equal(y2), "eval: dropout off, running stats fixed");
            assertEquals(1L, n.bn.numBatchesTracked().itemLong());
        }
    }

    @Test
    void applyVisitsChildrenFirstThenSelf() {
        Net n = new Net();
        List<String> seen = new ArrayList<>();
        n.apply(m -> seen.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Conv2d", "BatchNorm2d", "Linear", "ReLU", "Dropout", "Linear", "Sequential", "Net"), seen);
        // a custom init through apply
        n.apply(m -> { if (m instanceof Linear) dev.wick.nn.init.Init.zeros(((Linear) m).bias()); });
        assertEquals(0.0, n.head.get(0).parameter("bias").abs().sum().item());
    }

    @Test
    void zeroGradSetsGradientsToNoneAndFreezingStopsThem() {
        Net n = new Net();
        try (Scope s = Scope.open()) {
            n.forward(Tensor.randn(2, 1, 8, 8), 2.0).sum().backward();
        }
        assertTrue(n.conv1.weight().grad() != null);
        n.zeroGrad();
        for (Tensor p : n.parameters()) assertNull(p.grad());

        n.conv1.requiresGrad(false);   // freeze a sub-tree
        try (Scope s = Scope.open()) {
            n.forward(Tensor.randn(2, 1, 8, 8), 2.0).sum().backward();
        }
        assertNull(n.conv1.weight().grad());
        assertNull(n.conv1.bias().grad());
        assertTrue(n.head.get(0).parameter("weight").grad() != null);
        assertTrue(n.bn.weight().grad() != null);
    }

    @Test
    void toDtypeConvertsFloatingStateInPlaceKeepingIdentity() {
        Net n = new Net();
        Tensor w = n.conv1.weight();
        try (Scope s = Scope.open()) {
            n.forward(Tensor.randn(2, 1, 8, 8), 1.0).sum().backward();
        }
        float before = w.get(0, 0, 0, 0).itemFloat();
        n.to(DType.FLOAT64);
        assertSame(w, n.conv1.weight());
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(DType.FLOAT64, w.grad().dtype());
        assertTrue(w.requiresGrad());
        assertEquals(before, (float) w.get(0, 0, 0, 0).item());
        assertEquals(DType.FLOAT64, n.bn.runningVar().dtype());
        assertEquals(DType.INT64, n.bn.numBatchesTracked().dtype());
        try (Scope s = Scope.open()) {
            Tensor y = n.forward(Tensor.randn(2, 1, 8, 8).toDouble(), 1.0);
            assertEquals(DType.FLOAT64, y.dtype());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.to(DType.INT32));
        assertEquals("Invalid dtype for Module.to: torch.int32 (only floating point types are allowed)", e.getMessage());
    }

    @Test
    void stateDictSharesMemoryAndRoundTrips() {
        Net a = new Net(), b = new Net();
        try (Scope s = Scope.open()) {
            a.forward(Tensor.randn(3, 1, 8, 8), 1.0);   // moves BN's running statistics
        }
        Map<String, Tensor> sd = a.stateDict();
        assertFalse(sd.get("conv1.weight").requiresGrad());
        sd.get("scale").fill_(3);   // detached, but the same memory
        assertEquals(3.0, a.scale.item());

        Module.LoadResult r = b.loadStateDict(sd, true);
        assertTrue(r.isComplete());
        Map<String, Tensor> back = b.stateDict();
        assertEquals(List.copyOf(sd.keySet()), List.copyOf(back.keySet()));
        for (String k : sd.keySet()) assertTrue(sd.get(k).equal(back.get(k)), k);
        assertEquals(1L, b.bn.numBatchesTracked().itemLong());
        assertNotSame(a.conv1.weight(), b.conv1.weight());
        assertTrue(b.conv1.weight().requiresGrad());
        // the copy is by value
        a.scale.detach().fill_(5);
        assertEquals(3.0, b.scale.item());
    }

    @Test
    void strictLoadReportsEveryProblemByKeyAndCopiesNothing() {
        Net n = new Net();
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
        sd.remove("bn.running_var");
        sd.remove("head.3.bias");
        sd.put("head.9.weight", Tensor.zeros(2));
        sd.put("conv1.weight", Tensor.zeros(10, 1, 3, 3));
        sd.put("scale", Tensor.ones(DType.FLOAT64, 1).mul(7.0));
        sd.put("conv1.bias", Tensor.full(9, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.loadStateDict(sd, true));
        assertEquals("Error(s) in loading state dict for Net:"
                + "\n  Missing key(s): bn.running_var, head.3.bias."
                + "\n  Unexpected key(s): head.9.weight."
                + "\n  dtype mismatch for scale: copying a tensor of dtype torch.float64, the dtype in the current model is torch.float32."
                + "\n  size mismatch for conv1.weight: copying a tensor of shape [10, 1, 3, 3], the shape in the current model is [10, 1, 5, 5].", e.getMessage());
        assertEquals(1.0, n.scale.item(), "nothing copied when the load fails");
        assertTrue(n.conv1.bias().abs().max().item() < 1, "nothing copied when the load fails");
    }

    @Test
    void nonStrictLoadReturnsWhatWasMissingAndConvertsDtypes() {
        Net n = new Net();
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("scale", Tensor.full(2, DType.FLOAT64, 1));
        sd.put("extra", Tensor.zeros(1));
        Module.LoadResult r = n.loadStateDict(sd, false);
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertEquals(12, r.missingKeys().size());
        assertEquals("steps", r.missingKeys().get(0));
        assertEquals(2.0, n.scale.item());
        assertEquals(DType.FLOAT32, n.scale.dtype());
        // shape mismatches fail even when not strict (as PyTorch)
        sd.put("scale", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.loadStateDict(sd, false));
        assertTrue(e.getMessage().contains("size mismatch for scale"), e.getMessage());
    }

    @Test
    void loadDoesNotRecordGradients() {
        Linear l = new Linear(2, 2);
        Map<String, Tensor> sd = new Linear(2, 2).stateDict();
        l.loadStateDict(sd);
        assertTrue(l.weight().isLeaf());
        assertTrue(l.weight().requiresGrad());
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void setParameterReplacesTheRegisteredTensor() {
        Linear l = new Linear(3, 2);
        Tensor w = Tensor.ones(2, 3);
        Tensor reg = l.setParameter("weight", w);
        assertSame(w, reg);
        assertSame(w, l.weight());
        assertTrue(w.requiresGrad());
        l.setParameter("bias", null);
        assertNull(l.bias());
        try (Scope s = Scope.open()) {
            assertEquals(List.of(6.0f, 6.0f), List.of(box(l.forward(Tensor.full(2, 1, 3)).toFloatArray())));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.setParameter("gamma", w));
        assertEquals("No parameter named 'gamma' in Linear (it has [weight, bias])", e.getMessage());
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    @Test
    void printsLikePyTorch() {
        Map<String, Object> repr = Golden.load("/golden/repr.json");
        class AsSequential extends Module {
            AsSequential(Module... ms) { for (int i = 0; i < ms.length; i++) register(Integer.toString(i), ms[i]); }
            @Override protected String typeName() { return "Sequential"; }
        }
        Module misc = new AsSequential(
                new Conv2d(3, 8, 3, ConvOptions.defaults().withStride(2).withPadding(1).withDilation(2).withBias(false).withPaddingMode("reflect")),
                new Conv1d(2, 4, 3, ConvOptions.defaults().withPadding("same")),
                new ConvTranspose2d(4, 2, 3, ConvOptions.defaults().withStride(2).withOutputPadding(1).withGroups(2)),
                new BatchNorm1d(4, BatchNormOptions.defaults().withMomentum(null).withAffine(false)),
                new LayerNorm(new long[]{4, 5}, 1e-6, true, true), new GroupNorm(2, 6),
                new Dropout(0.25), new Dropout2d(), new Embedding(10, 3, 0), new Flatten(), new Unflatten(1, 2, 5),
                new Identity(), new ReLU(), new ReLU(true), new LeakyReLU(), new ELU(0.5), new GELU("tanh"),
                new SiLU(), new Mish(), new Sigmoid(), new Tanh(), new Softmax(-1), new LogSoftmax(1), new Hardswish(),
                new MaxPool1d(3), new MaxPool2d(new long[]{2, 3}, PoolOptions.defaults().withStride(1)),
                new AvgPool2d(3, PoolOptions.defaults().withStride(2).withPadding(1)), new AdaptiveAvgPool2d(1),
                new Bilinear(3, 4, 5), new Linear(3, 4, false));
        assertEquals(repr.get("misc"), misc.toString());
        ModuleList<Module> list = new ModuleList<>(new Linear(2, 2), new Linear(2, 2), new Linear(2, 2), new ReLU(), new Linear(2, 2));
        // PyTorch 2's ModuleList folds runs of equal modules (1.13, which made repr.json, lists each one)
        assertEquals("ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n  (3): ReLU()\n"
                + "  (4): Linear(in_features=2, out_features=2, bias=True)\n)", list.toString());
    }

    @Test
    void containers() {
        Sequential seq = new Sequential(new Linear(4, 3), new ReLU());
        seq.add(new Linear(3, 2));
        assertEquals(3, seq.size());
        assertTrue(seq.get(-1) instanceof Linear);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(seq.namedParameters().keySet()));
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> seq.get(3));
        assertEquals("index 3 is out of range for a Sequential of 3 modules", oob.getMessage());
        int n = 0;
        for (UnaryModule m : seq) n++;
        assertEquals(3, n);

        Map<String, UnaryModule> named = new LinkedHashMap<>();
        named.put("fc", new Linear(2, 2));
        named.put("act", new Tanh());
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(new Sequential(named).namedParameters().keySet()));

        ModuleList<Linear> list = new ModuleList<>();
        list.add(new Linear(2, 3)).add(new Linear(3, 1));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(list.namedParameters().keySet()));
        assertEquals(1, list.get(-1).outFeatures());

        ModuleDict<UnaryModule> dict = new ModuleDict<>();
        dict.put("digits", new Linear(4, 10)).put("parity", new Linear(4, 2));
        assertEquals(List.of("digits.weight", "digits.bias", "parity.weight", "parity.bias"), List.copyOf(dict.namedParameters().keySet()));
        assertEquals(List.of("digits", "parity"), List.copyOf(dict.keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dict.get("colour"));
        assertEquals("No module named 'colour' in ModuleDict (it has [digits, parity])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dict.put("digits", new Identity()));
        assertEquals("Invalid module name: 'digits' is already registered in ModuleDict", e.getMessage());
    }
}
