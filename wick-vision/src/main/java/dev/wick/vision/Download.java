package dev.wick.vision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Fetches a data file from a list of mirrors into a folder, checking its MD5 checksum, as
 * torchvision's {@code download_url} with {@code md5}.
 *
 * <pre>{@code
 * Path f = Download.fetch(Download.Resource.of("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
 *                         FashionMNIST.MIRRORS, Path.of("data/fashion-mnist"));
 * }</pre>
 *
 * <ul>
 *   <li>A file already in the folder whose checksum is one of the accepted ones is kept, and nothing is
 *       downloaded.</li>
 *   <li>Otherwise the mirrors are tried in order ({@code mirror + fileName}); the first download whose
 *       checksum is accepted wins. A file with a wrong checksum never replaces anything.</li>
 *   <li>The bytes go to a temporary file in the same folder, which is renamed over the target only once
 *       complete and verified, so a crash or a bad mirror never leaves a half-written file.</li>
 *   <li>When every mirror fails, an {@link IOException} lists each mirror and why it failed.</li>
 * </ul>
 */
public final class Download {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private Download() {}

    /** One client for every download, made on first use (it owns a selector thread). */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * A file to fetch and the MD5 checksums (lower-case hex) it may have. More than one is accepted when
     * equally valid copies differ in their bytes (see {@link FashionMNIST#RESOURCES}).
     */
    public record Resource(String fileName, Set<String> md5) {
        public Resource {
            if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.contains("\\"))
                throw new IllegalArgumentException("Invalid file name: '" + fileName + "' (must be a plain, non-empty name)");
            if (md5 == null || md5.isEmpty()) throw new IllegalArgumentException("Resource " + fileName + " needs at least one MD5 checksum");
            for (String m : md5)
                if (m == null || !m.matches("[0-9a-f]{32}"))
                    throw new IllegalArgumentException("Invalid MD5 checksum for " + fileName + ": '" + m + "' (must be 32 lower-case hex digits)");
            md5 = Set.copyOf(md5);
        }

        /** A resource with one or more accepted checksums. */
        public static Resource of(String fileName, String... md5) { return new Resource(fileName, Set.of(md5)); }
    }

    /**
     * Makes sure {@code dir/resource.fileName()} exists with an accepted checksum, downloading it from the
     * first mirror that serves a valid copy. Returns the file's path.
     */
    public static Path fetch(Resource resource, List<URI> mirrors, Path dir) throws IOException {
        if (mirrors.isEmpty()) throw new IllegalArgumentException("No mirror to download " + resource.fileName() + " from");
        Files.createDirectories(dir);
        Path target = dir.resolve(resource.fileName());
        if (Files.isRegularFile(target) && resource.md5().contains(md5(target))) return target;

        HttpClient client = Http.CLIENT;
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI url = resolve(mirror, resource.fileName());
            Path tmp = Files.createTempFile(dir, "." + resource.fileName() + ".", ".part");
            try {
                String got = downloadTo(client, url, tmp);
                if (!resource.md5().contains(got)) {
                    failures.add(url + ": checksum mismatch: expected MD5 " + String.join(" or ", resource.md5()) + ", got " + got);
                    continue;
                }
                moveAtomically(tmp, target);
                return target;
            } catch (IOException e) {
                failures.add(url + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while downloading " + url, e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("Could not download " + resource.fileName() + " from any mirror:\n  " + String.join("\n  ", failures));
    }

    /** The MD5 checksum of a file, as 32 lower-case hex digits. */
    public static String md5(Path file) throws IOException {
        MessageDigest md = newMd5();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String downloadTo(HttpClient client, URI url, Path tmp) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = newMd5();
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200) throw new IOException("HTTP " + resp.statusCode());
            try (InputStream in = new DigestInputStream(body, md); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static URI resolve(URI mirror, String fileName) {
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base + fileName : base + "/" + fileName);
    }

    private static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no MD5 digest", e);
        }
    }
}
