package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The equivalence: W1's MLP trained for one epoch by 2 processes with batch 64 each ends with the
 * parameters of 1 process with batch 128 over the same data order (within 1e-5), and the same with gradient
 * accumulation 2. The two ranks are real JVMs started by the {@link Launcher}; the reference runs here.
 */
@Timeout(180)
class DdpEquivalenceTest {
    static final double TOLERANCE = 1e-5;
    static Equivalence.Result reference1, reference2;

    @BeforeAll
    static void reference() {
        reference1 = Equivalence.train(null, 128, 1, null);
        reference2 = Equivalence.train(null, 128, 2, null);
    }

    /** Checks the two ranks' results against the single-process references; shared with the netns test. */
    static void assertMatchesReference(Path dir) throws Exception {
        for (int acc : new int[]{1, 2}) {
            Equivalence.Result ref = acc == 1 ? reference1 : reference2;
            Equivalence.Result r0 = Equivalence.read(dir.resolve("rank0-acc" + acc + ".bin"));
            Equivalence.Result r1 = Equivalence.read(dir.resolve("rank1-acc" + acc + ".bin"));
            assertEquals(0.0, Equivalence.maxAbsDiff(r0.params(), r1.params()), "acc " + acc + ": the replicas are identical");
            double diff = Equivalence.maxAbsDiff(r0.params(), ref.params());
            System.out.printf("accumulation %d: max |DDP - single process| = %.3g over %d steps%n", acc, diff, ref.steps());
            assertTrue(diff <= TOLERANCE, "acc " + acc + ": 2 x 64 differs from 1 x 128 by " + diff);
            assertEquals(ref.steps(), r0.steps(), "same number of optimizer steps");
            // the comparison can fail: the two accumulation settings end far apart
            assertTrue(Equivalence.maxAbsDiff(reference1.params(), reference2.params()) > 100 * TOLERANCE);
        }
        // Communication per micro-batch. The reducer's one-time bucket rebuild (2 broadcasts of the new bucket
        // layout) runs in the first forward after the first synchronized backward; from then on a noSync()
        // micro-batch communicates nothing and each optimizer step all-reduces every bucket exactly once.
        Equivalence.Result acc2 = Equivalence.read(dir.resolve("rank0-acc2.bin"));
        assertEquals(17, acc2.microBatches(), "2112 samples / 2 ranks / 64 = 16.5 -> 17 micro-batches per rank");
        long buckets = acc2.collectives()[acc2.microBatches() - 1];
        System.out.println("acc 2, collectives per micro-batch: " + Arrays.toString(acc2.collectives()) + " -> " + buckets + " buckets");
        assertTrue(buckets >= 1);
        for (int i = 3; i < acc2.microBatches(); i++) {
            assertEquals(acc2.synced()[i] ? buckets : 0, acc2.collectives()[i], "micro-batch " + i + " (synced: " + acc2.synced()[i] + ")");
            assertEquals(i % 2 == 1 || i == acc2.microBatches() - 1, acc2.synced()[i]);
        }
        Equivalence.Result acc1 = Equivalence.read(dir.resolve("rank0-acc1.bin"));
        for (int i = 2; i < acc1.microBatches(); i++) assertEquals(buckets, acc1.collectives()[i], "without accumulation: one round per step");
    }

    @Test
    void twoProcessesOfBatch64MatchOneProcessOfBatch128(@TempDir Path dir) throws Exception {
        assertEquals(17, reference1.steps(), "ceil(2112 / 128) steps");
        Map<String, float[]> init = new LinkedHashMap<>();
        dev.wick.tensor.Engine.manualSeed(100);
        new dev.wick.nn.models.Mlp().namedParameters().forEach((k, v) -> init.put(k, v.toFloatArray()));
        double moved = Equivalence.maxAbsDiff(init, reference1.params());
        System.out.printf("training moved the weights by up to %.3g%n", moved);
        assertTrue(moved > 100 * TOLERANCE, "the epoch moves the weights far more than the tolerance");
        assertEquals(9, reference2.steps(), "17 micro-batches, 2 per step, the last alone");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Launcher.Options o = Launcher.Options.local(2).withMaster("127.0.0.1", InProcess.freePort()).withKillGrace(Duration.ofSeconds(2));
        int rc = Launcher.launch(o, Spawn.javaCommand(DdpWorker.class, dir.toString()), out, out);
        String log = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(log);
        assertEquals(0, rc, log);
        assertTrue(log.contains("[rank 0] joined: rank 0 of 2, gloo on 127.0.0.1"), log);
        assertTrue(log.contains("[rank 1] joined: rank 1 of 2, gloo on 127.0.0.1"), log);
        assertMatchesReference(dir);
    }

    /**
     * Two "machines": two network namespaces joined by a veth pair, one node of the job in each (a launcher
     * per node with --nnodes 2), rendezvous and Gloo over the veth addresses. Needs root and iproute2; skipped
     * (with the reason) only where a namespace cannot be created.
     */
    @Test
    void twoMachinesInNetworkNamespacesMatchOneProcess(@TempDir Path dir) throws Exception {
        NetnsPair net = NetnsPair.create();
        try {
            int port = 29500;
            List<Process> nodes = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", net.namespace(node)));
                cmd.addAll(Spawn.javaCommand(Launcher.class, "--nproc-per-node", "1", "--nnodes", "2", "--node-rank", String.valueOf(node),
                        "--master-addr", net.address(0), "--master-port", String.valueOf(port), "--"));
                cmd.addAll(Spawn.javaCommand(DdpWorker.class, dir.toString()));
                nodes.add(Spawn.start(cmd, Map.of(), dir.resolve("node" + node + ".log")));
            }
            for (int node = 0; node < 2; node++) {
                Process p = nodes.get(node);
                boolean done = p.waitFor(150, TimeUnit.SECONDS);
                if (!done) nodes.forEach(Process::destroyForcibly);
                String log = Spawn.read(dir.resolve("node" + node + ".log"));
                System.out.println("node " + node + ":\n" + log);
                assertTrue(done, "node " + node + " did not finish: " + log);
                assertEquals(0, p.exitValue(), log);
                assertTrue(log.contains("[rank " + node + "] joined: rank " + node + " of 2, gloo on " + net.address(node)), log);
            }
        } finally {
            net.close();
        }
        assertMatchesReference(dir);
    }
}
