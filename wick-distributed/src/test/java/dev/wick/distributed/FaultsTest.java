package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults end a job with a clear error instead of a hang: a rank killed or frozen mid-epoch (real worker
 * processes), a wrong world size, a missing rank, a taken rank, an unreachable or unknown master, a busy
 * port (ranks as threads of this JVM).
 */
@Timeout(120)
class FaultsTest {

    /** Starts two FaultWorker processes; returns them once rank 1 has done 5 steps. */
    private static List<Process> startTraining(Path dir, long timeoutMs) throws Exception {
        int port = InProcess.freePort();
        List<Process> ps = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            ps.add(Spawn.start(Spawn.javaCommand(FaultWorker.class, String.valueOf(timeoutMs)),
                    Map.of("RANK", String.valueOf(r), "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", String.valueOf(port)),
                    dir.resolve("rank" + r + ".log")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Spawn.read(dir.resolve("rank1.log")).contains("step 5")) {
            if (System.nanoTime() > deadline || !ps.get(0).isAlive() || !ps.get(1).isAlive()) {
                ps.forEach(Process::destroyForcibly);
                throw new AssertionError("the workers did not start training:\n" + Spawn.read(dir.resolve("rank0.log")) + "\n" + Spawn.read(dir.resolve("rank1.log")));
            }
            Thread.sleep(50);
        }
        return ps;
    }

    @Test
    void aRankKilledMidEpochMakesTheOthersExitWithAClearError(@TempDir Path dir) throws Exception {
        long timeoutMs = 10_000;
        List<Process> ps = startTraining(dir, timeoutMs);
        ps.get(1).destroyForcibly();                                   // SIGKILL mid-epoch
        long t0 = System.nanoTime();
        boolean exited = ps.get(0).waitFor(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ps.get(0).destroyForcibly();
        String log = Spawn.read(dir.resolve("rank0.log"));
        System.out.println("rank 0 exited " + ms + " ms after rank 1 was killed:\n" + log.lines().filter(l -> !l.startsWith("step")).toList());
        assertTrue(exited, "rank 0 is still running 30 s after its peer died");
        assertNotEquals(0, ps.get(0).exitValue(), log);
        assertTrue(ms < timeoutMs, "exited within the collective timeout (" + ms + " ms)");
        assertTrue(log.contains("FaultWorker: rank 0 of 2: "), log);
        assertTrue(log.contains("another rank has probably died"), log);
    }

    @Test
    void aFrozenRankMakesTheOthersFailAfterTheCollectiveTimeout(@TempDir Path dir) throws Exception {
        long timeoutMs = 3_000;
        List<Process> ps = startTraining(dir, timeoutMs);
        long pid = ps.get(1).pid();
        try {
            Process stop = new ProcessBuilder("sh", "-c", "kill -STOP " + pid).start();   // alive but silent (the shell's own kill)
            assertEquals(0, stop.waitFor());
            long t0 = System.nanoTime();
            boolean exited = ps.get(0).waitFor(30, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String log = Spawn.read(dir.resolve("rank0.log"));
            System.out.println("rank 0 exited " + ms + " ms after rank 1 froze:\n" + log.lines().filter(l -> !l.startsWith("step")).toList());
            assertTrue(exited, "rank 0 hangs on a frozen peer");
            assertNotEquals(0, ps.get(0).exitValue(), log);
            assertTrue(ms >= timeoutMs - 1000 && ms < timeoutMs + 10_000, "failed after about the 3 s timeout: " + ms + " ms");
            assertTrue(log.contains("rank 0 of 2: the gradient all-reduce in backward failed: timed out after 3 s"), log);
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }

    private static Duration rdzv(long seconds) { return Duration.ofSeconds(seconds); }

    @Test
    void aWrongWorldSizeFailsFastOnEveryRankNamingBothValues() {
        int port = InProcess.freePort();
        var outcomes = InProcess.runAll(2, rank -> Rendezvous.tcp(rank, rank == 0 ? 2 : 3, "127.0.0.1", port).withTimeout(rdzv(60)), g -> 0);
        for (var o : outcomes) {
            assertNotNull(o.error(), "rendezvous must fail");
            assertInstanceOf(DistributedException.class, o.error());
            assertTrue(o.millis() < 15_000, "fails fast, not after the 60 s timeout: " + o.millis() + " ms");
            assertTrue(o.error().getMessage().contains("WORLD_SIZE mismatch: this process has WORLD_SIZE=3 but rank 0 has WORLD_SIZE=2"),
                    o.error().getMessage());
        }
        assertTrue(outcomes.get(0).error().getMessage().startsWith("rank 0 of 2: rendezvous failed because rank 1 of 3"), outcomes.get(0).error().getMessage());
    }

    @Test
    void aMissingRankIsNamedWhenTheRendezvousTimesOut() {
        int port = InProcess.freePort();
        var outcomes = InProcess.runAll(2, rank -> Rendezvous.tcp(rank, 3, "127.0.0.1", port).withTimeout(rdzv(2)), g -> 0);
        for (var o : outcomes) {
            assertNotNull(o.error());
            String m = o.error().getMessage();
            assertTrue(m.contains("timed out after 2 s: 2 of WORLD_SIZE=3 ranks joined; missing ranks [2]"), m);
            assertTrue(o.millis() >= 1_900 && o.millis() < 10_000, o.millis() + " ms");
        }
    }

    @Test
    void aRankTakenTwiceFailsEveryone() {
        int port = InProcess.freePort();
        var outcomes = InProcess.runAll(3, i -> Rendezvous.tcp(Math.min(i, 1), 3, "127.0.0.1", port).withTimeout(rdzv(60)), g -> 0);
        long taken = outcomes.stream().filter(o -> o.error() != null && o.error().getMessage().contains("RANK 1 is already taken by")).count();
        assertEquals(3, taken, "every process is told why: " + outcomes);
        outcomes.forEach(o -> assertTrue(o.millis() < 15_000, o.millis() + " ms"));
    }

    @Test
    void anUnreachableMasterFailsAfterTheRendezvousTimeoutNamingIt() {
        int port = InProcess.freePort();                               // nobody listens there
        long t0 = System.nanoTime();
        DistributedException e = org.junit.jupiter.api.Assertions.assertThrows(DistributedException.class,
                () -> ProcessGroup.init(Rendezvous.tcp(1, 2, "127.0.0.1", port).withTimeout(rdzv(2))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().startsWith("rank 1 of 2: cannot reach the rendezvous master at 127.0.0.1:" + port
                + " (MASTER_ADDR:MASTER_PORT) within 2 s"), e.getMessage());
        assertTrue(ms < 10_000, ms + " ms");
    }

    @Test
    void anUnknownMasterHostFailsAtOnce() {
        long t0 = System.nanoTime();
        DistributedException e = org.junit.jupiter.api.Assertions.assertThrows(DistributedException.class,
                () -> ProcessGroup.init(Rendezvous.tcp(1, 2, "no-such-host.invalid", 29500).withTimeout(rdzv(30))));
        assertEquals("rank 1 of 2: cannot resolve MASTER_ADDR 'no-such-host.invalid' (unknown host)", e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    }

    @Test
    void aBadGlooInterfaceIsNamedAndTheStoreIsReleased() {
        int port = InProcess.freePort();
        DistributedException e = org.junit.jupiter.api.Assertions.assertThrows(DistributedException.class,
                () -> ProcessGroup.init(Rendezvous.tcp(0, 1, "127.0.0.1", port).withTimeout(rdzv(5)).withGlooInterface("nosuchif0")));
        assertTrue(e.getMessage().startsWith("rank 0 of 1: Gloo cannot use network interface 'nosuchif0' (GLOO_SOCKET_IFNAME)"), e.getMessage());
        // the failed attempt stopped its store server: the port can be served again
        try (ProcessGroup g = ProcessGroup.init(Rendezvous.tcp(0, 1, "127.0.0.1", port).withTimeout(rdzv(5)))) {
            assertEquals(2.0, g.allReduce(2.0, ReduceOp.SUM));
        }
    }

    @Test
    void aBusyMasterPortIsNamed() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            DistributedException e = org.junit.jupiter.api.Assertions.assertThrows(DistributedException.class,
                    () -> ProcessGroup.init(Rendezvous.tcp(0, 2, "127.0.0.1", busy.getLocalPort()).withTimeout(rdzv(5))));
            assertTrue(e.getMessage().contains("MASTER_PORT " + busy.getLocalPort() + " is already in use"), e.getMessage());
        }
    }
}
