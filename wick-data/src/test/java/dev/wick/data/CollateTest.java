package dev.wick.data;

import static dev.wick.data.Json.list;
import static dev.wick.data.Json.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Collate outputs against PyTorch 1.13's default_collate (golden/collate.json), and collate errors. */
class CollateTest {
    static final Map<String, Object> G = Json.golden("collate.json");

    record Point(Object x, Object y) {}

    record Labelled(Tensor image, long label) {}

    /** Asserts a Java collate output equals the encoded PyTorch one. */
    static void assertSame(Object want, Object got, String where) {
        Map<String, Object> w = map(want);
        switch ((String) w.get("kind")) {
            case "tensor" -> {
                Tensor t = assertInstanceOf(Tensor.class, got, where);
                assertEquals(w.get("dtype"), t.dtype().toString(), where + " dtype");
                assertArrayEquals(Json.longs(w.get("shape")), t.shape(), where + " shape");
                assertArrayEquals(Json.doubles(w.get("values")), t.toDoubleArray(), 0.0, where + " values");
            }
            case "str" -> assertEquals(w.get("value"), got, where);
            case "list" -> {
                List<?> l = assertInstanceOf(List.class, got, where);
                List<Object> wl = list(w.get("values"));
                assertEquals(wl.size(), l.size(), where + " length");
                for (int i = 0; i < l.size(); i++) assertSame(wl.get(i), l.get(i), where + "[" + i + "]");
            }
            case "dict" -> {
                Map<?, ?> m = assertInstanceOf(Map.class, got, where);
                List<Object> items = list(w.get("items"));
                assertEquals(items.size(), m.size(), where + " keys");
                List<Object> keys = new ArrayList<>(m.keySet());
                for (int i = 0; i < items.size(); i++) {
                    List<Object> kv = list(items.get(i));
                    assertEquals(kv.get(0), keys.get(i), where + " key order");
                    assertSame(kv.get(1), m.get(kv.get(0)), where + "['" + kv.get(0) + "']");
                }
            }
            case "namedtuple" -> {
                Point p = assertInstanceOf(Point.class, got, where);
                List<Object> values = list(w.get("values"));
                assertSame(values.get(0), p.x(), where + ".x");
                assertSame(values.get(1), p.y(), where + ".y");
            }
            default -> throw new AssertionError(w.get("kind"));
        }
    }

    static Object golden(String name) { return map(G.get(name)).get("output"); }

    @Test
    void numbersBooleansAndStrings() {
        try (Scope s = Scope.open()) {
            assertSame(golden("ints"), Collate.defaultCollate(List.of(0, 1, 2, 3)), "ints");
            assertSame(golden("ints"), Collate.defaultCollate(List.of(0L, 1L, 2L, 3L)), "longs");
            assertSame(golden("floats"), Collate.defaultCollate(List.of(0.5, 1.25, -2.0)), "floats");
            assertSame(golden("floats"), Collate.defaultCollate(List.of(0.5f, 1.25f, -2.0f)), "java floats become float64 too");
            assertSame(golden("bools"), Collate.defaultCollate(List.of(true, false, true)), "bools");
            assertSame(golden("strings"), Collate.defaultCollate(List.of("a", "b", "c")), "strings");
        }
    }

    @Test
    void tensorsStackAlongANewFirstDimension() {
        try (Scope s = Scope.open()) {
            List<Tensor> ts = new ArrayList<>();
            for (int k = 0; k < 3; k++) ts.add(Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3).mul((double) (k + 1)));
            assertSame(golden("tensors"), Collate.defaultCollate(ts), "tensors");
            List<Tensor> zeroDim = new ArrayList<>();
            for (long k = 0; k < 4; k++) zeroDim.add(Tensor.scalar(k));
            assertSame(golden("int_tensors0d"), Collate.defaultCollate(zeroDim), "0-d tensors");
        }
    }

    @Test
    void mapsListsArraysAndRecords() {
        try (Scope s = Scope.open()) {
            Map<String, Object> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
            a.put("A", 0); a.put("B", 1);
            b.put("A", 100); b.put("B", 100);
            assertSame(golden("dicts"), Collate.defaultCollate(List.of(a, b)), "dicts");

            List<Object> p0 = List.of(Tensor.of(new float[]{1, 2}), 3), p1 = List.of(Tensor.of(new float[]{4, 5}), 6);
            assertSame(golden("pairs"), Collate.defaultCollate(List.of(p0, p1)), "tuples as lists");
            Object[] a0 = {Tensor.of(new float[]{1, 2}), 3}, a1 = {Tensor.of(new float[]{4, 5}), 6};
            assertSame(golden("pairs"), Collate.defaultCollate(List.of(a0, a1)), "tuples as arrays");
            assertSame(golden("lists"), Collate.defaultCollate(List.of(List.of(0, 1), List.of(2, 3))), "lists");
            assertSame(golden("lists"), Collate.defaultCollate(List.of(new int[]{0, 1}, new int[]{2, 3})), "int arrays");
            assertSame(golden("namedtuples"), Collate.defaultCollate(List.of(new Point(0, 0.5), new Point(1, 1.5))), "records");

            List<Object> nested = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("id", k);
                meta.put("name", "s" + k);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("img", Tensor.ones(2, 2).mul((double) k));
                m.put("meta", meta);
                m.put("pts", List.of(k, k * 10));
                nested.add(m);
            }
            assertSame(golden("nested"), Collate.defaultCollate(nested), "nested");
        }
    }

    @Test
    void examplesCollatePerComponent() {
        try (Scope s = Scope.open()) {
            List<Example<Tensor, Long>> samples = List.of(new Example<>(Tensor.zeros(3, 4, 4), 7L), new Example<>(Tensor.ones(3, 4, 4), 2L));
            Example<Tensor, Tensor> b = Collate.defaultCollate(samples);
            assertArrayEquals(new long[]{2, 3, 4, 4}, b.input().shape());
            assertEquals(DType.INT64, b.target().dtype());
            assertArrayEquals(new long[]{7, 2}, b.target().toLongArray());
            assertEquals(1.0, b.input().get(1).mean().item());
        }
    }

    @Test
    void mismatchedShapesNameTheSampleAndBothShapes() {
        try (Scope s = Scope.open()) {
            var e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(
                    List.of(new Example<>(Tensor.zeros(3, 32, 32), 1L), new Example<>(Tensor.zeros(3, 32, 32), 1L),
                            new Example<>(Tensor.zeros(3, 30, 32), 1L))));
            assertEquals("defaultCollate (at input): tensors must have the same shape to be stacked, but sample 2 has shape "
                    + "[3, 30, 32] and sample 0 has shape [3, 32, 32]", e.getMessage());
        }
    }

    @Test
    void otherCollateErrorsSayWhereAndWhat() {
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(List.of(1, 2), List.of(3))));
        assertTrue(e.getMessage().contains("each element in list of batch should be of equal size, but sample 1 has 1 elements and sample 0 has 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(Map.of("a", 1), Map.of("b", 2))));
        assertTrue(e.getMessage().contains("sample 1 has no key 'a'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(new Object())));
        assertTrue(e.getMessage().contains("found java.lang.Object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(1, 2.5)));
        assertEquals("defaultCollate: sample 1 is a Double but sample 0 is a Integer", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        try (Scope s = Scope.open()) {
            e = assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(
                    List.of(new Labelled(Tensor.zeros(2), 1), new Labelled(Tensor.zeros(2), 2))));
            assertTrue(e.getMessage().contains("component 'label' has type long, which cannot hold the collated value (Tensor)"), e.getMessage());
        }
    }

    @Test
    void aCustomCollatePlugsIn() {
        // the seed's collate: images stacked to [B, C, H, W], targets kept as a list
        Dataset<Example<Tensor, Long>> ds = new Dataset<>() {
            public Example<Tensor, Long> get(int i) { return new Example<>(Tensor.full(i, 1, 2, 2), (long) i); }
            public int size() { return 5; }
        };
        Collator<Example<Tensor, Long>, Example<Tensor, List<Long>>> keepTargets = samples -> new Example<>(
                Tensor.stack(samples.stream().map(Example::input).toList(), 0), samples.stream().map(Example::target).toList());
        try (DataLoader<Example<Tensor, Long>, Example<Tensor, List<Long>>> loader =
                     DataLoader.builder(ds).batchSize(2).collateFn(keepTargets).build();
             Scope s = Scope.open()) {
            List<List<Long>> targets = new ArrayList<>();
            for (Example<Tensor, List<Long>> b : loader) {
                assertEquals(4, b.input().dim());
                targets.add(b.target());
            }
            assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L), List.of(4L)), targets);
        }
    }
}
