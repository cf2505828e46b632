package dev.wick.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * partial file, even if the process is killed or the machine loses power mid-write.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("runs/last.pt"), out -> out.write(bytes));
 * }</pre>
 *
 * <p>The steps: write to a temporary file in the target's folder (so the rename stays on one file
 * system), flush, {@code fsync} the file ({@link FileChannel#force}), rename it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} (falling back to {@link StandardCopyOption#REPLACE_EXISTING}
 * where the file system has no atomic rename), then {@code fsync} the folder so the rename itself is
 * durable (skipped where the platform cannot open a folder, e.g. Windows).
 *
 * <p>A process killed mid-write leaves its temporary file behind, named
 * {@code .<target name>.<random>.tmp}; it never appears under the target's name.
 */
public final class AtomicFiles {
    private AtomicFiles() { }

    /**
     * Writes the content of a file to a stream; may throw {@link IOException}.
     *
     * <pre>{@code
     * AtomicFiles.IOConsumer<OutputStream> body = out -> out.write("3\n".getBytes(StandardCharsets.US_ASCII));
     * AtomicFiles.write(Path.of("epoch.txt"), body);
     * }</pre>
     */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code body} writes. The stream is
     * buffered; {@code body} must not close it. On any failure the target is left untouched and the
     * temporary file is deleted.
     */
    public static void write(Path target, IOConsumer<? super OutputStream> body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IllegalArgumentException("Cannot write to '" + target + "': it has no parent folder");
        if (Files.isDirectory(abs)) throw new IOException("Cannot write to '" + target + "': it is a folder");
        Files.createDirectories(dir);
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve(tempName(abs.getFileName().toString()));
            try {
                // CREATE_NEW with default permissions (Files.createTempFile would make the final file 0600).
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) throw e;
            }
        }
        boolean moved = false;
        FileChannel channel = ch;
        try {
            try (channel) {
                OutputStream raw = Channels.newOutputStream(channel);
                OutputStream out = new BufferedOutputStream(new NonClosing(raw), 1 << 16);
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncFolder(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    private static String tempName(String name) {
        String base = name.length() > 100 ? name.substring(0, 100) : name;
        return "." + base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp";
    }

    private static void syncFolder(Path dir) {
        // NOTE [folder fsync]: POSIX makes a rename durable only once the folder's entry is synced.
        // Java can open a folder read-only on Linux and macOS; Windows refuses, and there NTFS's
        // journal covers the rename, so a failure here is not an error.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform
        }
    }

    /** Keeps {@code body} from closing the channel before it has been forced. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) { this.out = out; }

        @Override public void write(int b) throws IOException { out.write(b); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void flush() throws IOException { out.flush(); }
        @Override public void close() throws IOException { flush(); }
    }
}
