package dev.wick.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.wick.internal.Json;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metric, fed batch by batch, against the values PyTorch computed over the concatenated batches (golden/make_golden.py). */
class MetricsGoldenTest {
    private static Map<String, Object> golden;

    @BeforeAll
    static void load() throws IOException {
        Engine.init();
        try (InputStream in = MetricsGoldenTest.class.getResourceAsStream("/golden/metrics.json")) {
            golden = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() { return (List<Map<String, Object>>) golden.get("classification"); }

    private static Tensor floats(Object nested) {
        List<?> rows = (List<?>) nested;
        int r = rows.size();
        int c = ((List<?>) rows.get(0)).size();
        float[] a = new float[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) a[i * c + j] = ((Number) ((List<?>) rows.get(i)).get(j)).floatValue();
        return Tensor.of(a, r, c);
    }

    private static Tensor longs(Object list) {
        List<?> l = (List<?>) list;
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).longValue();
        return Tensor.of(a, a.length);
    }

    private static void feed(Metric<?> m, Map<String, Object> c) {
        List<?> logits = (List<?>) c.get("logits");
        List<?> targets = (List<?>) c.get("targets");
        for (int b = 0; b < logits.size(); b++) m.update(floats(logits.get(b)), longs(targets.get(b)));
    }

    private static double num(Map<String, Object> c, String k) { return ((Number) c.get(k)).doubleValue(); }

    @Test
    void classificationMetricsMatchPyTorch() {
        for (Map<String, Object> c : cases()) {
            try (Scope s = Scope.open()) {
                int classes = ((Number) c.get("classes")).intValue();
                String name = (String) c.get("name");
                List<Metric<Double>> scalars = List.of(new Accuracy(), new TopKAccuracy(2), new Precision(classes), new Recall(classes), new F1Score(classes));
                List<String> keys = List.of("acc", "top2_acc", "precision", "recall", "f1");
                for (int i = 0; i < scalars.size(); i++) {
                    feed(scalars.get(i), c);
                    assertEquals(num(c, keys.get(i)), scalars.get(i).compute(), 1e-12, name + " " + keys.get(i));
                    assertEquals(keys.get(i), scalars.get(i).name());
                }
                ConfusionMatrix cm = new ConfusionMatrix(classes);
                feed(cm, c);
                List<?> expected = (List<?>) c.get("confusion_matrix");
                long[][] got = cm.compute();
                for (int t = 0; t < classes; t++) {
                    List<?> row = (List<?>) expected.get(t);
                    long[] e = new long[classes];
                    for (int p = 0; p < classes; p++) e[p] = ((Number) row.get(p)).longValue();
                    assertArrayEquals(e, got[t], name + " confusion row " + t);
                }
            }
        }
    }

    @Test
    void regressionMetricsMatchPyTorch() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) golden.get("regression");
        try (Scope s = Scope.open()) {
            MeanAbsoluteError mae = new MeanAbsoluteError();
            MeanSquaredError mse = new MeanSquaredError();
            List<?> outs = (List<?>) r.get("outputs");
            List<?> tgts = (List<?>) r.get("targets");
            for (int b = 0; b < outs.size(); b++) {
                mae.update(floats(outs.get(b)), floats(tgts.get(b)));
                mse.update(floats(outs.get(b)), floats(tgts.get(b)));
            }
            // inputs are float32 in both; sums in float64 here vs float64 in the script: same values to 1e-12
            assertEquals(num(r, "mae"), mae.compute(), 1e-6);
            assertEquals(num(r, "mse"), mse.compute(), 1e-6);
        }
    }

    @Test
    void stateDictRoundTripsAndResetForgets() {
        Map<String, Object> c = cases().get(0);
        try (Scope s = Scope.open()) {
            F1Score a = new F1Score(5);
            feed(a, c);
            F1Score b = new F1Score(5);
            b.loadStateDict(a.stateDict());
            assertEquals(a.compute(), b.compute());
            Accuracy acc = new Accuracy();
            feed(acc, c);
            Accuracy acc2 = new Accuracy();
            acc2.loadStateDict(acc.stateDict());
            assertEquals(acc.compute(), acc2.compute());
            acc.reset();
            assertTrue(Double.isNaN(acc.compute()));
            Mean loss = new Mean("loss");
            loss.add(0.71, 32);
            loss.add(0.65, 32);
            assertEquals(0.68, loss.compute(), 1e-15);
            var e = assertThrows(IllegalArgumentException.class, () -> new Accuracy().loadStateDict(Map.of("correct", 1L)));
            assertEquals("Accuracy.loadStateDict: missing key 'total'", e.getMessage());
        }
    }

    @Test
    void badInputIsNamed() {
        try (Scope s = Scope.open()) {
            var e1 = assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(3).update(Tensor.zeros(2, 3), Tensor.of(new long[]{0, 5}, 2)));
            assertEquals("ConfusionMatrix.update: target class 5 is out of range for numClasses=3 (must be in [0, 3))", e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> new Accuracy().update(Tensor.zeros(2, 3, 4), Tensor.of(new long[]{0, 1}, 2)));
            assertTrue(e2.getMessage().startsWith("Accuracy.update: output of shape [2, 3, 4] does not fit target of shape [2]"), e2.getMessage());
            assertEquals("Invalid k: 0 (must be >= 1)", assertThrows(IllegalArgumentException.class, () -> new TopKAccuracy(0)).getMessage());
            assertEquals("Invalid numClasses: 1 (must be >= 2)", assertThrows(IllegalArgumentException.class, () -> new F1Score(1)).getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().update(Tensor.zeros(2, 1), Tensor.zeros(3)));
            assertTrue(e3.getMessage().contains("broadcasts the output of shape [2, 1] to [2, 3]"), e3.getMessage());
        }
    }
}
