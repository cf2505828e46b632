package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every rule of PyTorch's DataLoader constructor fails at construction, naming the options involved. */
class DataLoaderValidationTest {
    static final Dataset<Integer> DS = SamplerGoldenTest.range(10);
    static final IterableDataset<Integer> STREAM = DataLoaderWorkersTest.stream(10, false, true);

    static void fails(String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void singleValues() {
        fails("Invalid numWorkers: -1 (must be >= 0; use numWorkers=0 to load on the calling thread)",
                () -> DataLoader.builder(DS).numWorkers(-1));
        fails("Invalid timeout: -1.0 (must be a finite number of seconds >= 0; 0 waits forever)", () -> DataLoader.builder(DS).timeout(-1));
        fails("Invalid timeout: NaN (must be a finite number of seconds >= 0; 0 waits forever)", () -> DataLoader.builder(DS).timeout(Double.NaN));
        fails("Invalid batchSize: 0 (must be > 0, or null to turn automatic batching off)", () -> DataLoader.builder(DS).batchSize(0));
        fails("Invalid prefetchFactor: 0 (must be >= 1)", () -> DataLoader.builder(DS).numWorkers(2).prefetchFactor(0));
        fails("collateFn must not be null", () -> DataLoader.builder(DS).collateFn(null));
        fails("dataset must not be null", () -> DataLoader.builder((Dataset<Integer>) null));
        fails("Invalid device: 'tpu' (expected cpu, cuda or cuda:N)", () -> DataLoader.builder(DS).pinMemoryDevice("tpu"));
    }

    @Test
    void optionsThatNeedWorkers() {
        fails("prefetchFactor can only be set with numWorkers > 0 (got prefetchFactor=4, numWorkers=0)",
                () -> DataLoader.builder(DS).prefetchFactor(4).build());
        fails("persistentWorkers needs numWorkers > 0 (got persistentWorkers=true, numWorkers=0)",
                () -> DataLoader.builder(DS).persistentWorkers(true).build());
        DataLoader.builder(DS).numWorkers(1).prefetchFactor(4).persistentWorkers(true).build().close();
    }

    @Test
    void exclusiveOptions() {
        Sampler<Integer> seq = new SequentialSampler(10);
        Sampler<List<Integer>> batches = new BatchSampler(seq, 3, false);
        fails("sampler is mutually exclusive with shuffle (got a sampler and shuffle=true)",
                () -> DataLoader.builder(DS).sampler(seq).shuffle(true).build());
        fails("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (got batchSize=4)",
                () -> DataLoader.builder(DS).batchSampler(batches).batchSize(4).build());
        fails("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (got shuffle=true, dropLast=true)",
                () -> DataLoader.builder(DS).batchSampler(batches).shuffle(true).dropLast(true).build());
        fails("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (got a sampler)",
                () -> DataLoader.builder(DS).batchSampler(batches).sampler(seq).build());
        fails("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (got batchSize=null)",
                () -> DataLoader.builder(DS).batchSampler(batches).batchSize(null).build());
        fails("batchSize=null turns automatic batching off and is mutually exclusive with dropLast=true",
                () -> DataLoader.builder(DS).batchSize(null).dropLast(true).build());
        // batchSize 1 is the default, so naming it is allowed with a batch sampler (as in PyTorch)
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(DS).batchSampler(batches).batchSize(1).build(); Scope s = Scope.open()) {
            assertEquals(4, loader.size());
            List<Long> sizes = new ArrayList<>();
            for (Tensor b : loader) sizes.add(b.size(0));
            assertEquals(List.of(3L, 3L, 3L, 1L), sizes);
        }
    }

    @Test
    void iterableDatasetsTakeNoShuffleSamplerOrBatchSampler() {
        fails("DataLoader with an IterableDataset: expected no shuffle option, but got shuffle=true",
                () -> DataLoader.builder(STREAM).shuffle(true).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(STREAM).sampler(new SequentialSampler(10)).build());
        assertTrue(e.getMessage().startsWith("DataLoader with an IterableDataset: expected no sampler option, but got sampler=SequentialSampler(10)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(STREAM).batchSampler(new BatchSampler(new SequentialSampler(10), 2, false)).build());
        assertTrue(e.getMessage().startsWith("DataLoader with an IterableDataset: expected no batchSampler option"), e.getMessage());
    }

    @Test
    void shuffleNeedsSamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(SamplerGoldenTest.range(0)).shuffle(true).build());
        assertEquals("shuffle=true needs a non-empty data set: RandomSampler: cannot draw num_samples=0 from an empty data source "
                + "(num_samples should be a positive integer value, but got num_samples=0)", e.getMessage());
    }

    @Test
    void defaultsAreThoseOfPyTorch() {
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(DS).build()) {
            assertEquals(1, loader.batchSize());
            assertEquals(0, loader.numWorkers());
            assertEquals(false, loader.dropLast());
            assertEquals(0.0, loader.timeout());
            assertEquals(false, loader.persistentWorkers());
            assertEquals(2, loader.prefetchFactor());
            assertTrue(loader.sampler() instanceof SequentialSampler);
            assertEquals(10, loader.size());
        }
    }
}
