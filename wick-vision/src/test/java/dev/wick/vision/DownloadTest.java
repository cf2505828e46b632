package dev.wick.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.wick.tensor.Scope;

/**
 * download(true) against a local HTTP server on loopback that serves the bundled files under
 * {@code /good/}, a copy with one flipped byte under {@code /bad/}, and nothing under {@code /empty/}.
 */
class DownloadTest {
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz", TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static HttpServer server;
    static URI good, bad, empty;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        for (String f : List.of(TEST_IMAGES, TEST_LABELS)) {
            try (InputStream in = FashionMNIST.class.getResourceAsStream(FashionMNIST.BUNDLED_FOLDER + f)) {
                files.put(f, in.readAllBytes());
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();             // /<kind>/<file>
            hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            String[] parts = path.split("/");
            byte[] body = parts.length == 3 ? files.get(parts[2]) : null;
            if (body != null && parts[1].equals("bad")) {
                body = body.clone();
                body[body.length / 2] ^= 0x55;
            }
            if (body == null || parts[1].equals("empty")) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) { out.write(body); }
            }
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        good = URI.create(base + "/good/");
        bad = URI.create(base + "/bad/");
        empty = URI.create(base + "/empty");   // no trailing slash: one is added
    }

    @AfterAll
    static void stop() { server.stop(0); }

    @BeforeEach
    void resetCounts() { hits.clear(); }

    private static int hitsOf(URI mirror, String file) {
        String base = mirror.getPath().endsWith("/") ? mirror.getPath() : mirror.getPath() + "/";
        AtomicInteger n = hits.get(base + file);
        return n == null ? 0 : n.get();
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    @Test
    void downloadsVerifiesAndLoadsThenSkipsWhenPresent(@TempDir Path dir) throws IOException {
        FashionMNIST ds = FashionMNIST.builder().train(false).root(dir).download(true).mirrors(List.of(good)).build();
        assertEquals(10000, ds.size());
        assertEquals(1, hitsOf(good, TEST_IMAGES));
        assertEquals(1, hitsOf(good, TEST_LABELS));
        assertEquals("f78720b4224f21cce2f2ccf2d7a94c9a", Download.md5(dir.resolve(TEST_IMAGES)));
        assertEquals(List.of(), leftovers(dir));
        try (Scope s = Scope.open()) {
            assertTrue(ds.images().equal(FashionMNIST.builder().train(false).build().images()));
        }
        // present and valid: nothing is fetched again
        FashionMNIST.builder().train(false).root(dir).download(true).mirrors(List.of(good)).build();
        assertEquals(1, hitsOf(good, TEST_IMAGES));
        assertEquals(1, hitsOf(good, TEST_LABELS));
    }

    @Test
    void aCorruptedDownloadFailsTheChecksumAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> FashionMNIST.builder().train(false).root(dir).download(true).mirrors(List.of(bad)).build());
        String m = e.getMessage();
        assertTrue(m.startsWith("FashionMNIST test: Could not download t10k-images-idx3-ubyte.gz from any mirror:"), m);
        assertTrue(m.contains(bad + TEST_IMAGES + ": checksum mismatch: expected MD5 "), m);
        assertTrue(m.contains("bef4ecab320f06d8554ea6380940ec79") && m.contains("f78720b4224f21cce2f2ccf2d7a94c9a"), "both accepted checksums are named: " + m);
        assertFalse(Files.exists(dir.resolve(TEST_IMAGES)), "a file failing its checksum is not kept");
        assertEquals(List.of(), leftovers(dir));
    }

    @Test
    void mirrorsAreTriedInOrderUntilOneServesAValidFile(@TempDir Path dir) throws IOException {
        Path f = Download.fetch(FashionMNIST.RESOURCES.get(3), List.of(empty, bad, good), dir);
        assertEquals(dir.resolve(TEST_LABELS), f);
        assertEquals(1, hitsOf(empty, TEST_LABELS));
        assertEquals(1, hitsOf(bad, TEST_LABELS));
        assertEquals(1, hitsOf(good, TEST_LABELS));
        assertEquals("0d30e22e447f3c33dab9ed536400ac01", Download.md5(f));
    }

    @Test
    void everyFailedMirrorIsReported(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Download.fetch(FashionMNIST.RESOURCES.get(3), List.of(empty, bad), dir));
        String m = e.getMessage();
        assertTrue(m.contains(empty + "/" + TEST_LABELS + ": HTTP 404"), m);
        assertTrue(m.contains(bad + TEST_LABELS + ": checksum mismatch"), m);
    }

    @Test
    void anInvalidFileInTheFolderIsReplaced(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(TEST_LABELS), new byte[]{1, 2, 3});
        Download.fetch(FashionMNIST.RESOURCES.get(3), List.of(good), dir);
        assertEquals(1, hitsOf(good, TEST_LABELS));
        assertEquals("0d30e22e447f3c33dab9ed536400ac01", Download.md5(dir.resolve(TEST_LABELS)));
    }

    @Test
    void aCorruptDownloadNeverReplacesAnExistingFile(@TempDir Path dir) throws IOException {
        byte[] old = {1, 2, 3};
        Files.write(dir.resolve(TEST_LABELS), old);
        assertThrows(IOException.class, () -> Download.fetch(FashionMNIST.RESOURCES.get(3), List.of(bad), dir));
        assertTrue(java.util.Arrays.equals(old, Files.readAllBytes(dir.resolve(TEST_LABELS))));
    }

    @Test
    void decompressedFilesInTheFolderAreUsedWithoutDownloading(@TempDir Path dir) throws IOException {
        try (Scope s = Scope.open()) {
            FashionMNIST bundled = FashionMNIST.builder().train(false).build();
            Idx.write(bundled.images().narrow(0, 0, 3), dir.resolve("t10k-images-idx3-ubyte"));
            Idx.write(bundled.labels().narrow(0, 0, 3).to(dev.wick.tensor.DType.UINT8), dir.resolve("t10k-labels-idx1-ubyte"));
        }
        FashionMNIST ds = FashionMNIST.builder().train(false).root(dir).download(true).mirrors(List.of(empty)).build();
        assertEquals(3, ds.size());
        assertEquals(0, hitsOf(empty, TEST_IMAGES) + hitsOf(empty, TEST_LABELS));
    }

    @Test
    void resourcesAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Download.Resource.of("a.gz", "XYZ"));
        assertEquals("Invalid MD5 checksum for a.gz: 'XYZ' (must be 32 lower-case hex digits)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Download.Resource.of("../a.gz", "0d30e22e447f3c33dab9ed536400ac01"));
        assertEquals("Invalid file name: '../a.gz' (must be a plain, non-empty name)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Download.Resource.of("a.gz"));
        assertEquals("Resource a.gz needs at least one MD5 checksum", e.getMessage());
    }

    @Test
    void theCanonicalMirrorsAndChecksumsAreTorchvisions() {
        assertEquals(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), FashionMNIST.MIRRORS.get(0));
        assertTrue(FashionMNIST.RESOURCES.get(0).md5().contains("8d4fb7e6c68d591d4c3dfef9ec88bf0d"));
        assertTrue(MNIST.RESOURCES.get(0).md5().contains("f68b3c2dcbeaaa9fbdd348bbdeb94873"));
    }
}
