package dev.wick.optim;

import static dev.wick.testkit.Golden.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Tolerance;

/**
 * The golden values of src/test/resources/golden/make_golden.py (PyTorch 1.13) and the problem they
 * were made on, rebuilt in Java.
 */
final class Golden {
    static final double TOL = 1e-6;
    private static Map<String, Object> trajectories;

    private Golden() {}

    static synchronized Map<String, Object> trajectories() {
        if (trajectories == null) trajectories = dev.wick.testkit.Golden.load("/golden/optim_trajectories.json");
        return trajectories;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() { return (List<Map<String, Object>>) trajectories().get("cases"); }

    static Map<String, Object> optCase(String name) {
        for (Map<String, Object> c : cases()) if (name.equals(c.get("name"))) return c;
        throw new IllegalArgumentException("no golden case " + name);
    }

    static List<String> caseNames() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> c : cases()) out.add((String) c.get("name"));
        return out;
    }

    @SuppressWarnings("unchecked")
    static float[] floats(Object o) {
        List<Object> l = (List<Object>) o;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) number(l.get(i));
        return f;
    }

    @SuppressWarnings("unchecked")
    static double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof Map<?, ?> m && m.containsKey("__float__")) {
            String s = (String) m.get("__float__");
            return s.equals("nan") ? Double.NaN : s.equals("inf") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        throw new IllegalArgumentException("not a number: " + o);
    }

    /** Tensors of a case's list of flat value lists ("init", "c", "d", a trajectory step), GC-owned. */
    @SuppressWarnings("unchecked")
    static List<Tensor> tensors(Map<String, Object> c, Object flatLists, boolean requiresGrad) {
        List<Object> shapes = (List<Object>) c.get("shapes");
        List<Object> vals = (List<Object>) flatLists;
        return Scope.outside(() -> {
            List<Tensor> out = new ArrayList<>();
            for (int k = 0; k < shapes.size(); k++) {
                Tensor t = Tensor.of(floats(vals.get(k)), longs(shapes.get(k)));
                out.add(requiresGrad ? t.requiresGrad(true) : t);
            }
            return out;
        });
    }

    @SuppressWarnings("unchecked")
    static List<Object> trajectory(Map<String, Object> c) { return (List<Object>) c.get("trajectory"); }

    /** Whether parameter k gets no gradient at this step. */
    @SuppressWarnings("unchecked")
    static boolean noGrad(Map<String, Object> c, int k, int step) {
        Map<String, Object> ng = (Map<String, Object>) c.get("no_grad");
        Object steps = ng.get(String.valueOf(k));
        return steps != null && ((List<Object>) steps).stream().anyMatch(s -> ((Number) s).intValue() == step);
    }

    /** Sets the golden problem's gradients for a step: p·c + d, or none. */
    static void setGrads(Map<String, Object> c, List<Tensor> params, List<Tensor> cs, List<Tensor> ds, int step) {
        try (Scope s = Scope.open()) {
            for (int k = 0; k < params.size(); k++) {
                Tensor p = params.get(k);
                if (noGrad(c, k, step)) p.setGrad(null);
                else p.setGrad(p.detach().mul(cs.get(k)).add(ds.get(k)));
            }
        }
    }

    /**
     * LBFGS's loss, a scaled Rosenbrock function of each flattened parameter x (w = flattened c_k):
     * sum((w (1 - x))^2) + 10 sum((x[1:] - x[:-1]^2)^2), in the script's operation order.
     */
    static Tensor lbfgsLoss(List<Tensor> params, List<Tensor> cs, List<Tensor> ds) {
        Tensor loss = null;
        for (int k = 0; k < params.size(); k++) {
            Tensor x = params.get(k).reshape(-1);
            long n = x.numel();
            Tensor a = x.rsub(1.0).mul(cs.get(k).reshape(-1));
            Tensor head = x.slice(0, 0, n - 1);
            Tensor b = x.slice(0, 1, n).sub(head.mul(head));
            Tensor term = a.mul(a).sum();
            loss = (loss == null ? term : loss.add(term)).add(b.mul(b).sum().mul(10.0));
        }
        return loss;
    }

    /** {@code |a − e| ≤ TOL·max(1, |e|)} for every value (NaN needs NaN). */
    static void assertClose(String what, float[] expected, float[] actual) {
        double[] e = new double[expected.length], a = new double[actual.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        for (int i = 0; i < a.length; i++) a[i] = actual[i];
        dev.wick.testkit.Golden.assertClose(what, e, a, Tolerance.relative(TOL).withFloor(1));
    }

    // ------------------------------------------------------------------ state dicts from JSON

    /** A state dict written by make_golden.py's enc(), as Wick's value model (state keys as Long). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stateDict(Object json) {
        Map<String, Object> m = (Map<String, Object>) json;
        Map<Long, Object> state = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("state")).entrySet())
            state.put(Long.parseLong(e.getKey()), decode(e.getValue()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", decode(m.get("param_groups")));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object decode(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (m.containsKey("__tensor__")) {
                DType d = DType.parse((String) m.get("__tensor__"));
                long[] shape = longs(m.get("shape"));
                float[] values = floats(m.get("values"));
                return Scope.outside(() -> shape.length == 0 ? Tensor.scalar(values[0], d) : Tensor.of(values, shape).to(d));
            }
            if (m.containsKey("__float__")) return number(m);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) out.put(e.getKey(), decode(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(decode(o));
            return out;
        }
        return v;
    }

    /** Asserts two state-dict values agree: same structure and types, numbers and tensors within TOL. */
    static void assertSameValue(String where, Object expected, Object actual) {
        if (expected instanceof Tensor e) {
            assertTrue(actual instanceof Tensor, where + ": expected a tensor, got " + actual);
            Tensor a = (Tensor) actual;
            assertEquals(java.util.Arrays.toString(e.shape()), java.util.Arrays.toString(a.shape()), where + ": shape");
            assertEquals(e.dtype(), a.dtype(), where + ": dtype");
            assertClose(where, e.toFloatArray(), a.toFloatArray());
        } else if (expected instanceof List<?> el) {
            assertTrue(actual instanceof List<?>, where + ": expected a list, got " + actual);
            List<?> al = (List<?>) actual;
            assertEquals(el.size(), al.size(), where + ": list size");
            for (int i = 0; i < el.size(); i++) assertSameValue(where + "[" + i + "]", el.get(i), al.get(i));
        } else if (expected instanceof Map<?, ?> em) {
            assertTrue(actual instanceof Map<?, ?>, where + ": expected a map, got " + actual);
            Map<?, ?> am = (Map<?, ?>) actual;
            assertEquals(em.keySet(), am.keySet(), where + ": keys");
            for (Object k : em.keySet()) assertSameValue(where + "." + k, em.get(k), am.get(k));
        } else if (expected instanceof Boolean || expected instanceof String || expected == null) {
            assertEquals(expected, actual, where);
        } else if (expected instanceof Long el) {
            // PyTorch writes some float options as ints (weight_decay=0); integer counters stay integers
            assertTrue(actual instanceof Number, where + ": expected a number, got " + actual);
            assertEquals(el.doubleValue(), ((Number) actual).doubleValue(), TOL * Math.max(1, Math.abs(el)), where);
        } else if (expected instanceof Double ed) {
            assertTrue(actual instanceof Double, where + ": expected a float, got " + actual + (actual == null ? "" : " (" + actual.getClass().getSimpleName() + ")"));
            assertEquals(ed, (Double) actual, 1e-5 * Math.max(1, Math.abs(ed)), where);
        } else {
            fail(where + ": unexpected golden value " + expected);
        }
    }
}
