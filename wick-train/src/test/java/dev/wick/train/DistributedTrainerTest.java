package dev.wick.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.wick.checkpoint.TrainingCheckpoint;
import dev.wick.distributed.Launcher;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer in a real data-parallel job: two JVMs started by the {@link Launcher}, each running
 * {@link DdpTrainWorker} (a DistributedDataParallel model, a DistributedSampler, rank 0's run folder),
 * against the same runs in one process here.
 *
 * <ul>
 *   <li>2 ranks of batch 64 end one epoch with the parameters of 1 process of batch 128 over the same
 *       data order (within 1e-5), with and without gradient accumulation;</li>
 *   <li>only rank 0 writes files and progress; both ranks log and print the same values, which are the
 *       single process's validation over the whole set;</li>
 *   <li>a job stopped inside epoch 1 (a request inside an accumulation window) or at epoch 0's end (inside
 *       a window carried over it) and resumed by both ranks from rank 0's checkpoint ends bit-identical
 *       to the uninterrupted job, logs included.</li>
 * </ul>
 */
class DistributedTrainerTest {
    static final double TOLERANCE = 1e-5;

    @TempDir
    static Path dir;

    static String firstLog;
    static final Map<Integer, Map<String, Tensor>> referenceParams = new LinkedHashMap<>();
    static final Map<Integer, FitResult> referenceResults = new LinkedHashMap<>();

    /** The job's first phase (equivalence runs, the full resumable run, two interrupted runs), and the single-process references. */
    @BeforeAll
    @Timeout(200)
    static void runJobAndReferences() {
        firstLog = launch("first");
        for (int acc : new int[]{1, 2}) {
            DdpRuns.Run ref = DdpRuns.build(DdpRuns.equivalence(128, acc), 1, 0, null, dir.resolve("ref-acc" + acc), null);
            try {
                referenceResults.put(acc, ref.fit(null));
                Map<String, Tensor> p = new LinkedHashMap<>();
                Scope.outside(() -> {
                    ref.model().namedParameters().forEach((k, v) -> p.put(k, v.detach().clone()));
                    return null;
                });
                referenceParams.put(acc, p);
            } finally {
                ref.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void twoRanksOfBatch64EndLikeOneProcessOfBatch128() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        Scope.outside(() -> {
            Fixture.model(11, 0).namedParameters().forEach((k, v) -> init.put(k, v.detach().clone()));
            return null;
        });
        int[] steps = {0, 9, 5};                       // 1056 / 128 = 8.25 -> 9 batches; windows of 2: 2, 2, 2, 2, 1
        for (int acc : new int[]{1, 2}) {
            Map<String, Tensor> ref = referenceParams.get(acc);
            Map<String, Tensor> r0 = DdpRuns.params(dir.resolve("eq-acc" + acc + "-rank0.pt"));
            Map<String, Tensor> r1 = DdpRuns.params(dir.resolve("eq-acc" + acc + "-rank1.pt"));
            assertTrue(DdpRuns.bitEqual(r0, r1), "acc " + acc + ": the replicas differ by " + DdpRuns.maxAbsDiff(r0, r1));
            double diff = DdpRuns.maxAbsDiff(r0, ref);
            double moved = DdpRuns.maxAbsDiff(init, ref);
            System.out.printf("accumulation %d: max |2 x 64 - 1 x 128| = %.3g after %d steps; training moved the weights by %.3g%n",
                    acc, diff, referenceResults.get(acc).globalStep(), moved);
            assertTrue(diff <= TOLERANCE, "acc " + acc + ": 2 ranks x 64 differ from 1 x 128 by " + diff);
            assertTrue(moved > 100 * TOLERANCE, "the epoch moves the weights far more than the tolerance");
            assertEquals(steps[acc], referenceResults.get(acc).globalStep());
            assertTrue(firstLog.contains("[rank 0] DONE eq-acc" + acc + " steps=" + steps[acc] + " epochs=1 reason=max_epochs"), firstLog);
            assertTrue(firstLog.contains("[rank 1] DONE eq-acc" + acc + " steps=" + steps[acc] + " epochs=1 reason=max_epochs"), firstLog);
        }
        double apart = DdpRuns.maxAbsDiff(referenceParams.get(1), referenceParams.get(2));
        assertTrue(apart > 100 * TOLERANCE, "the comparison can fail: accumulation 1 and 2 end " + apart + " apart");
    }

    @Test
    @Timeout(60)
    void onlyRankZeroWritesAndBothRanksReportTheSameValues() throws IOException {
        for (int acc : new int[]{1, 2}) {
            Path rank0 = dir.resolve("eq-acc" + acc).resolve("rank0");
            Path rank1 = dir.resolve("eq-acc" + acc).resolve("rank1");
            assertEquals(List.of(), files(rank1), "rank 1 writes nothing into its run folder");
            List<String> written = files(rank0);
            for (String f : List.of("metrics.jsonl", "metrics.csv", "plots/loss.png", "plots/lr.png", "checkpoints/last.pt"))
                assertTrue(written.contains(f), f + " is missing from rank 0's folder: " + written);
            assertEquals(1, written.stream().filter(f -> f.startsWith("checkpoints/best-epoch=0-val_acc=")).count(), written.toString());

            // rank 0's metrics.jsonl and rank 1's records in memory are the same records with the same values
            List<Map<String, Object>> logged = DdpRuns.withoutTimings(MetricsLog.read(rank0.resolve(RunDir.METRICS_JSONL)));
            List<Map<String, Object>> rank1Records = DdpRuns.withoutTimings(MetricsLog.read(dir.resolve("eq-acc" + acc + "-rank1.jsonl")));
            assertEquals(logged, rank1Records);
            assertEquals(logged, DdpRuns.withoutTimings(MetricsLog.read(dir.resolve("eq-acc" + acc + "-rank0.jsonl"))));

            // ... and they are over all samples: the single process's values on the whole validation set
            Map<String, Object> epoch = logged.stream().filter(r -> "epoch".equals(r.get("kind"))).findFirst().orElseThrow();
            Map<String, Object> ref = referenceResults.get(acc).lastEpochRecord();
            System.out.println("acc " + acc + ": 2 ranks " + epoch + "\n       1 process " + ref);
            assertEquals(num(ref, "val_loss"), num(epoch, "val_loss"), 1e-6);
            assertEquals(num(ref, "val_acc"), num(epoch, "val_acc"), 0.0);
            assertEquals(num(ref, "val_f1"), num(epoch, "val_f1"), 1e-12);
            assertEquals(matrix(ref.get("val_confusion_matrix")), epoch.get("val_confusion_matrix"));
            assertEquals(DdpRuns.SAMPLES, matrixTotal(epoch.get("val_confusion_matrix")), "the shards cover the validation set once");
            assertEquals(num(ref, "train_loss"), num(epoch, "train_loss"), 1e-6);
            assertEquals(num(ref, "train_acc"), num(epoch, "train_acc"), 2.0 / DdpRuns.SAMPLES);
        }

        // printed: the same validation lines on both ranks; the progress bar on rank 0 only
        List<String> val0 = lines(firstLog, "[rank 0] VAL "), val1 = lines(firstLog, "[rank 1] VAL ");
        assertEquals(6, val0.size(), firstLog);           // eq-acc1, eq-acc2, full x 2 epochs, stopA, stopB
        assertEquals(val0, val1);
        assertTrue(firstLog.contains("[rank 0] epoch 1/1 step 9:"), firstLog);
        assertFalse(firstLog.contains("[rank 1] epoch"), firstLog);
    }

    @Test
    @Timeout(200)
    void bothRanksResumeFromRankZerosCheckpointAndEndAsTheUninterruptedJob() throws IOException {
        try (Scope s = Scope.open()) {
            // stopA: asked for after batch 3 of epoch 1, inside the window [3, 4] (windows carry over the epoch's end:
            // [8, 0'] [1', 2'] [3', 4']): written at the window's end; the resume restarts epoch 1's pass at batch 5
            TrainingCheckpoint a = TrainingCheckpoint.load(dir.resolve("stopA/rank0/checkpoints/stop.pt"));
            assertEquals(1, a.epoch());
            assertEquals(5, a.batchIdx());
            assertEquals(0, a.microStep());
            Map<?, ?> rank1 = rankSection(a, 1);
            assertFalse(bytesEqual(a.rngState().get("torch"), ((Map<?, ?>) rank1.get("rng_state")).get("torch")),
                    "each rank's own dropout generator is saved");
            // stopB: epoch 0's end inside the window [8, 0'] (CARRY): each rank's local gradients are saved
            TrainingCheckpoint b = TrainingCheckpoint.load(dir.resolve("stopB/rank0/checkpoints/stop.pt"));
            assertEquals(1, b.microStep());
            Map<?, ?> grads1 = (Map<?, ?>) rankSection(b, 1).get("grads");
            assertEquals(b.grads().keySet(), grads1.keySet());
            assertFalse(b.grads().isEmpty());
            Tensor g0 = b.grads().values().iterator().next(), g1 = (Tensor) grads1.values().iterator().next();
            assertFalse(g0.equal(g1), "rank 1 accumulated other gradients than rank 0 (noSync)");
        }
        assertEquals(List.of(), files(dir.resolve("stopA/rank1")));
        Map<String, Tensor> full = DdpRuns.params(dir.resolve("full-rank0.pt"));
        assertTrue(DdpRuns.bitEqual(full, DdpRuns.params(dir.resolve("full-rank1.pt"))));
        for (String cut : List.of("A", "B"))
            assertFalse(DdpRuns.bitEqual(full, DdpRuns.params(dir.resolve("stop" + cut + "-rank0.pt"))), "stop" + cut + " ended early");

        String log = launch("resume");
        Map<String, Object> fullEpoch = lastEpoch(dir.resolve("full-rank0.jsonl"));
        for (String cut : List.of("A", "B")) {
            assertTrue(log.contains("[rank 1] DONE resume" + cut + " steps=9 epochs=2 reason=max_epochs"), log);
            for (int r = 0; r < 2; r++) {
                Map<String, Tensor> resumed = DdpRuns.params(dir.resolve("resume" + cut + "-rank" + r + ".pt"));
                assertTrue(DdpRuns.bitEqual(full, resumed), "resume" + cut + " rank " + r + " differs from the uninterrupted job by "
                        + DdpRuns.maxAbsDiff(full, resumed));
                assertEquals(fullEpoch, lastEpoch(dir.resolve("resume" + cut + "-rank" + r + ".jsonl")), "resume" + cut + " rank " + r);
            }
            assertEquals(DdpRuns.withoutTimings(MetricsLog.read(dir.resolve("full/rank0").resolve(RunDir.METRICS_JSONL))),
                    DdpRuns.withoutTimings(MetricsLog.read(dir.resolve("stop" + cut + "/rank0").resolve(RunDir.METRICS_JSONL))),
                    "rank 0's log of the resumed job is the uninterrupted job's");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs both ranks of {@link DdpTrainWorker} {@code phase} with the launcher; returns their output, "[rank R] "-prefixed. */
    static String launch(String phase) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Launcher.Options o = Launcher.Options.local(2).withMaster("127.0.0.1", freePort()).withKillGrace(Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        int rc = Launcher.launch(o, javaCommand(DdpTrainWorker.class, phase, dir.toString()), out, out);
        String log = bytes.toString(StandardCharsets.UTF_8);
        System.out.printf("phase %s: %.1f s%n%s%n", phase, (System.nanoTime() - t0) / 1e9, log);
        assertEquals(0, rc, log);
        return log;
    }

    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.nopointergc=true", "-Xss4m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files under {@code root}, relative, sorted. */
    static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    static List<String> lines(String log, String prefix) {
        return log.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    static double num(Map<String, Object> record, String key) {
        Object v = record.get(key);
        if (!(v instanceof Number n)) throw new AssertionError("no number '" + key + "' in " + record);
        return n.doubleValue();
    }

    /** A confusion matrix as the log reads it back: nested lists of longs. */
    static List<List<Long>> matrix(Object v) {
        List<List<Long>> out = new ArrayList<>();
        for (long[] row : (long[][]) v) {
            List<Long> r = new ArrayList<>();
            for (long x : row) r.add(x);
            out.add(r);
        }
        return out;
    }

    static long matrixTotal(Object v) {
        long n = 0;
        for (Object row : (List<?>) v) for (Object x : (List<?>) row) n += ((Number) x).longValue();
        return n;
    }

    static Map<?, ?> rankSection(TrainingCheckpoint c, int rank) {
        Map<?, ?> d = (Map<?, ?>) c.extra().get("distributed");
        assertEquals(2L, d.get("world_size"));
        return (Map<?, ?>) ((Map<?, ?>) d.get("ranks")).get(String.valueOf(rank));
    }

    static boolean bytesEqual(Object a, Object b) {
        return java.util.Arrays.equals(((Tensor) a).toBytes(), ((Tensor) b).toBytes());
    }

    static Map<String, Object> lastEpoch(Path jsonl) {
        List<Map<String, Object>> rs = MetricsLog.read(jsonl);
        Map<String, Object> last = null;
        for (Map<String, Object> r : rs) if ("epoch".equals(r.get("kind"))) last = r;
        assertNotEquals(null, last, "no epoch record in " + jsonl);
        return DdpRuns.withoutTimings(last);
    }
}
