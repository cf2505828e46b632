package dev.wick.optim;

import static dev.wick.testkit.Golden.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.Tensor;

/** GradClip against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (golden/grad_clip.json). */
class GradClipTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) dev.wick.testkit.Golden.load("/golden/grad_clip.json").get("cases");
    }

    /** Parameters whose gradients are the case's "grads". */
    @SuppressWarnings("unchecked")
    static List<Tensor> params(Map<String, Object> c) {
        List<Object> shapes = (List<Object>) c.get("shapes"), grads = (List<Object>) c.get("grads");
        List<Tensor> ps = new ArrayList<>();
        for (int k = 0; k < shapes.size(); k++) {
            long[] shape = longs(shapes.get(k));
            Tensor p = Tensor.zeros(shape).requiresGrad(true);
            p.setGrad(Tensor.of(Golden.floats(grads.get(k)), shape));
            ps.add(p);
        }
        return ps;
    }

    @SuppressWarnings("unchecked")
    static void assertGrads(String what, Map<String, Object> c, List<Tensor> ps) {
        List<Object> clipped = (List<Object>) c.get("clipped");
        for (int k = 0; k < ps.size(); k++) Golden.assertClose(what + " grad " + k, Golden.floats(clipped.get(k)), ps.get(k).grad().toFloatArray());
    }

    @Test
    void clipGradNormMatchesPyTorchForEveryNormType() {
        int n = 0;
        for (Map<String, Object> c : cases()) {
            if (!"norm".equals(c.get("kind"))) continue;
            List<Tensor> ps = params(c);
            double maxNorm = Golden.number(c.get("max_norm")), normType = Golden.number(c.get("norm_type"));
            String what = "clipGradNorm(max " + maxNorm + ", p " + normType + ")";
            double total = GradClip.clipGradNorm(ps, maxNorm, normType, false);
            double expected = Golden.number(c.get("total"));
            if (Double.isNaN(expected)) assertTrue(Double.isNaN(total), what + ": total " + total);
            else if (Double.isInfinite(expected)) assertEquals(expected, total, what);
            else assertEquals(expected, total, 1e-6 * Math.max(1, expected), what + ": total norm");
            assertGrads(what, c, ps);
            n++;
        }
        assertEquals(12, n, "golden cases: 2 max norms x 5 norm types, plus NaN and inf gradients");
    }

    @Test
    void clipGradValueMatchesPyTorch() {
        int n = 0;
        for (Map<String, Object> c : cases()) {
            if (!"value".equals(c.get("kind"))) continue;
            List<Tensor> ps = params(c);
            GradClip.clipGradValue(ps, Golden.number(c.get("clip_value")));
            assertGrads("clipGradValue(" + c.get("clip_value") + ")", c, ps);
            n++;
        }
        assertEquals(2, n);
    }

    @Test
    void nonFiniteNormIsAnErrorOnRequestAndLeavesTheGradientsAlone() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        p.setGrad(Tensor.of(new float[]{1, Float.POSITIVE_INFINITY, 2}));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> GradClip.clipGradNorm(List.of(p), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("Infinity"), e.getMessage());
        assertEquals(1.0f, p.grad().toFloatArray()[0]);
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(2).requiresGrad(true);
        b.setGrad(Tensor.of(new float[]{3, 4}));
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a, b), 1.0), 1e-6);
        assertNull(a.grad());
        assertEquals(0.6f, b.grad().toFloatArray()[0], 1e-6);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(a), 1.0), "no gradient at all: norm 0");
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirValue() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        assertEquals("Invalid max norm: -1.0 (must be >= 0)",
                assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, -1.0)).getMessage());
        assertEquals("Invalid norm type: 0.0 (must be > 0, or infinity)",
                assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, 1.0, 0.0)).getMessage());
        assertEquals("Invalid norm type: NaN (must be > 0, or infinity)",
                assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, 1.0, Double.NaN)).getMessage());
        assertEquals("Invalid clip value: -0.5 (must be >= 0)",
                assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(ps, -0.5)).getMessage());
    }
}
