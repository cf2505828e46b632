package dev.wick.data;

import static dev.wick.data.Json.intLists;
import static dev.wick.data.Json.ints;
import static dev.wick.data.Json.list;
import static dev.wick.data.Json.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Samplers and random_split against index lists PyTorch 1.13 produced (golden/samplers.json). */
class SamplerGoldenTest {
    static final Map<String, Object> G = Json.golden("samplers.json");

    static <I> List<I> drain(Iterable<I> s) {
        List<I> out = new ArrayList<>();
        for (I i : s) out.add(i);
        return out;
    }

    @Test
    void randomSamplerWithGeneratorMatchesPyTorchAcrossEpochs() {
        // 1.13 draws an extra (empty) randperm at the end of each epoch: epochs 2 and 3 only match with it
        RandomSampler s = new RandomSampler(10, new Generator(0));
        assertEquals(intLists(G.get("random_gen0_n10_epochs")), List.of(drain(s), drain(s), drain(s)));
    }

    @Test
    void randomSamplerWithoutGeneratorDrawsItsSeedFromTheGlobalGenerator() {
        Engine.manualSeed(5);
        RandomSampler s = new RandomSampler(10);
        assertEquals(intLists(G.get("random_global5_n10_epochs")), List.of(drain(s), drain(s)));
        // and it advanced the global generator exactly as PyTorch did (one int64 per epoch)
        assertEquals(((Number) G.get("random_global5_after")).longValue(), Draws.int64(null));
    }

    @Test
    void randomSamplerWithReplacementDrawsChunksOf32() {
        Generator g = new Generator(3);
        assertEquals(ints(G.get("random_replacement_gen3_n10_k70")), drain(new RandomSampler(10, true, 70, g)));
        assertEquals(ints(G.get("random_replacement_gen3_n10_k70_second")), drain(new RandomSampler(10, true, 70, g)));
    }

    @Test
    void randomSamplerNumSamplesWithoutReplacementRepeatsPermutations() {
        assertEquals(ints(G.get("random_noreplacement_gen4_n10_k25")), drain(new RandomSampler(10, false, 25, new Generator(4))));
        assertEquals(ints(G.get("random_noreplacement_gen4_n10_k7")), drain(new RandomSampler(10, false, 7, new Generator(4))));
        assertEquals(25, new RandomSampler(10, false, 25, null).size());
    }

    @Test
    void subsetRandomSampler() {
        int[] idx = ints(G.get("subset_indices")).stream().mapToInt(Integer::intValue).toArray();
        SubsetRandomSampler s = new SubsetRandomSampler(idx, new Generator(1));
        assertEquals(intLists(G.get("subset_gen1")), List.of(drain(s), drain(s)));
        assertEquals(6, s.size());
    }

    @Test
    void weightedRandomSampler() {
        double[] w = Json.doubles(G.get("weights"));
        assertEquals(ints(G.get("weighted_repl_gen2_k20")), drain(new WeightedRandomSampler(w, 20, true, new Generator(2))));
        assertEquals(ints(G.get("weighted_norepl_gen2_k5")), drain(new WeightedRandomSampler(w, 5, false, new Generator(2))));
    }

    @Test
    void batchSampler() {
        assertEquals(intLists(G.get("batch_seq10_bs3")), drain(new BatchSampler(new SequentialSampler(10), 3, false)));
        assertEquals(intLists(G.get("batch_seq10_bs3_drop")), drain(new BatchSampler(new SequentialSampler(10), 3, true)));
        assertEquals(intLists(G.get("batch_seq9_bs3_drop")), drain(new BatchSampler(new SequentialSampler(9), 3, true)));
        assertEquals(4, new BatchSampler(new SequentialSampler(10), 3, false).size());
        assertEquals(3, new BatchSampler(new SequentialSampler(10), 3, true).size());
    }

    @Test
    void distributedSamplerPaddingAndShardsMatchPyTorch() {
        Map<String, Object> cases = map(G.get("distributed"));
        assertEquals(6, cases.size());
        for (var e : cases.entrySet()) {
            Map<String, Object> c = map(e.getValue());
            int n = ((Number) c.get("n")).intValue(), reps = ((Number) c.get("replicas")).intValue();
            boolean shuffle = (Boolean) c.get("shuffle"), drop = (Boolean) c.get("drop");
            long seed = ((Number) c.get("seed")).longValue();
            for (var ep : map(c.get("epochs")).entrySet()) {
                List<Object> ranks = list(ep.getValue());
                for (int rank = 0; rank < reps; rank++) {
                    DistributedSampler s = new DistributedSampler(n, reps, rank, shuffle, seed, drop);
                    s.setEpoch(Integer.parseInt(ep.getKey()));
                    assertEquals(ints(ranks.get(rank)), drain(s), e.getKey() + " epoch " + ep.getKey() + " rank " + rank);
                    assertEquals(((Number) c.get("len")).intValue(), s.size(), e.getKey());
                }
            }
        }
    }

    @Test
    void randomSplitMatchesPyTorch() {
        Map<String, Object> g = map(G.get("random_split"));
        Dataset<Integer> d10 = range(10), d30 = range(30), d11 = range(11), d8 = range(8);
        assertEquals(intLists(g.get("n10_lengths_3_7_gen42")), indices(Datasets.randomSplit(d10, new int[]{3, 7}, new Generator(42))));
        assertEquals(intLists(g.get("n30_frac_0.3_0.3_0.4_gen42")),
                indices(Datasets.randomSplit(d30, new double[]{0.3, 0.3, 0.4}, new Generator(42))));
        // 11 * [0.5, 0.25, 0.25] floors to [5, 2, 2]; the remainder 2 goes to parts 0 and 1: [6, 3, 2]
        List<Subset<Integer>> parts = Datasets.randomSplit(d11, new double[]{0.5, 0.25, 0.25}, new Generator(0));
        assertEquals(intLists(g.get("n11_frac_0.5_0.25_0.25_gen0")), indices(parts));
        assertEquals(List.of(6, 3, 2), parts.stream().map(Subset::size).toList());
        Engine.manualSeed(9);
        assertEquals(intLists(g.get("n8_lengths_5_3_global9")), indices(Datasets.randomSplit(d8, new int[]{5, 3}, null)));
        // the subsets read through to the data set
        assertEquals(parts.get(0).indices()[2], parts.get(0).get(2));
    }

    @Test
    void randomSplitRejectsBadLengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[]{3, 6}, null));
        assertTrue(e.getMessage().contains("Sum of input lengths does not equal the length of the input dataset"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new double[]{0.5, 0.6}, null));
        assertTrue(e.getMessage().contains("sum to 1.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new double[]{1.5, -0.5}, null));
        assertTrue(e.getMessage().contains("Fraction at index 0 is not between 0 and 1: 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[]{-1, 11}, null));
        assertTrue(e.getMessage().contains("Invalid length at index 0: -1"), e.getMessage());
    }

    @Test
    void samplerArgumentsAreCheckedAtConstruction() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomSampler(10, true, 0, null));
        assertEquals("num_samples should be a positive integer value, but got num_samples=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomSampler(0));
        assertTrue(e.getMessage().contains("num_samples should be a positive integer value, but got num_samples=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new SequentialSampler(3), 0, false));
        assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(10, 2, 2));
        assertEquals("Invalid rank 2, rank should be in the interval [0, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(10, 0, 0));
        assertTrue(e.getMessage().contains("Invalid num_replicas 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1, -1}, 2));
        assertTrue(e.getMessage().contains("Invalid weight at index 1: -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{0, 0}, 2));
        assertTrue(e.getMessage().contains("sum is 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1, 0, 2}, 3, false, null));
        assertTrue(e.getMessage().contains("num_samples=3 without replacement: only 2 of 3 weights are positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1}, -2));
        assertTrue(e.getMessage().contains("num_samples=-2"), e.getMessage());
    }

    static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            public Integer get(int i) { return i; }
            public int size() { return n; }
        };
    }

    static List<List<Integer>> indices(List<Subset<Integer>> parts) {
        List<List<Integer>> out = new ArrayList<>();
        for (Subset<Integer> p : parts) out.add(java.util.Arrays.stream(p.indices()).boxed().toList());
        return out;
    }
}
