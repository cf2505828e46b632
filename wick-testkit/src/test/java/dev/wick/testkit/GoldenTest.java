package dev.wick.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** The golden-file reader (sample.json, hand-written) and the tolerance rules. */
class GoldenTest {
    static final Map<String, Object> SAMPLE = Golden.load("/golden/sample.json");

    @Test
    void buildsTensorsOfEveryKindOfEntry() {
        try (Scope s = Scope.open()) {
            Tensor f = Golden.tensor(SAMPLE.get("f32"));
            assertEquals(DType.FLOAT32, f.dtype());
            assertArrayEquals(new long[]{2, 2}, f.shape());
            assertArrayEquals(new float[]{0.1f, -2.5f, 3f, 1e-7f}, f.toFloatArray());

            Tensor d = Golden.tensor(SAMPLE.get("f64"));   // "data" instead of "values"; NaN and -Infinity
            assertEquals(DType.FLOAT64, d.dtype());
            assertEquals(0.1, d.toDoubleArray()[0]);       // not rounded through float
            assertTrue(Double.isNaN(d.toDoubleArray()[1]));
            assertEquals(Double.NEGATIVE_INFINITY, d.toDoubleArray()[2]);

            assertArrayEquals(new long[]{9007199254740993L, -4}, Golden.tensor(SAMPLE.get("i64")).toLongArray());   // 2^53 + 1: exact
            Tensor b = Golden.tensor(SAMPLE.get("flags"));
            assertEquals(DType.BOOL, b.dtype());
            assertArrayEquals(new long[]{1, 0, 1}, b.toLong().toLongArray());
            Tensor u = Golden.tensor(SAMPLE.get("u8"));
            assertEquals(DType.UINT8, u.dtype());
            assertArrayEquals(new long[]{0, 255}, u.toLong().toLongArray());

            Tensor scalar = Golden.tensor(SAMPLE.get("scalar"));
            assertEquals(0, scalar.dim());
            assertEquals(1.5, scalar.item());
        }
    }

    @Test
    void missingFilesAndFieldsAreNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Golden.load("/golden/nope.json"));
        assertTrue(e.getMessage().contains("/golden/nope.json"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Golden.shape(Map.of("dtype", "float32")));
        assertTrue(e.getMessage().contains("no 'shape'"), e.getMessage());
    }

    @Test
    void toleranceBoundsAreTheDocumentedSums() {
        assertEquals(2e-6, Tolerance.relative(1e-6).bound(2, 100), 0);
        assertEquals(1e-6, Tolerance.relative(1e-6).withFloor(1).bound(0.5, 100), 0);
        assertEquals(1e-5 * 2 + 1e-6 * 8, Tolerance.relative(1e-5).plusOfScale(1e-6).bound(-2, 8), 1e-20);
        assertEquals(3.0, Tolerance.absolute(3).bound(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY), 0);
        assertEquals(0, Tolerance.exact().bound(5, 5), 0);

        Tolerance t = Tolerance.relative(1e-3);
        assertTrue(t.accepts(1000, 1001, 1000));
        assertFalse(t.accepts(1000, 1001.5, 1000));
        assertFalse(t.accepts(0, 1e-300, 0), "pure relative: nothing but 0 is close to 0");
        assertTrue(t.accepts(Double.NaN, Double.NaN, 0));
        assertFalse(t.accepts(Double.NaN, 0, 0));
        assertFalse(t.accepts(1, Double.NaN, 1));
        assertTrue(t.accepts(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.accepts(Double.POSITIVE_INFINITY, 1e308, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Tolerance.relative(-1e-6));
        assertThrows(IllegalArgumentException.class, () -> Tolerance.absolute(Double.NaN));
    }

    @Test
    void comparisonsFailNamingTheEntryAndIndex() {
        try (Scope s = Scope.open()) {
            Object entry = SAMPLE.get("f32");
            Golden.Agreement ok = Golden.assertClose("f32", entry, Tensor.of(new float[]{0.1f, -2.5f, 3.00002f, 1e-7f}, 2, 2), Tolerance.relative(1e-5));
            assertEquals(2e-5 / 3, ok.worstRelative(), 1e-7);
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> Golden.assertClose("f32", entry, Tensor.of(new float[]{0.1f, -2.5f, 3.0001f, 1e-7f}, 2, 2), Tolerance.relative(1e-5)));
            assertTrue(e.getMessage().contains("f32[2]: expected 3.0 but got 3.0000998"), e.getMessage());
            assertTrue(e.getMessage().startsWith("f32: 1 of 4 values differ"), e.getMessage());
            e = assertThrows(AssertionFailedError.class,
                    () -> Golden.assertClose("f32", entry, Tensor.of(new double[]{0.1, -2.5, 3, 1e-7}, 2, 2), Tolerance.relative(1e-5)));
            assertTrue(e.getMessage().startsWith("f32: dtype"), e.getMessage());
            e = assertThrows(AssertionFailedError.class, () -> Golden.assertClose("f32", entry, Tensor.zeros(4), Tolerance.absolute(10)));
            assertTrue(e.getMessage().startsWith("f32: shape"), e.getMessage());

            Golden.assertBitEqual("f32", entry, Tensor.of(new float[]{0.1f, -2.5f, 3f, 1e-7f}, 2, 2));
            e = assertThrows(AssertionFailedError.class, () -> Golden.assertBitEqual("z", new float[]{0f}, new float[]{-0f}));
            assertTrue(e.getMessage().startsWith("z[0]: expected 0.0 but got -0.0"), e.getMessage());
            Golden.assertClose("z", new double[]{0}, new double[]{-0.0}, Tolerance.exact());
        }
    }

    @Test
    void digestsCheckShapeHeadAndSums() {
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.of(new float[]{1f, -2f, 3f, -4f}, 2, 2);
            Map<String, Object> digest = Map.of("shape", java.util.List.of(2L, 2L), "head", java.util.List.of(1.0, -2.0), "sum", -2.0, "abs_sum", 10.0);
            Golden.assertDigest("t", digest, t, true, 1e-9);
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> Golden.assertDigest("t", digest, Tensor.of(new float[]{1f, -2f, 3f, -4.001f}, 2, 2), true, 1e-6));
            assertTrue(e.getMessage().startsWith("t: sum expected -2.0 got -2.00"), e.getMessage());
            e = assertThrows(AssertionFailedError.class,
                    () -> Golden.assertDigest("t", digest, Tensor.of(new float[]{1.0000001f, -2f, 3f, -4f}, 2, 2), true, 1e-6));
            assertTrue(e.getMessage().startsWith("t (head)[0]"), e.getMessage());
            Golden.assertDigest("t", digest, Tensor.of(new float[]{1.0000001f, -2f, 3f, -4f}, 2, 2), false, 1e-6);
        }
    }
}
