package dev.wick.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.wick.data.transforms.Compose;
import dev.wick.data.transforms.CropFlipNormalize;
import dev.wick.data.transforms.Normalize;
import dev.wick.data.transforms.RandomCrop;
import dev.wick.data.transforms.RandomHorizontalFlip;
import dev.wick.data.transforms.ToFloat;
import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Augmented, shuffled batches are the same bit for bit with 0, 1 or 2 workers, on both paths, and after a resume. */
class DeterminismTest {
    static final int N = 200;
    static final double[] MEAN = {0.49, 0.48, 0.45}, STD = {0.25, 0.24, 0.26};
    static final Tensor IMAGES = Scope.outside(() -> Tensor.randint(new Generator(1), 0, 256, N, 3, 32, 32).to(DType.UINT8));
    static final CropFlipNormalize AUG = new CropFlipNormalize(3, 32, 32, 4, 0.5, MEAN, STD);

    /** The spec's W4 recipe as per-sample tensor transforms; the target is the sample index. */
    static Dataset<Example<Tensor, Long>> generic() {
        Compose<Tensor> t = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToFloat(), new Normalize(MEAN, STD));
        return new Dataset<>() {
            public Example<Tensor, Long> get(int i) { return new Example<>(t.apply(IMAGES.get(i)), (long) i); }
            public int size() { return N; }
        };
    }

    static Dataset<Example<CropFlipNormalize.Placed, Long>> fused() {
        return new Dataset<>() {
            public Example<CropFlipNormalize.Placed, Long> get(int i) { return new Example<>(AUG.place(i, SampleRandom.current()), (long) i); }
            public int size() { return N; }
        };
    }

    /** One epoch: the batches' targets and input values, in order. */
    record Epoch(List<long[]> targets, List<float[]> inputs) {
        boolean same(Epoch o) {
            if (targets.size() != o.targets.size()) return false;
            for (int k = 0; k < targets.size(); k++)
                if (!Arrays.equals(targets.get(k), o.targets.get(k)) || !Arrays.equals(inputs.get(k), o.inputs.get(k))) return false;
            return true;
        }

        Map<Long, float[]> bySample() {
            Map<Long, float[]> m = new HashMap<>();
            for (int k = 0; k < targets.size(); k++) {
                long[] t = targets.get(k);
                float[] x = inputs.get(k);
                int per = x.length / t.length;
                for (int j = 0; j < t.length; j++) m.put(t[j], Arrays.copyOfRange(x, j * per, (j + 1) * per));
            }
            return m;
        }
    }

    static List<Epoch> run(DataLoader<?, Example<Tensor, Tensor>> loader, int epochs) {
        List<Epoch> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Epoch ep = new Epoch(new ArrayList<>(), new ArrayList<>());
            for (Example<Tensor, Tensor> b : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, b);
                    ep.targets().add(b.target().toLongArray());
                    ep.inputs().add(b.input().toFloatArray());
                }
            }
            out.add(ep);
        }
        loader.close();
        return out;
    }

    static DataLoader<?, Example<Tensor, Tensor>> genericLoader(int workers, long genSeed) {
        var b = DataLoader.builder(generic()).batchSize(32).shuffle(true).generator(new Generator(genSeed));
        if (workers > 0) b.numWorkers(workers);
        return b.build();
    }

    static DataLoader<?, Example<Tensor, Tensor>> fusedLoader(int workers, long genSeed) {
        var b = DataLoader.builder(fused()).batchSize(32).shuffle(true).generator(new Generator(genSeed)).collateFn(AUG.<Long>collator(IMAGES));
        if (workers > 0) b.numWorkers(workers);
        return b.build();
    }

    @Test
    void sameBatchesBitForBitWith0_1And2Workers() {
        List<Epoch> w0 = run(genericLoader(0, 0), 2);
        List<Epoch> w1 = run(genericLoader(1, 0), 2);
        List<Epoch> w2 = run(genericLoader(2, 0), 2);
        for (int e = 0; e < 2; e++) {
            assertTrue(w0.get(e).same(w1.get(e)), "epoch " + e + ": 0 vs 1 worker");
            assertTrue(w0.get(e).same(w2.get(e)), "epoch " + e + ": 0 vs 2 workers");
        }
        // the test could fail: the order is shuffled and each epoch augments each sample anew
        assertFalse(Arrays.equals(w0.get(0).targets().get(0), w0.get(1).targets().get(0)), "a new order each epoch");
        Map<Long, float[]> e0 = w0.get(0).bySample(), e1 = w0.get(1).bySample();
        long changed = e0.keySet().stream().filter(i -> !Arrays.equals(e0.get(i), e1.get(i))).count();
        assertTrue(changed > N / 2, "most samples are augmented differently in epoch 1: " + changed);
    }

    @Test
    void theFusedPathGivesTheSameBatchesAsTheTensorTransforms() {
        List<Epoch> generic = run(genericLoader(0, 3), 2);
        List<Epoch> fused0 = run(fusedLoader(0, 3), 2);
        List<Epoch> fused2 = run(fusedLoader(2, 3), 2);
        for (int e = 0; e < 2; e++) {
            assertTrue(generic.get(e).same(fused0.get(e)), "epoch " + e + ": generic vs fused");
            assertTrue(fused0.get(e).same(fused2.get(e)), "epoch " + e + ": fused with 0 vs 2 workers");
        }
    }

    @Test
    void resumingAtAnEpochGivesThatEpochsBatches() {
        Generator g = new Generator(5);
        DataLoader<?, Example<Tensor, Tensor>> first = DataLoader.builder(generic()).batchSize(32).shuffle(true).numWorkers(2).generator(g).build();
        List<Epoch> before = run2(first, 2);                  // epochs 0 and 1
        byte[] state = g.getState();                          // what a checkpoint saves after epoch 1
        Epoch epoch2 = run2(first, 1).get(0);
        first.close();

        Generator restored = new Generator(5);
        restored.setState(state);
        DataLoader<?, Example<Tensor, Tensor>> resumed = DataLoader.builder(generic()).batchSize(32).shuffle(true).generator(restored).build();
        resumed.setEpoch(2);
        assertEquals(2, resumed.nextEpoch());
        assertTrue(run(resumed, 1).get(0).same(epoch2), "the resumed epoch 2 equals the original one, with 0 instead of 2 workers");
        assertFalse(before.get(1).same(epoch2));
    }

    private static List<Epoch> run2(DataLoader<?, Example<Tensor, Tensor>> loader, int epochs) {
        List<Epoch> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            Epoch ep = new Epoch(new ArrayList<>(), new ArrayList<>());
            for (Example<Tensor, Tensor> b : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, b);
                    ep.targets().add(b.target().toLongArray());
                    ep.inputs().add(b.input().toFloatArray());
                }
            }
            out.add(ep);
        }
        return out;
    }

    @Test
    void theSeedOptionChangesAugmentationButNotTheOrder() {
        DataLoader<?, Example<Tensor, Tensor>> a = DataLoader.builder(generic()).batchSize(32).shuffle(true).generator(new Generator(0)).build();
        DataLoader<?, Example<Tensor, Tensor>> b = DataLoader.builder(generic()).batchSize(32).shuffle(true).generator(new Generator(0)).seed(123).build();
        Epoch ea = run(a, 1).get(0), eb = run(b, 1).get(0);
        for (int k = 0; k < ea.targets().size(); k++) assertArrayEquals(ea.targets().get(k), eb.targets().get(k));
        assertFalse(ea.same(eb));
    }

    @Test
    void sampleRandomIsAPureFunctionOfSeedEpochAndIndex() {
        SampleRandom a = SampleRandom.of(7, 3, 11), b = SampleRandom.of(7, 3, 11);
        for (int k = 0; k < 100; k++) assertEquals(a.nextLong(), b.nextLong());
        // pinned values: the stream must never change (reproducibility across versions and JDKs)
        assertNotEquals(SampleRandom.of(0, 0, 1).nextLong(), SampleRandom.of(0, 0, 0).nextLong());
        assertNotEquals(SampleRandom.of(0, 1, 0).nextLong(), SampleRandom.of(0, 0, 0).nextLong());
        assertNotEquals(SampleRandom.of(1, 0, 0).nextLong(), SampleRandom.of(0, 0, 0).nextLong());
        assertEquals(PINNED, SampleRandom.of(42, 1, 5).nextLong());
        assertEquals(PINNED_INT, SampleRandom.of(42, 1, 5).nextInt(9));
    }

    static final long PINNED = 1103188351386991223L;
    static final int PINNED_INT = 6;

    @Test
    void sampleRandomDrawsAreUniform() {
        int[] counts = new int[9];
        SampleRandom r = SampleRandom.of(1, 0, 0);
        for (int i = 0; i < 90_000; i++) counts[r.nextInt(9)]++;
        double chi2 = 0;
        for (int c : counts) chi2 += (c - 10_000.0) * (c - 10_000.0) / 10_000.0;
        assertTrue(chi2 < 26.1, "chi-square with 8 degrees of freedom (p = 0.001): " + chi2);
        // across samples (the first draw of each index), not just along one stream
        int heads = 0;
        for (int i = 0; i < 10_000; i++) {
            double d = SampleRandom.of(1, 0, i).nextDouble();
            assertTrue(d >= 0 && d < 1);
            if (d < 0.5) heads++;
        }
        assertTrue(Math.abs(heads - 5000) < 200, "first draws across samples: " + heads + " of 10000 below 0.5");
        assertThrowsBound();
    }

    private static void assertThrowsBound() {
        try {
            SampleRandom.of(0, 0, 0).nextInt(0);
            throw new AssertionError("nextInt(0) must fail");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("bound must be positive, got 0"));
        }
    }

    @Test
    void currentIsSetByTheLoaderAndByWith() {
        List<Long> seen = new ArrayList<>();
        Dataset<Integer> ds = new Dataset<>() {
            public Integer get(int i) {
                SampleRandom r = SampleRandom.current();
                seen.add(r.index());
                assertEquals(9L, r.seed());
                return i;
            }
            public int size() { return 4; }
        };
        try (DataLoader<Integer, Integer> loader = DataLoader.builder(ds).batchSize(null).seed(9).build()) {
            for (Integer i : loader) { }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), seen);
        long inside = SampleRandom.with(1, 2, 3, () -> SampleRandom.current().nextLong());
        assertEquals(SampleRandom.of(1, 2, 3).nextLong(), inside);
        assertEquals(-1, SampleRandom.current().epoch(), "outside a loader: the per-thread fallback stream");
    }
}
