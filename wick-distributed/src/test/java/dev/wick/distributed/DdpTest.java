package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.wick.nn.BatchNorm1d;
import dev.wick.nn.Linear;
import dev.wick.nn.Module;
import dev.wick.nn.ReLU;
import dev.wick.nn.Sequential;
import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** DistributedDataParallel's behaviour, with two ranks as threads of this JVM. */
@Timeout(120)
class DdpTest {

    /** A model whose ranks start from different weights (seed per rank), built under a lock (one global generator). */
    static Sequential model(int seed) {
        synchronized (DdpTest.class) {
            Engine.manualSeed(seed);
            return new Sequential(new Linear(6, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 3));
        }
    }

    static Tensor batch(int rank, int i) {
        return Tensor.randn(new Generator(1000L * rank + i), 8, 6);
    }

    static float[] flatGrads(Module m) {
        List<Float> all = new ArrayList<>();
        for (Tensor p : m.parameters()) for (float f : p.grad().toFloatArray()) all.add(f);
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    @Test
    void wrappingCopiesRank0sStateAndKeepsTheModulesKeys() {
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Sequential net = model(10 + g.rank());
            Map<String, Tensor> before = net.stateDict();
            float[] w0before = before.get("0.weight").toFloatArray();
            var ddp = new DistributedDataParallel<>(net, g, DistributedDataParallel.Options.defaults());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("before", w0before);
            out.put("after", ddp.stateDict().get("0.weight").toFloatArray());
            out.put("keys", List.copyOf(ddp.stateDict().keySet()));
            out.put("plainKeys", List.copyOf(net.stateDict().keySet()));
            out.put("paramKeys", List.copyOf(ddp.namedParameters().keySet()));
            // a checkpoint of the wrapper loads into a plain module, and back
            Sequential plain = model(99);
            plain.loadStateDict(ddp.stateDict());
            out.put("plainLoaded", plain.stateDict().get("3.bias").toFloatArray());
            out.put("ddpBias", ddp.stateDict().get("3.bias").toFloatArray());
            ddp.loadStateDict(model(98).stateDict());
            out.put("reloaded", net.stateDict().get("3.bias").toFloatArray());
            out.put("printed", ddp.toString());
            ddp.close();
            return out;
        });
        float[] rank0Before = (float[]) results.get(0).get("before");
        assertFalse(java.util.Arrays.equals(rank0Before, (float[]) results.get(1).get("before")), "the ranks start apart");
        for (Map<String, Object> r : results) {
            assertArrayEquals(rank0Before, (float[]) r.get("after"), "rank 0's weights everywhere");
            assertEquals(r.get("plainKeys"), r.get("keys"));
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                    "3.weight", "3.bias"), r.get("keys"));
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), r.get("paramKeys"));
            assertArrayEquals((float[]) r.get("ddpBias"), (float[]) r.get("plainLoaded"));
            assertArrayEquals(model(98).stateDict().get("3.bias").toFloatArray(), (float[]) r.get("reloaded"));
            assertTrue(((String) r.get("printed")).startsWith("DistributedDataParallel(\n  (module): Sequential("), (String) r.get("printed"));
        }
    }

    @Test
    void gradientsAreTheMeanOverRanksWhateverTheBuckets() {
        DistributedDataParallel.Options[] variants = {
                DistributedDataParallel.Options.defaults(),
                DistributedDataParallel.Options.defaults().withSingleBucket(),
                DistributedDataParallel.Options.defaults().withBucketCapMb(0.0001).withFirstBucketCapMb(0.0001),  // one parameter per bucket
                DistributedDataParallel.Options.defaults().withFindUnusedParameters(true).withGradientAsBucketView(true),
        };
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int v = 0; v < variants.length; v++) {
                Sequential net = model(20);              // same start on both ranks: the local gradient is comparable
                Sequential local = model(20);
                var ddp = new DistributedDataParallel<>(net, g, variants[v]);
                long seq0 = g.sequenceNumber();
                for (int it = 0; it < 3; it++) {          // the buckets are rebuilt after the first iteration
                    ddp.zeroGrad();
                    local.zeroGrad();
                    try (Scope s = Scope.open()) {
                        Tensor x = batch(g.rank(), it);
                        ddp.forward(x).square().mean().backward();
                        local.forward(x).square().mean().backward();
                        float[] mine = flatGrads(local);
                        Tensor mean = Tensor.of(mine);
                        g.allReduce(mean, ReduceOp.AVG);
                        out.put("v" + v + "it" + it + "ddp", flatGrads(ddp));
                        out.put("v" + v + "it" + it + "expected", mean.toFloatArray());
                        out.put("v" + v + "it" + it + "local", mine);
                    }
                }
                out.put("v" + v + "collectives", g.sequenceNumber() - seq0);
                ddp.close();
            }
            return out;
        });
        for (int v = 0; v < variants.length; v++) {
            for (int it = 0; it < 3; it++) {
                for (int r = 0; r < 2; r++) {
                    float[] ddp = (float[]) results.get(r).get("v" + v + "it" + it + "ddp");
                    float[] expected = (float[]) results.get(r).get("v" + v + "it" + it + "expected");
                    assertArrayEquals(expected, ddp, 1e-6f, "variant " + v + " iteration " + it + " rank " + r);
                }
                float[] l0 = (float[]) results.get(0).get("v" + v + "it" + it + "local"), l1 = (float[]) results.get(1).get("v" + v + "it" + it + "local");
                assertTrue(Math.abs(l0[0] - l1[0]) > 1e-6, "the local gradients differ, so averaging is visible");
            }
        }
        // the single bucket communicates less often than one bucket per parameter
        assertTrue((long) results.get(0).get("v1collectives") < (long) results.get(0).get("v2collectives"),
                results.get(0).get("v1collectives") + " vs " + results.get(0).get("v2collectives"));
    }

    @Test
    void noSyncAccumulatesLocallyAndTheNextBackwardAveragesTheSum() {
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Sequential net = model(30), local = model(30);
            // without buffer broadcasts (tested apart), every collective counted here would be gradient traffic
            var ddp = new DistributedDataParallel<>(net, g, DistributedDataParallel.Options.defaults().withBroadcastBuffers(false));
            Map<String, Object> out = new LinkedHashMap<>();
            try (Scope s = Scope.open()) {
                long seq = g.sequenceNumber();
                try (var skip = ddp.noSync()) {
                    assertFalse(ddp.isSyncing());
                    for (int i = 0; i < 2; i++) {
                        ddp.forward(batch(g.rank(), i)).square().mean().backward();
                        local.forward(batch(g.rank(), i)).square().mean().backward();
                    }
                }
                assertTrue(ddp.isSyncing());
                out.put("collectivesInNoSync", g.sequenceNumber() - seq);
                out.put("afterNoSync", flatGrads(ddp));
                out.put("localAfterTwo", flatGrads(local));
                ddp.forward(batch(g.rank(), 2)).square().mean().backward();
                local.forward(batch(g.rank(), 2)).square().mean().backward();
                Tensor mean = Tensor.of(flatGrads(local));
                g.allReduce(mean, ReduceOp.AVG);
                out.put("afterSync", flatGrads(ddp));
                out.put("expected", mean.toFloatArray());
            }
            ddp.close();
            return out;
        });
        for (Map<String, Object> r : results) {
            assertEquals(0L, r.get("collectivesInNoSync"));
            assertArrayEquals((float[]) r.get("localAfterTwo"), (float[]) r.get("afterNoSync"), 1e-6f, "inside noSync: the local sum");
            assertArrayEquals((float[]) r.get("expected"), (float[]) r.get("afterSync"), 1e-6f, "then the mean over ranks of the 3-batch sums");
        }
        assertFalse(java.util.Arrays.equals((float[]) results.get(0).get("afterNoSync"), (float[]) results.get(1).get("afterNoSync")));
    }

    @Test
    void forwardCopiesRank0sBuffersFirst() {
        List<float[][]> results = InProcess.run(2, g -> {
            var ddp = new DistributedDataParallel<>(model(40), g, DistributedDataParallel.Options.defaults());
            BatchNorm1d bn = (BatchNorm1d) ddp.module().children().get(1);
            float[][] out = new float[3][];
            try (Scope s = Scope.open()) {
                ddp.forward(batch(g.rank(), 0)).sum().backward();       // each rank's own statistics
                out[0] = bn.buffer("running_mean").toFloatArray();
                ddp.eval();
                try (var ng = dev.wick.tensor.Autograd.noGrad()) { ddp.forward(batch(g.rank(), 1)); }   // eval: no update, but rank 0's buffers arrive
                out[1] = bn.buffer("running_mean").toFloatArray();
            }
            var noBroadcast = new DistributedDataParallel<>(model(41), g, DistributedDataParallel.Options.defaults().withBroadcastBuffers(false));
            BatchNorm1d bn2 = (BatchNorm1d) noBroadcast.module().children().get(1);
            try (Scope s = Scope.open()) {
                noBroadcast.forward(batch(g.rank(), 0)).sum().backward();
                noBroadcast.eval();
                try (var ng = dev.wick.tensor.Autograd.noGrad()) { noBroadcast.forward(batch(g.rank(), 1)); }
                out[2] = bn2.buffer("running_mean").toFloatArray();
            }
            ddp.close();
            noBroadcast.close();
            return out;
        });
        assertFalse(java.util.Arrays.equals(results.get(0)[0], results.get(1)[0]), "after a training forward the ranks' statistics differ");
        assertArrayEquals(results.get(0)[0], results.get(1)[1], "the next forward copied rank 0's statistics to rank 1");
        assertFalse(java.util.Arrays.equals(results.get(0)[2], results.get(1)[2]), "withBroadcastBuffers(false) keeps them apart");
    }

    /** Branch {@code b} is used only when asked: a parameter without a gradient in some iterations. */
    static final class TwoBranch extends Module {
        final Linear a = register("a", new Linear(4, 2));
        final Linear b = register("b", new Linear(4, 2));

        Tensor forward(Tensor x, boolean useB) {
            Tensor y = a.forward(x);
            return useB ? y.add(b.forward(x)) : y;
        }
    }

    static TwoBranch twoBranch() {
        synchronized (DdpTest.class) {
            Engine.manualSeed(50);
            return new TwoBranch();
        }
    }

    @Test
    void unusedParametersAreFoundWhenAsked() {
        // rank 0 uses branch b, rank 1 does not: b's gradient is rank 0's divided by 2 (rank 1 counts as zero)
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Map<String, Object> out = new LinkedHashMap<>();
            TwoBranch net = twoBranch(), local = twoBranch();
            var ddp = new DistributedDataParallel<>(net, g, DistributedDataParallel.Options.defaults().withFindUnusedParameters(true));
            boolean useB = g.rank() == 0;
            try (Scope s = Scope.open()) {
                for (int it = 0; it < 2; it++) {
                    ddp.zeroGrad();
                    local.zeroGrad();
                    Tensor x = batch(g.rank(), it).narrow(1, 0, 4);
                    ddp.forward(m -> m.forward(x, useB)).sum().backward();
                    local.forward(x, useB).sum().backward();
                    float[] bGrad = useB ? local.b.parameter("weight").grad().toFloatArray() : new float[8];
                    Tensor expected = Tensor.of(bGrad);
                    g.allReduce(expected, ReduceOp.AVG);
                    out.put("it" + it, net.b.parameter("weight").grad().toFloatArray());
                    out.put("expected" + it, expected.toFloatArray());
                }
            }
            ddp.close();
            return out;
        });
        for (Map<String, Object> r : results) {
            for (int it = 0; it < 2; it++) assertArrayEquals((float[]) r.get("expected" + it), (float[]) r.get("it" + it), 1e-6f);
        }

        // without detection, the incomplete reduction is reported (not a hang) on the next forward
        List<String> errors = InProcess.run(2, g -> {
            var ddp = new DistributedDataParallel<>(twoBranch(), g, DistributedDataParallel.Options.defaults());
            try (Scope s = Scope.open()) {
                Tensor x = Tensor.ones(3, 4);
                ddp.forward(m -> m.forward(x, false)).sum().backward();
                RuntimeException e = assertThrows(RuntimeException.class, () -> ddp.forward(m -> m.forward(x, false)));
                return e.getMessage();
            } finally {
                ddp.close();
            }
        });
        for (String e : errors) assertTrue(e.contains("Expected to have finished reduction in the prior iteration"), e);
    }

    @Test
    void theWrapperRefusesMistakesWithTheRule() {
        List<List<String>> results = InProcess.run(2, g -> {
            List<String> msgs = new ArrayList<>();
            // a model that differs across ranks
            Sequential net = g.rank() == 0 ? new Sequential(new Linear(4, 3)) : new Sequential(new Linear(4, 2));
            msgs.add(assertThrows(IllegalArgumentException.class,
                    () -> new DistributedDataParallel<>(net, g, DistributedDataParallel.Options.defaults())).getMessage());
            Sequential ok = model(60);
            var ddp = new DistributedDataParallel<>(ok, g, DistributedDataParallel.Options.defaults());
            msgs.add(assertThrows(IllegalStateException.class, () -> ddp.to(DType.FLOAT64)).getMessage());
            msgs.add(assertThrows(IllegalStateException.class, () -> ddp.requiresGrad(false)).getMessage());
            msgs.add(assertThrows(IllegalArgumentException.class, () -> new DistributedDataParallel<>(ddp, g, DistributedDataParallel.Options.defaults())).getMessage());
            var twoInputs = new DistributedDataParallel<>(twoBranch(), g, DistributedDataParallel.Options.defaults());
            msgs.add(assertThrows(IllegalStateException.class, () -> twoInputs.forward(Tensor.ones(1, 4))).getMessage());
            twoInputs.close();
            ddp.close();
            msgs.add(assertThrows(IllegalStateException.class, () -> ddp.forward(Tensor.ones(2, 6))).getMessage());
            Sequential frozen = new Sequential(new ReLU());
            msgs.add(assertThrows(IllegalArgumentException.class, () -> new DistributedDataParallel<>(frozen, g, DistributedDataParallel.Options.defaults())).getMessage());
            return msgs;
        });
        List<String> m = results.get(0);
        assertTrue(m.get(0).contains("rank 1's model differs from rank 0's"), m.get(0));
        assertEquals(m.get(0), results.get(1).get(0), "both ranks are told");
        assertTrue(m.get(1).contains("convert the module with to(torch.float64) before wrapping it"), m.get(1));
        assertTrue(m.get(2).contains("freeze or unfreeze parameters before wrapping"), m.get(2));
        assertTrue(m.get(3).contains("already wrapped"), m.get(3));
        assertTrue(m.get(4).contains("needs a UnaryModule, but TwoBranch is not one"), m.get(4));
        assertEquals("DistributedDataParallel is closed", m.get(5));
        assertTrue(m.get(6).contains("no parameter that requires a gradient"), m.get(6));
        assertEquals("Invalid bucket_cap_mb: -1.0 (must be > 0)",
                assertThrows(IllegalArgumentException.class, () -> DistributedDataParallel.Options.defaults().withBucketCapMb(-1)).getMessage());
    }
}
