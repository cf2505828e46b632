package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** The collectives on tensors and Java values, with two ranks as threads of this JVM (real Gloo over 127.0.0.1). */
@Timeout(120)
class CollectivesTest {

    @Test
    void tensorCollectivesCombineEveryRanksValues() {
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Map<String, Object> out = new LinkedHashMap<>();
            int r = g.rank();
            try (Scope s = Scope.open()) {
                // rank 0 holds [1, 2, 3], rank 1 holds [10, 20, 30]
                float base = r == 0 ? 1 : 10;
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor t = Tensor.of(new float[]{base, 2 * base, 3 * base});
                    g.allReduce(t, op);
                    out.put(op.name(), t.toFloatArray());
                }
                Tensor nonContiguous = Tensor.of(new float[]{base, 2 * base, 3 * base, 4 * base}, 2, 2).t();   // a transposed view
                g.allReduce(nonContiguous, ReduceOp.SUM);
                out.put("noncontiguous", nonContiguous.contiguous().toFloatArray());
                Tensor ints = Tensor.of(new long[]{r + 1, 7});
                g.allReduce(ints, ReduceOp.PRODUCT);
                out.put("intProduct", ints.toLongArray());
                Tensor b = Tensor.of(new float[]{r, r, r});
                g.broadcast(b, 1);
                out.put("broadcast", b.toFloatArray());
                List<Tensor> gathered = g.allGather(Tensor.of(new float[]{r, 100 + r}));
                out.put("allGather", new float[]{gathered.get(0).get(0).itemFloat(), gathered.get(0).get(1).itemFloat(),
                        gathered.get(1).get(0).itemFloat(), gathered.get(1).get(1).itemFloat()});
                out.put("allGatherShape", g.allGatherIntoTensor(Tensor.zeros(3, 2)).shape());
                // reduce-scatter: each rank contributes arange(4) + 10 r; rank r gets rows [2r, 2r+2) of the sum
                Tensor rs = g.reduceScatter(Tensor.arange(0, 4, 1).toFloat().add(10.0 * r), ReduceOp.SUM);
                out.put("reduceScatter", rs.toFloatArray());
                Tensor async = Tensor.of(new float[]{base});
                Work w = g.allReduceAsync(async, ReduceOp.MAX);
                out.put("async", w.await().toFloatArray());
            }
            g.barrier();
            out.put("seq", g.sequenceNumber());
            return out;
        });
        for (int r = 0; r < 2; r++) {
            Map<String, Object> m = results.get(r);
            assertArrayEquals(new float[]{11, 22, 33}, (float[]) m.get("SUM"));
            assertArrayEquals(new float[]{5.5f, 11, 16.5f}, (float[]) m.get("AVG"));
            assertArrayEquals(new float[]{10, 40, 90}, (float[]) m.get("PRODUCT"));
            assertArrayEquals(new float[]{1, 2, 3}, (float[]) m.get("MIN"));
            assertArrayEquals(new float[]{10, 20, 30}, (float[]) m.get("MAX"));
            assertArrayEquals(new float[]{11, 33, 22, 44}, (float[]) m.get("noncontiguous"));
            assertArrayEquals(new long[]{2, 49}, (long[]) m.get("intProduct"));
            assertArrayEquals(new float[]{1, 1, 1}, (float[]) m.get("broadcast"), "rank 1's values everywhere");
            assertArrayEquals(new float[]{0, 100, 1, 101}, (float[]) m.get("allGather"));
            assertArrayEquals(new long[]{6, 2}, (long[]) m.get("allGatherShape"));
            assertArrayEquals(new float[]{10}, (float[]) m.get("async"));
        }
        // sum of arange(4) + (arange(4) + 10) = [10, 12, 14, 16]: rank 0 gets [10, 12], rank 1 [14, 16]
        assertArrayEquals(new float[]{10, 12}, (float[]) results.get(0).get("reduceScatter"));
        assertArrayEquals(new float[]{14, 16}, (float[]) results.get(1).get("reduceScatter"));
        assertEquals(results.get(0).get("seq"), results.get(1).get("seq"), "both ranks count the same collectives");
        assertEquals(13L, results.get(0).get("seq"), "5 reduce ops + non-contiguous + int product + broadcast + 2 gathers + reduce-scatter + async + barrier");
    }

    @Test
    void javaValuesAndMetricsAreReducedAcrossRanks() {
        List<Map<String, Object>> results = InProcess.run(2, g -> {
            Map<String, Object> out = new LinkedHashMap<>();
            int r = g.rank();
            out.put("sum", g.allReduce(1.5 + r, ReduceOp.SUM));
            out.put("avg", g.allReduce(1.5 + r, ReduceOp.AVG));
            out.put("max", g.allReduce(1.5 + r, ReduceOp.MAX));
            out.put("count", g.allReduce(100L + r, ReduceOp.SUM));
            out.put("vector", g.allReduce(new double[]{r, 2 * r}, ReduceOp.SUM));
            out.put("gatherD", g.allGather(0.25 * r));
            out.put("gatherL", g.allGather((long) r * 7));
            out.put("bcastD", g.broadcast(r == 1 ? 3.75 : -1, 1));
            out.put("bcastS", g.broadcast(r == 0 ? "runs/2024-06-01 ünïcode" : null, 0));
            Map<String, Double> local = new LinkedHashMap<>();
            local.put("val_loss", r == 0 ? 0.5 : 0.7);
            local.put("val_acc", r == 0 ? 0.9 : 0.8);
            out.put("mean", g.reduceMetrics(local));
            out.put("weighted", g.reduceMetrics(local, r == 0 ? 300 : 100));
            return out;
        });
        for (Map<String, Object> m : results) {
            assertEquals(4.0, (double) m.get("sum"));
            assertEquals(2.0, (double) m.get("avg"));
            assertEquals(2.5, (double) m.get("max"));
            assertEquals(201L, (long) m.get("count"));
            assertArrayEquals(new double[]{1, 2}, (double[]) m.get("vector"));
            assertArrayEquals(new double[]{0, 0.25}, (double[]) m.get("gatherD"));
            assertArrayEquals(new long[]{0, 7}, (long[]) m.get("gatherL"));
            assertEquals(3.75, (double) m.get("bcastD"));
            assertEquals("runs/2024-06-01 ünïcode", m.get("bcastS"));
            @SuppressWarnings("unchecked") Map<String, Double> mean = (Map<String, Double>) m.get("mean");
            assertEquals(List.of("val_loss", "val_acc"), List.copyOf(mean.keySet()), "the caller's order");
            assertEquals(0.6, mean.get("val_loss"), 1e-12);
            assertEquals(0.85, mean.get("val_acc"), 1e-12);
            @SuppressWarnings("unchecked") Map<String, Double> weighted = (Map<String, Double>) m.get("weighted");
            assertEquals((0.5 * 300 + 0.7 * 100) / 400, weighted.get("val_loss"), 1e-12);
            assertEquals((0.9 * 300 + 0.8 * 100) / 400, weighted.get("val_acc"), 1e-12);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheRule() {
        List<String> messages = InProcess.run(2, g -> {
            StringBuilder sb = new StringBuilder();
            try (Scope s = Scope.open()) {
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.broadcast(Tensor.zeros(2), 2)).getMessage()).append('\n');
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.allReduce(Tensor.zeros(DType.INT64, 2), ReduceOp.AVG)).getMessage()).append('\n');
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.allReduce(3L, ReduceOp.AVG)).getMessage()).append('\n');
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.reduceScatter(Tensor.zeros(3), ReduceOp.SUM)).getMessage()).append('\n');
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.allReduceAsync(Tensor.zeros(2, 2).t(), ReduceOp.SUM)).getMessage()).append('\n');
                sb.append(assertThrows(IllegalArgumentException.class, () -> g.reduceMetrics(Map.of("a", 1.0), -1)).getMessage()).append('\n');
            }
            // different metric names on the two ranks: both are told, nobody hangs
            Map<String, Double> m = g.rank() == 0 ? Map.of("loss", 1.0) : Map.of("loss", 1.0, "acc", 0.5);
            sb.append(assertThrows(IllegalArgumentException.class, () -> g.reduceMetrics(m)).getMessage());
            return sb.toString();
        });
        String m0 = messages.get(0);
        assertTrue(m0.contains("Invalid broadcast: src rank 2 (must be in [0, 1])"), m0);
        assertTrue(m0.contains("ReduceOp.AVG needs a floating-point tensor, got torch.int64"), m0);
        assertTrue(m0.contains("AVG of integers is not exact"), m0);
        assertTrue(m0.contains("must be divisible by the world size 2"), m0);
        assertTrue(m0.contains("must be contiguous"), m0);
        assertTrue(m0.contains("Invalid weight: -1.0"), m0);
        assertTrue(m0.contains("rank 1 passed other metric names than rank 0"), m0);
        assertTrue(messages.get(1).contains("rank 0 passed other metric names than rank 1"), messages.get(1));
    }

    @Test
    void fileStoreRendezvousWorks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path store = dir.resolve("job.store");
        List<Double> sums = InProcess.run(2, rank -> Rendezvous.file(rank, 2, store).withTimeout(java.time.Duration.ofSeconds(20)),
                g -> g.allReduce(g.rank() + 1.0, ReduceOp.SUM));
        assertEquals(List.of(3.0, 3.0), sums);
    }

    @Test
    void closedGroupRefusesCollectives() {
        List<String> msgs = InProcess.run(1, g -> {
            g.close();
            return assertThrows(IllegalStateException.class, () -> g.allReduce(1.0, ReduceOp.SUM)).getMessage();
        });
        assertEquals("ProcessGroup is closed", msgs.get(0));
    }
}
