package dev.wick.checkpoint;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The child process of {@link AtomicFilesTest}: saves checkpoints to one path in a loop, printing
 * {@code saved <epoch>} after each save returns, until it is killed. Uses no tensors, so the child
 * starts without loading libtorch.
 */
public final class CrashWriter {
    private CrashWriter() { }

    static final int PAYLOAD_BYTES = 1 << 20;

    /** The checkpoint of {@code epoch}: its payload is derived from the epoch, so a reader can verify it. */
    static Map<String, Object> checkpoint(long epoch) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(epoch).nextBytes(payload);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("epoch", epoch);
        v.put("payload", payload);
        v.put("tail", "end-" + epoch);
        return v;
    }

    /**
     * args: target path, first epoch, and {@code atomic} (TorchFiles.save) or {@code direct}: the
     * control, a naive writer that overwrites the target in place (in 16 slices, pausing between
     * them so that a kill can land inside a write).
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        boolean direct = args[2].equals("direct");
        Path scratch = Path.of(args[0] + ".scratch");
        for (long epoch = Long.parseLong(args[1]); ; epoch++) {
            if (direct) {
                TorchFiles.save(checkpoint(epoch), scratch);
                byte[] bytes = Files.readAllBytes(scratch);
                try (OutputStream out = Files.newOutputStream(target)) {
                    int slice = bytes.length / 16 + 1;
                    for (int off = 0; off < bytes.length; off += slice) {
                        out.write(bytes, off, Math.min(slice, bytes.length - off));
                        out.flush();
                        Thread.sleep(2);
                    }
                }
            } else if (epoch % 2 == 0) {
                TorchFiles.save(checkpoint(epoch), target);            // the real path, as a trainer saves
            } else {
                // the same bytes through AtomicFiles in 16 slices with pauses, so that a random kill often
                // lands while the temporary file is open (a quiet machine writes 1 MB in a millisecond)
                Path outside = Path.of(System.getProperty("java.io.tmpdir"), "wick-crashwriter-" + ProcessHandle.current().pid() + ".pt");
                TorchFiles.save(checkpoint(epoch), outside);          // outside the watched folder
                byte[] bytes = Files.readAllBytes(outside);
                Files.deleteIfExists(outside);
                AtomicFiles.write(target, out -> {
                    int slice = bytes.length / 16 + 1;
                    for (int off = 0; off < bytes.length; off += slice) {
                        out.write(bytes, off, Math.min(slice, bytes.length - off));
                        out.flush();
                        try { Thread.sleep(2); } catch (InterruptedException e) { throw new java.io.InterruptedIOException(); }
                    }
                });
            }
            System.out.println("saved " + epoch);
            System.out.flush();
        }
    }
}
