package dev.wick.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** A plain loop over epochs reshuffles a DistributedSampler without calling its setEpoch. */
class SamplerEpochTest {
    @Test
    @SuppressWarnings("unchecked")
    void eachPassSetsTheDistributedSamplersEpoch() {
        try (Scope s = Scope.open()) {
            TensorDataset ds = new TensorDataset(Tensor.arange(16));
            DistributedSampler sampler = new DistributedSampler(ds.size(), 2, 0, true, 7, false);
            DataLoader<List<Tensor>, List<Tensor>> loader = DataLoader.builder(ds)
                    .batchSize(8).sampler(sampler).build();
            List<long[]> perEpoch = new ArrayList<>();
            for (int epoch = 0; epoch < 3; epoch++) {
                for (List<Tensor> batch : loader) perEpoch.add(batch.get(0).toLongArray());
            }
            assertFalse(java.util.Arrays.equals(perEpoch.get(0), perEpoch.get(1)), "epoch 1 reshuffled");
            for (int e = 0; e < 3; e++) {
                DistributedSampler fresh = new DistributedSampler(ds.size(), 2, 0, true, 7, false);
                fresh.setEpoch(e);
                List<Integer> expected = new ArrayList<>();
                fresh.forEach(expected::add);
                assertArrayEquals(expected.stream().mapToLong(Integer::longValue).toArray(), perEpoch.get(e), "epoch " + e);
            }
        }
    }
}
