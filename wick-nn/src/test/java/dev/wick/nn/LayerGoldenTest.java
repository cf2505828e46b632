package dev.wick.nn;

import static dev.wick.testkit.Golden.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Tolerance;

/**
 * Every layer against PyTorch 1.13 (make_golden.py): built after the same seed its initial
 * parameters must be bit-identical; then forward output, input gradients and parameter gradients
 * (of sum(out * grad_output)) and buffers after the step must agree to 1e-5 relative.
 */
class LayerGoldenTest {
    static final double RTOL = 1e-5;
    /** {@code |a − e| ≤ RTOL·|e| + RTOL·max|E|}: elements near zero are judged against their tensor's scale. */
    static final Tolerance TOL = Tolerance.relative(RTOL).plusOfScale(RTOL);

    static Stream<Arguments> cases() {
        return list(loadValue("/golden/layers.json")).stream().map(c -> Arguments.of(map(c).get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Object caseObj) {
        Map<String, Object> c = map(caseObj);
        Map<String, Object> spec = map(c.get("spec"));
        Engine.manualSeed(((Number) c.get("seed")).longValue());
        Module m = build(spec);
        List<Object> overridden = list(c.get("overridden"));
        Map<String, Object> state = map(c.get("state"));

        // initialisation: the seeded values must be PyTorch's, bit for bit
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(List.copyOf(state.keySet()), List.copyOf(sd.keySet()), name + ": state-dict keys");
        for (Map.Entry<String, Tensor> e : sd.entrySet()) {
            if (!overridden.contains(e.getKey())) assertBitEqual(name + " init " + e.getKey(), state.get(e.getKey()), e.getValue());
        }
        // the overridden values (random BN affine, running stats) go in through a strict load
        Map<String, Tensor> load = new java.util.LinkedHashMap<>();
        for (String k : state.keySet()) load.put(k, tensor(state.get(k)));
        m.loadStateDict(load, true);
        m.train((Boolean) c.get("train"));

        try (Scope s = Scope.open()) {
            List<Tensor> inputs = new ArrayList<>();
            for (Object enc : list(c.get("inputs"))) {
                Tensor x = tensor(enc);
                if (x.isFloatingPoint()) x.requiresGrad(true);
                inputs.add(x);
            }
            Tensor y = inputs.size() == 1 ? ((UnaryModule) m).forward(inputs.get(0)) : ((Bilinear) m).forward(inputs.get(0), inputs.get(1));
            assertClose(name + " output", c.get("output"), y, TOL);
            y.mul(tensor(c.get("grad_output"))).sum().backward();

            List<Object> inGrads = list(c.get("input_grads"));
            for (int i = 0; i < inGrads.size(); i++) {
                assertNotNull(inputs.get(i).grad(), name + ": input " + i + " got no gradient");
                assertClose(name + " input grad " + i, inGrads.get(i), inputs.get(i).grad(), TOL);
            }
            Map<String, Object> pg = map(c.get("param_grads"));
            Map<String, Tensor> params = m.namedParameters();
            assertEquals(List.copyOf(pg.keySet()), List.copyOf(params.keySet()), name + ": parameters with gradients");
            for (Map.Entry<String, Tensor> p : params.entrySet()) assertClose(name + " grad " + p.getKey(), pg.get(p.getKey()), p.getValue().grad(), TOL);

            Map<String, Object> after = map(c.get("state_after"));
            for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) assertClose(name + " after step " + e.getKey(), after.get(e.getKey()), e.getValue(), TOL);
        }
    }

    /** Builds the Wick layer a golden case's spec describes. */
    static Module build(Map<String, Object> s) {
        String type = (String) s.get("type");
        switch (type) {
            case "Linear": return new Linear(num(s, "in"), num(s, "out"), bool(s, "bias", true));
            case "Bilinear": return new Bilinear(num(s, "in1"), num(s, "in2"), num(s, "out"));
            case "Conv1d": return new Conv1d(num(s, "in"), num(s, "out"), longs(s.get("k")), convOptions(s));
            case "Conv2d": return new Conv2d(num(s, "in"), num(s, "out"), longs(s.get("k")), convOptions(s));
            case "ConvTranspose2d": return new ConvTranspose2d(num(s, "in"), num(s, "out"), longs(s.get("k")), convOptions(s));
            case "MaxPool1d": return new MaxPool1d(longs(s.get("k")), poolOptions(s));
            case "MaxPool2d": return new MaxPool2d(longs(s.get("k")), poolOptions(s));
            case "AvgPool2d": return new AvgPool2d(longs(s.get("k")), poolOptions(s));
            case "AdaptiveAvgPool2d": return new AdaptiveAvgPool2d(longs(s.get("size")));
            case "BatchNorm1d": return new BatchNorm1d(num(s, "n"), bnOptions(s));
            case "BatchNorm2d": return new BatchNorm2d(num(s, "n"), bnOptions(s));
            case "LayerNorm": return new LayerNorm(longs(s.get("shape")), dbl(s, "eps", 1e-5), bool(s, "affine", true), true);
            case "GroupNorm": return new GroupNorm(num(s, "groups"), num(s, "channels"));
            case "Embedding": return s.containsKey("padding_idx") ? new Embedding(num(s, "num"), num(s, "dim"), num(s, "padding_idx")) : new Embedding(num(s, "num"), num(s, "dim"));
            case "Flatten": return s.containsKey("start") ? new Flatten(num(s, "start"), num(s, "end")) : new Flatten();
            case "Unflatten": return new Unflatten(num(s, "dim"), longs(s.get("sizes")));
            case "Identity": return new Identity();
            case "ReLU": return new ReLU();
            case "LeakyReLU": return new LeakyReLU(dbl(s, "slope", 0.01));
            case "ELU": return new ELU(dbl(s, "alpha", 1.0));
            case "GELU": return new GELU(s.containsKey("approximate") ? (String) s.get("approximate") : "none");
            case "SiLU": return new SiLU();
            case "Mish": return new Mish();
            case "Sigmoid": return new Sigmoid();
            case "Tanh": return new Tanh();
            case "Softmax": return new Softmax(num(s, "dim"));
            case "LogSoftmax": return new LogSoftmax(num(s, "dim"));
            case "Hardswish": return new Hardswish();
            case "Sequential": return new Sequential(new Linear(6, 5), new Tanh(), new Linear(5, 2));
            default: throw new IllegalArgumentException("no builder for " + type);
        }
    }

    static ConvOptions convOptions(Map<String, Object> s) {
        ConvOptions o = ConvOptions.defaults();
        if (s.containsKey("stride")) o = o.withStride(longs(s.get("stride")));
        if (s.get("padding") instanceof String) o = o.withPadding((String) s.get("padding"));
        else if (s.containsKey("padding")) o = o.withPadding(longs(s.get("padding")));
        if (s.containsKey("dilation")) o = o.withDilation(longs(s.get("dilation")));
        if (s.containsKey("groups")) o = o.withGroups(num(s, "groups"));
        if (s.containsKey("bias")) o = o.withBias(bool(s, "bias", true));
        if (s.containsKey("padding_mode")) o = o.withPaddingMode((String) s.get("padding_mode"));
        if (s.containsKey("output_padding")) o = o.withOutputPadding(longs(s.get("output_padding")));
        return o;
    }

    static PoolOptions poolOptions(Map<String, Object> s) {
        PoolOptions o = PoolOptions.defaults();
        if (s.containsKey("stride")) o = o.withStride(longs(s.get("stride")));
        if (s.containsKey("padding")) o = o.withPadding(longs(s.get("padding")));
        if (s.containsKey("dilation")) o = o.withDilation(longs(s.get("dilation")));
        if (s.containsKey("ceil_mode")) o = o.withCeilMode(bool(s, "ceil_mode", false));
        if (s.containsKey("count_include_pad")) o = o.withCountIncludePad(bool(s, "count_include_pad", true));
        if (s.containsKey("divisor_override")) o = o.withDivisorOverride(num(s, "divisor_override"));
        return o;
    }

    static BatchNormOptions bnOptions(Map<String, Object> s) {
        BatchNormOptions o = BatchNormOptions.defaults();
        if (s.containsKey("momentum")) o = o.withMomentum(s.get("momentum") == null ? null : ((Number) s.get("momentum")).doubleValue());
        if (s.containsKey("eps")) o = o.withEps(dbl(s, "eps", 1e-5));
        if (s.containsKey("affine")) o = o.withAffine(bool(s, "affine", true));
        if (s.containsKey("track_running_stats")) o = o.withTrackRunningStats(bool(s, "track_running_stats", true));
        return o;
    }

    static long num(Map<String, Object> s, String k) { return ((Number) s.get(k)).longValue(); }
    static double dbl(Map<String, Object> s, String k, double d) { return s.containsKey(k) ? ((Number) s.get(k)).doubleValue() : d; }
    static boolean bool(Map<String, Object> s, String k, boolean d) { return s.containsKey(k) ? (Boolean) s.get(k) : d; }
}
