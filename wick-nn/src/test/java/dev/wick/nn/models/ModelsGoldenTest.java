package dev.wick.nn.models;

import static dev.wick.testkit.Golden.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wick.nn.UnaryModule;
import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;
import dev.wick.testkit.Tolerance;

/**
 * The models against PyTorch/torchvision (make_golden.py): after the same seed the initial weights
 * are bit-identical, forward and backward agree, and ResNet's state-dict keys, order and shapes are
 * torchvision's.
 */
class ModelsGoldenTest {
    static final double RTOL = 1e-5;
    /** {@code |a − e| ≤ RTOL·|e| + RTOL·max|E|}: elements near zero are judged against their tensor's scale. */
    static final Tolerance TOL = Tolerance.relative(RTOL).plusOfScale(RTOL);
    static Map<String, Object> golden;

    @BeforeAll
    static void load() { golden = Golden.load("/golden/models.json"); }

    static UnaryModule build(String name) {
        switch (name) {
            case "SeedModel": return new SeedModel();
            case "SimpleModel": return new SimpleModel();
            case "SimpleClassifier": return new SimpleClassifier();
            case "LeNet5": return new LeNet5(10);
            case "Mlp": return new Mlp();
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SeedModel", "SimpleModel", "SimpleClassifier", "LeNet5", "Mlp"})
    void smallModelMatchesPyTorch(String name) {
        Map<String, Object> g = map(golden.get(name));
        Engine.manualSeed(((Number) g.get("seed")).longValue());
        UnaryModule m = build(name);
        Map<String, Object> state = map(g.get("state"));
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(List.copyOf(state.keySet()), List.copyOf(sd.keySet()), name + " state-dict keys");
        for (String k : state.keySet()) assertDigest(name + " init " + k, state.get(k), sd.get(k), true, 1e-6);

        try (Scope s = Scope.open()) {
            long seed = ((Number) g.get("input_seed")).longValue();
            Tensor x = Tensor.randn(new Generator(seed), longs(g.get("input_shape")));
            assertDigest(name + " input (Wick's randn = torch.randn)", g.get("input"), x, true, 1e-6);
            Tensor y = m.forward(x);
            Tensor go = Tensor.randn(new Generator(((Number) g.get("grad_output_seed")).longValue()), y.shape());
            assertClose(name + " output", g.get("output"), y, TOL);
            y.mul(go).sum().backward();
            Map<String, Object> pg = map(g.get("param_grads"));
            Map<String, Tensor> params = m.namedParameters();
            assertEquals(List.copyOf(pg.keySet()), List.copyOf(params.keySet()));
            for (Map.Entry<String, Tensor> p : params.entrySet()) assertDigest(name + " grad " + p.getKey(), pg.get(p.getKey()), p.getValue().grad(), false, RTOL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet34", "resnet50"})
    void resnetStateDictIsTorchvisions(String arch) {
        Map<String, Object> g = map(map(golden.get("resnet_arch")).get(arch));
        ResNet net = arch.equals("resnet18") ? ResNet.resnet18(1000) : arch.equals("resnet34") ? ResNet.resnet34(1000) : ResNet.resnet50(1000);
        Map<String, Tensor> sd = net.stateDict();
        List<String> keys = new ArrayList<>();
        for (Object k : list(g.get("keys"))) keys.add((String) k);
        assertEquals(keys, List.copyOf(sd.keySet()), arch + ": state-dict keys in torchvision's order");
        List<Object> shapes = list(g.get("shapes"));
        List<Object> dtypes = list(g.get("dtypes"));
        int i = 0;
        for (Tensor t : sd.values()) {
            assertEquals(List.of(box(longs(shapes.get(i)))), List.of(box(t.shape())), arch + " shape of " + keys.get(i));
            assertEquals(dtypes.get(i), t.dtype().torchName(), arch + " dtype of " + keys.get(i));
            i++;
        }
        long n = 0;
        for (Tensor p : net.parameters()) n += p.numel();
        assertEquals(((Number) g.get("num_parameters")).longValue(), n, arch + " parameter count");
        assertEquals(list(g.get("named_parameters")), List.copyOf(net.namedParameters().keySet()));

        // a torchvision-shaped state dict (here: this one's values, renamed nothing) loads strictly into a fresh model
        Map<String, Tensor> copy = new LinkedHashMap<>();
        sd.forEach((k, v) -> copy.put(k, v.clone()));
        ResNet other = arch.equals("resnet18") ? ResNet.resnet18(1000) : arch.equals("resnet34") ? ResNet.resnet34(1000) : ResNet.resnet50(1000);
        assertTrue(other.loadStateDict(copy, true).isComplete());
        Map<String, Tensor> back = other.stateDict();
        for (String k : keys) assertTrue(back.get(k).equal(sd.get(k)), arch + ": round trip of " + k);
    }

    private static Long[] box(long[] v) {
        Long[] out = new Long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    @Test
    void resnet18SeededInitAndStepMatchTorchvision() {
        Map<String, Object> g = map(golden.get("resnet18_seed0"));
        Engine.manualSeed(0);
        ResNet net = ResNet.resnet18(((Number) g.get("num_classes")).longValue());
        Map<String, Tensor> sd = net.stateDict();
        // sampled values, bit for bit
        Map<String, Object> samples = map(g.get("samples"));
        check(samples, "conv1.weight[0,0,0,:]", () -> sd.get("conv1.weight").get(0, 0, 0));
        check(samples, "layer1.0.conv1.weight[0,0,0,:]", () -> sd.get("layer1.0.conv1.weight").get(0, 0, 0));
        check(samples, "layer2.0.downsample.0.weight[0,:8,0,0]", () -> sd.get("layer2.0.downsample.0.weight").get(0).slice(0, 0, 8).select(1, 0).select(1, 0));
        check(samples, "layer4.1.conv2.weight[5,7,:,2]", () -> sd.get("layer4.1.conv2.weight").get(5, 7).select(1, 2));
        check(samples, "fc.weight[0,:8]", () -> sd.get("fc.weight").get(0).slice(0, 0, 8));
        check(samples, "fc.bias[:5]", () -> sd.get("fc.bias").slice(0, 0, 5));
        check(samples, "layer4.1.bn2.weight[:3]", () -> sd.get("layer4.1.bn2.weight").slice(0, 0, 3));
        // every floating tensor: head bit for bit, sums to 1e-6
        Map<String, Object> digests = map(g.get("digests"));
        for (String k : digests.keySet()) assertDigest("resnet18 init " + k, digests.get(k), sd.get(k), true, 1e-6);

        try (Scope s = Scope.open()) {
            Tensor x = Tensor.randn(new Generator(((Number) g.get("input_seed")).longValue()), longs(g.get("input_shape")));
            assertDigest("resnet18 input", g.get("input"), x, true, 1e-6);
            net.train();
            Tensor y = net.forward(x);
            assertClose("resnet18 train output", g.get("output_train"), y, TOL);
            Tensor go = Tensor.randn(new Generator(((Number) g.get("grad_output_seed")).longValue()), y.shape());
            y.mul(go).sum().backward();
            Map<String, Object> pg = map(g.get("param_grads"));
            Map<String, Tensor> params = net.namedParameters();
            for (String k : pg.keySet()) assertDigest("resnet18 grad " + k, pg.get(k), params.get(k).grad(), false, 1e-5);
            Map<String, Object> rs = map(g.get("running_after_train_step"));
            Map<String, Tensor> bufs = net.namedBuffers();
            for (String k : rs.keySet()) assertDigest("resnet18 " + k, rs.get(k), bufs.get(k), false, 1e-5);
            assertEquals(((Number) g.get("num_batches_tracked")).longValue(), bufs.get("bn1.num_batches_tracked").itemLong());
            assertEquals(DType.INT64, bufs.get("bn1.num_batches_tracked").dtype());
            net.eval();
            try (var ng = dev.wick.tensor.Autograd.noGrad()) {
                assertClose("resnet18 eval output", g.get("output_eval"), net.forward(x), TOL);
            }
        }
    }

    private static void check(Map<String, Object> samples, String key, Supplier<Tensor> actual) {
        try (Scope s = Scope.open()) {
            assertBitEqual("resnet18 " + key, floats(samples.get(key)), actual.get().toFloatArray());
        }
    }

    @Test
    void resnetForwardShapesAndValidation() {
        try (Scope s = Scope.open()) {
            ResNet r50 = ResNet.resnet50(7);
            Tensor y = r50.forward(Tensor.randn(new Generator(1), 1, 3, 32, 32));
            assertEquals(List.of(1L, 7L), List.of(box(y.shape())));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResNet.resnet18(0));
        assertEquals("Invalid number of classes: 0 (must be > 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResNet(ResNet.Block.BASIC, new int[]{2, 2, 2}, 10, false));
        assertTrue(e.getMessage().contains("[2, 2, 2]"), e.getMessage());
    }

    @Test
    void zeroInitResidualZeroesTheLastNormOfEveryBlock() {
        ResNet r = new ResNet(ResNet.Block.BASIC, new int[]{1, 1, 1, 1}, 10, true);
        Map<String, Tensor> p = r.namedParameters();
        assertEquals(0.0, p.get("layer1.0.bn2.weight").abs().sum().item());
        assertEquals(0.0, p.get("layer4.0.bn2.weight").abs().sum().item());
        assertEquals(64.0, p.get("layer1.0.bn1.weight").sum().item());
    }

    @Test
    void modelsPrintLikePyTorch() {
        Map<String, Object> repr = Golden.load("/golden/repr.json");
        assertEquals(repr.get("SimpleModel"), new SimpleModel().toString());
        assertEquals(repr.get("SimpleClassifier"), new SimpleClassifier().toString());
        assertEquals(repr.get("LeNet5"), new LeNet5().toString());
        assertEquals(((String) repr.get("Mlp")).replaceFirst("^Sequential", "Mlp"), new Mlp().toString());
        assertEquals(repr.get("resnet18"), ResNet.resnet18(1000).toString());
        assertEquals(repr.get("resnet50"), ResNet.resnet50(1000).toString());
    }
}
