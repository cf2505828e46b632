package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Rendezvous settings: the environment torchrun / the launcher sets, and every rule with its message. */
class RendezvousTest {

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static String error(Map<String, String> env) {
        return assertThrows(IllegalArgumentException.class, () -> Rendezvous.fromEnv(env)).getMessage();
    }

    @Test
    void readsTorchrunsVariables() {
        Rendezvous r = Rendezvous.fromEnv(env("RANK", "3", "WORLD_SIZE", "4", "LOCAL_RANK", "1", "MASTER_ADDR", "10.0.0.1",
                "MASTER_PORT", "29501", "GLOO_SOCKET_IFNAME", "eth1"));
        assertEquals(3, r.rank());
        assertEquals(4, r.worldSize());
        assertEquals(1, r.localRank());
        assertEquals("10.0.0.1:29501", r.storeDescription());
        assertEquals("eth1", r.glooInterface());
        assertEquals(Rendezvous.DEFAULT_TIMEOUT, r.timeout());
        assertEquals(Duration.ofMinutes(30), r.rendezvousTimeout());
        assertEquals(0, Rendezvous.fromEnv(env("RANK", "0", "WORLD_SIZE", "1", "MASTER_ADDR", "h", "MASTER_PORT", "1")).localRank());
        assertTrue(Rendezvous.launchedByLauncher(env("RANK", "0", "WORLD_SIZE", "1")));
        assertFalse(Rendezvous.launchedByLauncher(env("RANK", "0")));
    }

    @Test
    void badEnvironmentsNameTheVariable() {
        assertTrue(error(env("WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")).startsWith("Environment variable RANK is not set"));
        assertEquals("Invalid WORLD_SIZE: 'two' (must be an integer)", error(env("RANK", "0", "WORLD_SIZE", "two")));
        assertEquals("Invalid RANK: 2 (must be in [0, 1] for WORLD_SIZE 2)",
                error(env("RANK", "2", "WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertEquals("Invalid WORLD_SIZE: 0 (must be >= 1)", error(env("RANK", "0", "WORLD_SIZE", "0", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertEquals("Invalid MASTER_PORT: 0 (must be in 1..65535)", error(env("RANK", "0", "WORLD_SIZE", "1", "MASTER_ADDR", "h", "MASTER_PORT", "0")));
        assertEquals("Invalid MASTER_ADDR: ' ' (must be a host name or address)",
                assertThrows(IllegalArgumentException.class, () -> Rendezvous.tcp(0, 1, " ", 1)).getMessage());
        assertEquals("Invalid LOCAL_RANK: -1 (must be >= 0)",
                error(env("RANK", "0", "WORLD_SIZE", "1", "LOCAL_RANK", "-1", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
    }

    @Test
    void withersKeepTheRules() {
        Rendezvous r = Rendezvous.tcp(0, 2, "127.0.0.1", 29500).withTimeout(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(10), r.timeout());
        assertEquals(Duration.ofSeconds(10), r.rendezvousTimeout(), "follows the timeout unless set apart");
        Rendezvous apart = r.withRendezvousTimeout(Duration.ofSeconds(3)).withTimeout(Duration.ofSeconds(20));
        assertEquals(Duration.ofSeconds(3), apart.rendezvousTimeout());
        assertEquals("Invalid timeout: PT0S (must be > 0)", assertThrows(IllegalArgumentException.class, () -> r.withTimeout(Duration.ZERO)).getMessage());
        assertEquals("eth0", r.withGlooHost("10.0.0.2").withGlooInterface("eth0").glooInterface());
        assertNull(r.withGlooHost("10.0.0.2").withGlooInterface("eth0").glooHost(), "the last choice wins");
        assertEquals("glooInterface ('eth0') and glooHost ('h') are mutually exclusive", assertThrows(IllegalArgumentException.class,
                () -> new Rendezvous(0, 1, 0, "h", 1, null, Duration.ofSeconds(1), Duration.ofSeconds(1), "eth0", "h")).getMessage());
        Rendezvous f = Rendezvous.file(1, 2, Path.of("/tmp/x.store"));
        assertTrue(f.usesFileStore());
        assertEquals("file /tmp/x.store", f.storeDescription());
    }

    @Test
    void withoutAGroupTheAnswersAreThoseOfAWorldOfOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("RANK") == null, "a launcher's RANK is set in this environment");
        assertFalse(Distributed.isInitialized());
        assertEquals(0, Distributed.rank());
        assertEquals(1, Distributed.worldSize());
        assertTrue(Distributed.isMain());
        Distributed.barrier();
        Map<String, Double> m = Map.of("loss", 0.5);
        assertEquals(m, Distributed.reduceMetrics(m));
        RuntimeException e = new RuntimeException("x");
        assertEquals(e, Distributed.explain(e));
        assertEquals("No default process group: call Distributed.init() first (or pass a ProcessGroup explicitly)",
                assertThrows(IllegalStateException.class, Distributed::group).getMessage());
    }

    @Test
    void theDefaultGroupLivesUntilDestroyed() {
        int port = InProcess.freePort();
        ProcessGroup g = Distributed.init(Rendezvous.tcp(0, 1, "127.0.0.1", port).withTimeout(Duration.ofSeconds(10)));
        try {
            assertTrue(Distributed.isInitialized());
            assertEquals(g, Distributed.group());
            assertEquals(0.5, Distributed.reduceMetrics(Map.of("loss", 0.5)).get("loss"));
            assertTrue(assertThrows(IllegalStateException.class, () -> Distributed.init(Rendezvous.tcp(0, 1, "127.0.0.1", port)))
                    .getMessage().startsWith("The default process group is already initialized"));
        } finally {
            Distributed.destroy();
        }
        assertFalse(Distributed.isInitialized());
        assertTrue(g.isClosed());
    }
}
