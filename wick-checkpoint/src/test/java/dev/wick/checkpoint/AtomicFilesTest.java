package dev.wick.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[]{1, 2, 3});
        AtomicFiles.write(f, out -> out.write(new byte[]{4, 5}));
        assertArrayEquals(new byte[]{4, 5}, Files.readAllBytes(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void aFailingWriterLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[]{1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void newFilesGetDefaultPermissionsNotTemporaryFileOnes() throws IOException {
        Path f = dir.resolve("perm.bin");
        AtomicFiles.write(f, new byte[]{1});
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[]{1});
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
            assertEquals(expected, Files.getPosixFilePermissions(f));
        }
    }

    @Test
    void refusesFolders() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("sub"), new byte[]{1}));
    }

    /** Runs the CrashWriter child in {@code mode} from {@code firstEpoch}, kills it at a random moment after its first save. */
    private long runAndKill(Path target, String mode, long firstEpoch, Random random) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), target.toString(), Long.toString(firstEpoch), mode)
                .redirectErrorStream(true).start();
        AtomicLong lastSaved = new AtomicLong(-1);
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("saved ")) lastSaved.set(Long.parseLong(line.substring(6)));
                    else synchronized (output) { output.append(line).append('\n'); }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lastSaved.get() < firstEpoch && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
        assertTrue(p.isAlive(), () -> "writer died on its own:\n" + output);
        Thread.sleep(random.nextInt(100));
        p.destroyForcibly();   // SIGKILL: no shutdown hooks, no finally blocks
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        return lastSaved.get();
    }

    /**
     * A separate JVM saves checkpoints to one path in a loop and is killed with SIGKILL at a random
     * moment, 20 times. After every kill the file under the final name must load completely, hold an
     * epoch at least as new as the last save the child reported finished, and carry that epoch's
     * payload; besides it only temporary files ({@code .ckpt.pt.*.tmp}) may exist, and some must
     * (kills landed inside writes).
     */
    @Test
    void killedWritersNeverLeaveAPartialCheckpoint() throws Exception {
        Path target = dir.resolve("ckpt.pt");
        Random random = new Random(11);
        long nextEpoch = 0;
        // at least 20 kills, and more (up to 120) until one has landed inside a write: on a fast, quiet
        // machine a write is short and a random kill can miss it 20 times
        for (int round = 0; round < 20 || (round < 120 && temporaries() == 0); round++) {
            long reported = runAndKill(target, "atomic", nextEpoch, random);
            Map<?, ?> v = (Map<?, ?>) TorchFiles.load(target);
            long epoch = (Long) v.get("epoch");
            assertTrue(epoch >= reported, "round " + round + ": file holds epoch " + epoch + " but the writer had finished " + reported);
            assertArrayEquals((byte[]) CrashWriter.checkpoint(epoch).get("payload"), (byte[]) v.get("payload"), "payload of epoch " + epoch);
            assertEquals("end-" + epoch, v.get("tail"));
            nextEpoch = epoch + 1;
        }
        long temporaries = 0;
        for (Path q : listing()) {
            String name = q.getFileName().toString();
            assertTrue(q.equals(target) || (name.startsWith(".ckpt.pt.") && name.endsWith(".tmp")), "unexpected file " + name);
            if (!q.equals(target)) temporaries++;
        }
        assertTrue(temporaries > 0, "no kill landed inside a write; the test did not exercise the dangerous window");
    }

    private long temporaries() throws IOException {
        long n = 0;
        for (Path q : listing()) if (q.getFileName().toString().endsWith(".tmp")) n++;
        return n;
    }

    /** The control: the same kills against a writer that overwrites in place do leave broken files. */
    @Test
    void theKillTestCatchesANaiveWriter() throws Exception {
        Path target = dir.resolve("naive.pt");
        Random random = new Random(3);
        long nextEpoch = 0;
        for (int round = 0; round < 120; round++) {
            runAndKill(target, "direct", nextEpoch, random);
            try {
                Map<?, ?> v = (Map<?, ?>) TorchFiles.load(target);
                nextEpoch = (Long) v.get("epoch") + 1;
            } catch (CheckpointFormatException expected) {
                return;   // a partial file under the final name, as the atomic writer must never leave
            }
        }
        throw new AssertionError("120 kills of a naive writer never left a partial file; the kill test would prove nothing");
    }
}
