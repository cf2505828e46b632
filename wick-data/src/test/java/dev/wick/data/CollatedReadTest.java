package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** {@link Dataset#getCollated}: a whole batch in one read, the same batches as get + default collate. */
class CollatedReadTest {

    /** The same samples with no collated read: the loader goes sample by sample. */
    private static <T> Dataset<T> perSample(Dataset<T> ds, AtomicInteger gets) {
        return new Dataset<>() {
            @Override public T get(int index) { gets.incrementAndGet(); return ds.get(index); }
            @Override public int size() { return ds.size(); }
        };
    }

    /** Flattens every batch of a pass to plain arrays (input floats, target longs) with its shapes. */
    private static List<String> pass(Dataset<Example<Tensor, Tensor>> ds, int workers, long seed) {
        List<String> out = new ArrayList<>();
        try (DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader = DataLoader.builder(ds)
                .batchSize(64).shuffle(true).numWorkers(workers).generator(new Generator(seed)).build()) {
            for (Example<Tensor, Tensor> b : loader) {
                try (Scope s = Scope.open()) {
                    Batches.adopt(s, b);
                    assertEquals(DType.FLOAT32, b.input().dtype());
                    assertEquals(DType.INT64, b.target().dtype());
                    out.add(java.util.Arrays.toString(b.input().shape()) + java.util.Arrays.toString(b.input().toFloatArray())
                            + java.util.Arrays.toString(b.target().shape()) + java.util.Arrays.toString(b.target().toLongArray()));
                }
            }
        }
        return out;
    }

    @Test
    void tensorDatasetBatchesEqualPerSampleBatchesWithAndWithoutWorkers() {
        Tensor x = Scope.outside(() -> Tensor.randn(new Generator(7), 1000, 3, 4));
        Tensor y = Scope.outside(() -> Tensor.randint(new Generator(8), 0, 10, 1000));
        Dataset<Example<Tensor, Tensor>> fast = TensorDataset.examples(x, y);
        AtomicInteger gets = new AtomicInteger();
        List<String> reference = pass(perSample(fast, gets), 0, 3);
        assertEquals(1000, gets.get());
        assertEquals(16, reference.size());                              // ceil(1000 / 64), last batch 40
        assertTrue(reference.get(15).startsWith("[40, 3, 4]"), reference.get(15));
        assertEquals(reference, pass(fast, 0, 3));
        assertEquals(reference, pass(fast, 2, 3));
        Subset<Example<Tensor, Tensor>> sub = new Subset<>(fast, new int[]{5, 900, 17, 17, 0});
        List<String> subRef = pass(perSample(sub, new AtomicInteger()), 0, 1);
        assertEquals(subRef, pass(sub, 0, 1));
    }

    @Test
    void listSamplesOfATensorDatasetCollateToTheSameList() {
        Tensor a = Scope.outside(() -> Tensor.arange(12).reshape(6, 2));
        Tensor b = Scope.outside(() -> Tensor.arange(6).mul(10));
        TensorDataset ds = new TensorDataset(a, b);
        try (Scope s = Scope.open()) {
            List<Tensor> batch = ds.getCollated(new int[]{4, 1, 4});
            List<Tensor> viaGet = Collate.defaultCollate(List.of(ds.get(4), ds.get(1), ds.get(4)));
            assertEquals(2, batch.size());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(viaGet.get(i).shape(), batch.get(i).shape());
                assertEquals(viaGet.get(i).dtype(), batch.get(i).dtype());
                assertTrue(viaGet.get(i).equal(batch.get(i)), batch.get(i).toString());
            }
            assertArrayEquals(new long[]{8, 9, 2, 3, 8, 9}, batch.get(0).toLongArray());
        }
    }

    @Test
    void theLoaderUsesTheCollatedReadOnlyWithTheDefaultCollate() {
        AtomicInteger gets = new AtomicInteger(), collated = new AtomicInteger();
        Tensor x = Scope.outside(() -> Tensor.arange(20).reshape(10, 2));
        Dataset<Tensor> ds = new Dataset<>() {
            @Override public Tensor get(int index) { gets.incrementAndGet(); return x.get(index); }
            @Override public int size() { return 10; }
            @Override public Object getCollated(int[] indices) {
                collated.incrementAndGet();
                return x.indexSelect(0, Tensor.of(java.util.Arrays.stream(indices).asLongStream().toArray(), indices.length));
            }
        };
        try (var loader = DataLoader.builder(ds).batchSize(4).build()) {
            int n = 0;
            for (Object b : loader) {
                try (Scope s = Scope.open()) { Batches.adopt(s, b); n++; }
            }
            assertEquals(3, n);
        }
        assertEquals(0, gets.get());
        assertEquals(3, collated.get());
        try (var loader = DataLoader.builder(ds).batchSize(4).collateFn(samples -> samples.size()).build()) {
            List<Integer> sizes = new ArrayList<>();
            for (Integer size : loader) sizes.add(size);
            assertEquals(List.of(4, 4, 2), sizes);
        }
        assertEquals(10, gets.get());
        assertEquals(3, collated.get());
    }

    @Test
    void aBadIndexFromASamplerIsAnErrorNamingTheBatch() {
        Tensor x = Scope.outside(() -> Tensor.zeros(10, 2));
        Tensor y = Scope.outside(() -> Tensor.zeros(10));
        Sampler<Integer> bad = new Sampler<>() {
            @Override public java.util.Iterator<Integer> iterator() { return List.of(1, 2, 12).iterator(); }
            @Override public int size() { return 3; }
        };
        try (var loader = DataLoader.builder(TensorDataset.examples(x, y)).batchSize(3).sampler(bad).build()) {
            WorkerException e = assertThrows(WorkerException.class, () -> loader.iterator().next());
            assertEquals(List.of(1, 2, 12), e.indices());
            assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("Index 12 out of range for a TensorDataset of size 10"), e.getCause().getMessage());
        }
    }
}
