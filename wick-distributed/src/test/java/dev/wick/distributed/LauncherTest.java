package dev.wick.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher's command line, environment, output prefixes and failure handling, with small shell commands as ranks. */
@Timeout(60)
class LauncherTest {

    static String parseError(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Launcher.parse(args)).getMessage();
    }

    @Test
    void parsesTorchrunStyleArguments() {
        Launcher.Invocation inv = Launcher.parse(new String[]{"--nproc-per-node", "4", "--nnodes=2", "--node_rank", "1",
                "--master-addr", "10.0.0.1", "--master_port=1234", "--", "train", "--config", "run.yaml"});
        assertEquals(new Launcher.Options(4, 2, 1, "10.0.0.1", 1234, Duration.ofSeconds(5)), inv.options());
        assertEquals(List.of("train", "--config", "run.yaml"), inv.command());
        Launcher.Invocation local = Launcher.parse(new String[]{"--nproc-per-node", "2", "--", "x"});
        assertEquals("127.0.0.1", local.options().masterAddr());
        assertEquals(29500, local.options().masterPort());
        assertEquals(2, local.options().worldSize());
    }

    @Test
    void badArgumentsNameTheOptionAndTheRule() {
        assertEquals("--nproc-per-node is required", parseError("--", "x"));
        assertEquals("Invalid --nproc-per-node: 0 (must be >= 1)", parseError("--nproc-per-node", "0", "--", "x"));
        assertEquals("Invalid --nproc-per-node: 'two' (must be an integer)", parseError("--nproc-per-node", "two", "--", "x"));
        assertEquals("Invalid --node-rank: 2 (must be in [0, 1] for --nnodes 2)",
                parseError("--nproc-per-node", "1", "--nnodes", "2", "--node-rank", "2", "--master-addr", "h", "--", "x"));
        assertEquals("--master-addr is required with --nnodes 2 (the address of node 0)", parseError("--nproc-per-node", "1", "--nnodes", "2", "--", "x"));
        assertEquals("Invalid --master-port: 70000 (must be in 1..65535)", parseError("--nproc-per-node", "1", "--master-port", "70000", "--", "x"));
        assertEquals("Unknown option: --max-restarts", parseError("--nproc-per-node", "1", "--max-restarts", "3", "--", "x"));
        assertEquals("Unexpected argument 'train': put the command after '--'", parseError("--nproc-per-node", "1", "train"));
        assertEquals("No command to launch: put it after '--'", parseError("--nproc-per-node", "1", "--"));
        assertEquals("Option --nnodes needs a value", parseError("--nproc-per-node", "1", "--nnodes"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Launcher.run(new String[]{"--", "x"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("launch: --nproc-per-node is required\nusage: launch --nproc-per-node N"), err.toString());
    }

    record Run(int rc, String out, String err, long millis) {}

    static Run launch(Launcher.Options o, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int rc = Launcher.launch(o, List.of("sh", "-c", script), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void everyRankGetsItsEnvironmentAndItsOutputIsPrefixed() {
        Run r = launch(Launcher.Options.local(2).withNodes(2, 1).withMaster("10.1.2.3", 4321),
                "echo \"rank=$RANK world=$WORLD_SIZE local=$LOCAL_RANK node=$GROUP_RANK master=$MASTER_ADDR:$MASTER_PORT\"; echo oops-$RANK >&2");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("[rank 2] rank=2 world=4 local=0 node=1 master=10.1.2.3:4321\n"), r.out());
        assertTrue(r.out().contains("[rank 3] rank=3 world=4 local=1 node=1 master=10.1.2.3:4321\n"), r.out());
        assertTrue(r.err().contains("[rank 2] oops-2\n") && r.err().contains("[rank 3] oops-3\n"), r.err());
    }

    @Test
    void theFirstFailureStopsTheOthersAndIsReported() {
        Run r = launch(Launcher.Options.local(3).withKillGrace(Duration.ofSeconds(1)),
                "if [ \"$RANK\" = 1 ]; then sleep 0.3; echo \"boom on rank $RANK\" >&2; exit 3; fi; exec sleep 60");
        assertEquals(3, r.rc(), r.err());
        assertTrue(r.millis() < 15_000, "the sleeping ranks were stopped: " + r.millis() + " ms");
        assertTrue(r.err().contains("[rank 1] boom on rank 1\n"), r.err());
        assertTrue(r.err().contains("[launcher] rank 1 failed with exit code 3; stopped ranks [0, 2]"), r.err());
        assertTrue(r.err().contains("[launcher]   boom on rank 1"), r.err());
    }

    @Test
    void ranksThatIgnoreSigtermAreKilled() {
        Run r = launch(Launcher.Options.local(2).withKillGrace(Duration.ofMillis(500)),
                "trap '' TERM; if [ \"$RANK\" = 0 ]; then sleep 0.3; exit 7; fi; sleep 60");
        assertEquals(7, r.rc(), r.err());
        assertTrue(r.millis() < 15_000, r.millis() + " ms");
    }

    @Test
    void aCommandThatCannotStartIsReported() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Launcher.launch(Launcher.Options.local(2), List.of("/nonexistent/wick-train"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(127, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[launcher] cannot start rank 0 (/nonexistent/wick-train)"), err.toString());
    }
}
