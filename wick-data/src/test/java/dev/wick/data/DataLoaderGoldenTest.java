package dev.wick.data;

import static dev.wick.data.Json.intLists;
import static dev.wick.data.Json.ints;
import static dev.wick.data.Json.list;
import static dev.wick.data.Json.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The loader's index lists against PyTorch 1.13's DataLoader (golden/loader.json): the base-seed draw
 * before the sampler's, the persistent-worker rule, and the workers' seeds.
 */
class DataLoaderGoldenTest {
    static final Map<String, Object> G = Json.golden("loader.json");

    /** Batches of each epoch as index lists (the data set returns its index; default collate stacks them). */
    static List<List<List<Integer>>> epochs(DataLoader<Integer, Tensor> loader, int epochs) {
        List<List<List<Integer>>> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            List<List<Integer>> batches = new ArrayList<>();
            for (Tensor b : loader) batches.add(Arrays.stream(b.toLongArray()).mapToInt(x -> (int) x).boxed().toList());
            out.add(batches);
        }
        return out;
    }

    static List<List<List<Integer>>> golden(String key) {
        List<List<List<Integer>>> out = new ArrayList<>();
        for (Object epoch : list(G.get(key))) out.add(intLists(epoch));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void shuffleWithGeneratorMatchesPyTorch(int workers) {
        var b = DataLoader.builder(SamplerGoldenTest.range(10)).batchSize(4).shuffle(true).generator(new Generator(0));
        if (workers > 0) b.numWorkers(workers);
        try (DataLoader<Integer, Tensor> loader = b.build()) {
            assertEquals(golden("shuffle_gen0_n10_bs4"), epochs(loader, 3));
        }
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(10)).batchSize(4).shuffle(true)
                .dropLast(true).generator(new Generator(0)).build()) {
            assertEquals(golden("shuffle_gen0_n10_bs4_drop"), epochs(loader, 3));
            assertEquals(2, loader.size());
        }
    }

    @Test
    void shuffleWithoutGeneratorUsesTheGlobalGeneratorAsPyTorch() {
        Engine.manualSeed(0);
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(10)).batchSize(3).shuffle(true).build()) {
            assertEquals(golden("shuffle_global0_n10_bs3"), epochs(loader, 2));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void sameIndexListsWithAnyNumberOfWorkers(int workers) {
        var b = DataLoader.builder(SamplerGoldenTest.range(10)).batchSize(3).shuffle(true).generator(new Generator(7));
        if (workers > 0) b.numWorkers(workers);
        try (DataLoader<Integer, Tensor> loader = b.build()) {
            assertEquals(golden("shuffle_gen7_n10_bs3_workers2"), epochs(loader, 3));
        }
    }

    @Test
    void persistentWorkersDrawTheBaseSeedOnceAsPyTorch() {
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(10)).batchSize(3).shuffle(true)
                .numWorkers(2).persistentWorkers(true).generator(new Generator(7)).build()) {
            List<List<List<Integer>>> got = epochs(loader, 3);
            assertEquals(golden("shuffle_gen7_n10_bs3_workers2_persistent"), got);
            // and that differs from the non-persistent order after the first epoch
            assertEquals(golden("shuffle_gen7_n10_bs3_workers2").get(0), got.get(0));
            assertEquals(false, golden("shuffle_gen7_n10_bs3_workers2").get(1).equals(got.get(1)));
        }
    }

    @Test
    void sequentialNoBatchingAndCustomSampler() {
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(7)).batchSize(3).build()) {
            assertEquals(golden("sequential_n7_bs3"), epochs(loader, 1));
            assertEquals(3, loader.size());
        }
        try (DataLoader<Integer, Integer> loader = DataLoader.builder(SamplerGoldenTest.range(6)).batchSize(null).shuffle(true)
                .generator(new Generator(0)).build()) {
            List<Integer> got = new ArrayList<>();
            for (Integer i : loader) got.add(i);                 // samples as they are (default_convert)
            assertEquals(ints(list(G.get("no_batching_shuffle_gen0_n6")).get(0)), got);
            assertEquals(6, loader.size());
        }
        var ws = new WeightedRandomSampler(new double[]{1, 2, 3, 4, 5, 6}, 9, true, new Generator(11));
        try (DataLoader<Integer, Tensor> loader = DataLoader.builder(SamplerGoldenTest.range(6)).batchSize(4).sampler(ws).build()) {
            assertEquals(golden("weighted_gen11_bs4"), epochs(loader, 2));
        }
    }

    @Test
    void workerSeedsAreBaseSeedPlusWorkerIdAsPyTorch() {
        Dataset<Map<String, Object>> ds = new Dataset<>() {
            public Map<String, Object> get(int i) {
                WorkerInfo w = DataLoader.getWorkerInfo();
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("index", i);
                m.put("worker", w.id());
                m.put("seed", w.seed());
                return m;
            }
            public int size() { return 12; }
        };
        try (DataLoader<Map<String, Object>, Map<String, Tensor>> loader = DataLoader.builder(ds).batchSize(4).shuffle(true)
                .numWorkers(2).generator(new Generator(3)).build()) {
            List<Object> want = list(G.get("worker_seeds_gen3_n12_bs4_workers2"));
            for (Object epoch : want) {
                List<Map<String, List<Long>>> got = new ArrayList<>();
                for (Map<String, Tensor> b : loader) {
                    Map<String, List<Long>> m = new HashMap<>();
                    b.forEach((k, v) -> m.put(k, Arrays.stream(v.toLongArray()).boxed().toList()));
                    got.add(m);
                }
                List<Object> wantEpoch = list(epoch);
                assertEquals(wantEpoch.size(), got.size());
                for (int k = 0; k < got.size(); k++) {
                    for (String key : List.of("index", "worker", "seed"))
                        assertEquals(map(wantEpoch.get(k)).get(key), got.get(k).get(key), "batch " + k + " " + key);
                }
            }
        }
    }
}
