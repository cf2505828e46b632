package dev.wick.vision;

import static dev.wick.testkit.Golden.longs;
import static dev.wick.testkit.Golden.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wick.data.Example;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;

/** The bundled Fashion-MNIST against what torchvision 0.14's reader decodes from the same files. */
class FashionMNISTTest {
    static Map<String, Object> golden;
    static FashionMNIST train, test;
    static long trainMillis;

    @BeforeAll
    static void load() {
        golden = Golden.load("/golden/fashion_mnist.json");
        Tensor.zeros(1);   // load libtorch first, so the timing below is the decoding alone
        long t0 = System.nanoTime();
        train = FashionMNIST.builder().train(true).build();
        trainMillis = (System.nanoTime() - t0) / 1_000_000;
        test = FashionMNIST.builder().train(false).build();
        System.out.println("decoded the bundled train split in " + trainMillis + " ms");
    }

    private static void checkSplit(FashionMNIST ds, Map<String, Object> g) {
        try (Scope s = Scope.open()) {
            int n = ((Number) g.get("n")).intValue();
            assertEquals(n, ds.size());
            assertArrayEquals(longs(g.get("shape")), ds.images().shape());
            assertEquals(DType.UINT8, ds.images().dtype());
            assertEquals(DType.INT64, ds.labels().dtype());
            long[] labels = ds.labels().toLongArray();
            assertArrayEquals(longs(g.get("first_labels")), java.util.Arrays.copyOf(labels, 20));
            assertEquals(((Number) g.get("last_label")).longValue(), labels[n - 1]);
            assertArrayEquals(longs(g.get("label_counts")), counts(labels, 10));
            assertEquals(((Number) g.get("pixel_sum")).longValue(), ds.images().to(DType.INT64).sum().itemLong());
            for (Map.Entry<String, Object> e : map(g.get("image_sums")).entrySet()) {
                int i = Integer.parseInt(e.getKey());
                assertEquals(((Number) e.getValue()).longValue(), ds.images().get(i).to(DType.INT64).sum().itemLong(), "sum of image " + i);
            }
            assertArrayEquals(longs(g.get("image0")), ds.images().get(0).flatten().toLongArray());
            Tensor x = ds.images().to(DType.FLOAT64).div(255.0);
            assertEquals(((Number) g.get("mean")).doubleValue(), x.mean().item(), 1e-9);
            assertEquals(((Number) g.get("std")).doubleValue(), x.std().item(), 1e-9);
        }
    }

    private static long[] counts(long[] labels, int k) {
        long[] c = new long[k];
        for (long l : labels) c[(int) l]++;
        return c;
    }

    @Test
    void bundledTrainSplitMatchesTorchvision() { checkSplit(train, map(golden.get("train"))); }

    @Test
    void bundledTestSplitMatchesTorchvision() { checkSplit(test, map(golden.get("test"))); }

    @Test
    void meanAndStdConstantsAreTheTrainingSetsRounded() {
        Map<String, Object> g = map(golden.get("train"));
        assertEquals(((Number) g.get("mean")).doubleValue(), FashionMNIST.MEAN, 5e-5);
        assertEquals(((Number) g.get("std")).doubleValue(), FashionMNIST.STD, 5e-5);
    }

    @Test
    void decodingTheTrainingSetIsFast() {
        // 26 MB of gzip to a 47 MB tensor: 0.45-0.55 s on the shared 2-core box (gunzip is 0.42-0.52 s of it)
        assertTrue(trainMillis < 3000, "decoding took " + trainMillis + " ms");
    }

    @Test
    void getReturnsAFloatImageInZeroOneAndTheLabel() {
        try (Scope s = Scope.open()) {
            Example<Tensor, Long> ex = train.get(0);
            assertEquals(9L, ex.target());
            Tensor x = ex.input();
            assertArrayEquals(new long[]{1, 28, 28}, x.shape());
            assertEquals(DType.FLOAT32, x.dtype());
            long[] raw = longs(map(golden.get("train")).get("image0"));
            float[] got = x.toFloatArray();
            for (int i = 0; i < raw.length; i++) assertEquals(raw[i] / 255f, got[i], 1e-7f, "pixel " + i);
            assertEquals(5L, test.get(test.size() - 1).target());
        }
    }

    @Test
    void getDoesNotLeaveIntermediatesInTheCallersScope() {
        try (Scope s = Scope.open()) {
            train.get(3);
            assertEquals(1, s.ownedCount(), "only the returned image is owned by the caller's scope");
        }
    }

    @Test
    void transformAndTargetTransformAreApplied() {
        FashionMNIST ds = FashionMNIST.builder().train(false)
                .transform(x -> x.sub(FashionMNIST.MEAN).div(FashionMNIST.STD))
                .targetTransform(y -> y + 100)
                .build();
        try (Scope s = Scope.open()) {
            Example<Tensor, Long> ex = ds.get(1);
            Example<Tensor, Long> plain = test.get(1);
            assertEquals(102L, ex.target());
            assertTrue(ex.input().allclose(plain.input().sub(0.2860).div(0.3530), 1e-6, 1e-6));
        }
    }

    @Test
    void indexOutOfRangeIsAnError() {
        assertThrows(IndexOutOfBoundsException.class, () -> test.get(10000));
        assertThrows(IndexOutOfBoundsException.class, () -> test.get(-1));
    }

    @Test
    void classesFollowTorchvision() {
        assertEquals(10, train.classes().size());
        assertEquals("Ankle boot", train.classes().get(9));
        assertEquals(0, train.classToIdx().get("T-shirt/top"));
        assertEquals("FashionMNIST", train.name());
        assertTrue(train.train());
        assertEquals("FashionMNIST(test, 10000 examples, images [10000, 28, 28])", test.toString());
    }

    private static void copyBundled(String file, Path to) throws IOException {
        try (InputStream in = FashionMNIST.class.getResourceAsStream(FashionMNIST.BUNDLED_FOLDER + file)) {
            Files.copy(in, to);
        }
    }

    @Test
    void rootFolderWithGzOrPlainFilesReadsTheSameData(@TempDir Path dir) throws IOException {
        copyBundled("t10k-images-idx3-ubyte.gz", dir.resolve("t10k-images-idx3-ubyte.gz"));
        try (Scope s = Scope.open()) {
            Idx.write(test.labels().to(DType.UINT8), dir.resolve("t10k-labels-idx1-ubyte"));   // a plain (gunzipped) file
        }
        FashionMNIST fromRoot = FashionMNIST.builder().train(false).root(dir).build();
        try (Scope s = Scope.open()) {
            assertTrue(fromRoot.images().equal(test.images()));
            assertTrue(fromRoot.labels().equal(test.labels()));
        }
    }

    @Test
    void debianFolderWorksWhenInstalled() {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(debian), "dataset-fashion-mnist not installed");
        FashionMNIST ds = FashionMNIST.builder().train(false).root(debian).build();
        try (Scope s = Scope.open()) {
            assertTrue(ds.images().equal(test.images()));
        }
    }

    @Test
    void missingFilesNameTheFolderAndTheWayOut(@TempDir Path dir) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FashionMNIST.builder().train(false).root(dir).build());
        assertTrue(e.getMessage().startsWith("FashionMNIST test: neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz is in " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("download(true)"), e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentLengthsAreRejected(@TempDir Path dir) throws IOException {
        try (Scope s = Scope.open()) {
            Idx.write(test.images().narrow(0, 0, 5), dir.resolve("t10k-images-idx3-ubyte"));
            Idx.write(test.labels().narrow(0, 0, 4).to(DType.UINT8), dir.resolve("t10k-labels-idx1-ubyte"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FashionMNIST.builder().train(false).root(dir).build());
        assertEquals("FashionMNIST test: 5 images but 4 labels", e.getMessage());
    }

    @Test
    void labelsOutsideTheClassesAreRejected(@TempDir Path dir) throws IOException {
        try (Scope s = Scope.open()) {
            Idx.write(test.images().narrow(0, 0, 3), dir.resolve("t10k-images-idx3-ubyte"));
            Idx.write(Tensor.of(new byte[]{1, 10, 2}), dir.resolve("t10k-labels-idx1-ubyte"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FashionMNIST.builder().train(false).root(dir).build());
        assertEquals("FashionMNIST test: label 10 of example 1 is outside 0..9", e.getMessage());
    }

    @Test
    void mnistReadsSmallIdxFilesFromItsRoot(@TempDir Path dir) throws IOException {
        try (Scope s = Scope.open()) {
            Idx.write(test.images().narrow(0, 0, 6), dir.resolve("train-images-idx3-ubyte.gz"));
            Idx.write(Tensor.of(new byte[]{0, 1, 2, 3, 4, 9}), dir.resolve("train-labels-idx1-ubyte"));
        }
        MNIST m = MNIST.builder().root(dir).build();
        assertEquals(6, m.size());
        assertEquals(9L, m.get(5).target());
        assertEquals("9 - nine", m.classes().get(9));
    }

    @Test
    void invalidOptionsFailAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMNIST.builder().download(true).build());
        assertEquals("download(true) needs root(...): the folder to download FashionMNIST into", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MNIST.builder().build());
        assertTrue(e.getMessage().startsWith("MNIST is not bundled: set root(...)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FashionMNIST.builder().mirrors(java.util.List.of()));
        assertTrue(e.getMessage().startsWith("Invalid mirrors: []"), e.getMessage());
    }

    @Test
    void imagesTensorOutlivesScopesAndIsShared() {
        try (Scope s = Scope.open()) {
            assertSame(train.images(), train.images());
        }
        assertTrue(train.images().isAlive());
    }
}
