package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetsTest {

    @Test
    void tensorDatasetRowsAndTheW3Loop() {
        // the seed's W3 set-up: 1000 x randn(10), labels randint(0, 2), batch 100, shuffle
        Tensor x = Scope.outside(() -> Tensor.randn(new Generator(0), 1000, 10));
        Tensor y = Scope.outside(() -> Tensor.randint(new Generator(1), 0, 2, 1000));
        var ds = new TensorDataset(x, y);
        assertEquals(1000, ds.size());
        try (Scope s = Scope.open()) {
            List<Tensor> row = ds.get(3);
            assertTrue(row.get(0).equal(x.get(3)));
            assertEquals(y.get(3).itemLong(), row.get(1).itemLong());
        }
        try (DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader = DataLoader.builder(TensorDataset.examples(x, y))
                .batchSize(100).shuffle(true).generator(new Generator(0)).build()) {
            int batches = 0;
            double sum = 0;
            for (Example<Tensor, Tensor> b : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, b);
                    assertArrayEquals(new long[]{100, 10}, b.input().shape());
                    assertEquals(DType.INT64, b.target().dtype());
                    sum += b.input().sum().item();
                    batches++;
                }
            }
            assertEquals(10, batches);
            try (Scope s = Scope.open()) {
                assertEquals(x.sum().item(), sum, 1e-3, "every row once");
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(x, Tensor.zeros(999)));
        assertTrue(e.getMessage().contains("tensor 0 has 1000 rows but tensor 1 has 999"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(1000));
    }

    @Test
    void subsetAndConcat() {
        Dataset<Integer> a = SamplerGoldenTest.range(3), empty = SamplerGoldenTest.range(0), b = SamplerGoldenTest.range(4);
        var cat = new ConcatDataset<Integer>(List.of(a, empty, b));
        assertEquals(7, cat.size());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < cat.size(); i++) all.add(cat.get(i));
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 3), all, "an empty part in the middle is skipped");
        assertEquals(3, cat.get(-1), "negative indices count from the end, as in PyTorch");
        assertArrayEquals(new int[]{3, 3, 7}, cat.cumulativeSizes());
        assertThrows(IndexOutOfBoundsException.class, () -> cat.get(7));

        var sub = new Subset<>(cat, new int[]{6, 0, 3});
        assertEquals(List.of(3, 0, 0), List.of(sub.get(0), sub.get(1), sub.get(2)));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(cat, new int[]{1, 7}));
        assertEquals("Subset: index 7 at position 1 is out of range for a data set of size 7", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConcatDataset<Integer>(List.of()));
    }

    @Test
    void mapAttachesATransform() {
        Dataset<Example<Integer, String>> ds = Datasets.map(SamplerGoldenTest.range(3), i -> new Example<>(i, "s" + i));
        Dataset<Example<Integer, String>> doubled = Datasets.mapInputs(ds, i -> i * 2);
        assertEquals(new Example<>(4, "s2"), doubled.get(2));
        assertEquals(3, doubled.size());
    }
}
