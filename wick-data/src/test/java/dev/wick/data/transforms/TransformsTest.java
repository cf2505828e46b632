package dev.wick.data.transforms;

import static dev.wick.data.Json.list;
import static dev.wick.data.Json.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Predicate;

import dev.wick.data.Json;
import dev.wick.data.SampleRandom;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tensor transforms against torchvision 1.13 (golden/transforms.json), on a uint8 image [3, 8, 10]. */
class TransformsTest {
    static final Map<String, Object> G = Json.golden("transforms.json");
    static final double[] MEAN = Json.doubles(G.get("mean")), STD = Json.doubles(G.get("std"));
    Scope scope;
    Tensor img;

    @BeforeEach
    void open() {
        scope = Scope.open();
        Map<String, Object> m = map(G.get("image"));
        long[] v = Json.longs(m.get("values"));
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        img = Tensor.of(b, Json.longs(m.get("shape")));
    }

    @AfterEach
    void close() { scope.close(); }

    static void assertTensor(Object want, Tensor got, String where) {
        Map<String, Object> w = map(want);
        assertEquals(w.get("dtype"), got.dtype().toString(), where + " dtype");
        assertArrayEquals(Json.longs(w.get("shape")), got.shape(), where + " shape");
        assertArrayEquals(Json.floats(w.get("values")), got.toFloatArray(), 0f, where + " values");
    }

    /** The first sample stream (seed 0, epoch 0, index i) whose draws satisfy {@code wanted}. */
    static SampleRandom streamWhere(Predicate<SampleRandom> wanted) {
        for (int i = 0; i < 100_000; i++) {
            if (wanted.test(SampleRandom.of(0, 0, i))) return SampleRandom.of(0, 0, i);
        }
        throw new AssertionError("no stream found");
    }

    static SampleRandom cropAt(int top, int topRange, int left, int leftRange) {
        return streamWhere(r -> r.nextInt(topRange) == top && r.nextInt(leftRange) == left);
    }

    @Test
    void toFloatAndNormalize() {
        Tensor f = new ToFloat().apply(img);
        assertTensor(G.get("to_float"), f, "to_float");
        assertTensor(G.get("normalize"), new Normalize(MEAN, STD).apply(f), "normalize");
        assertEquals(DType.FLOAT32, new ToFloat().apply(img.to(DType.FLOAT64)).dtype());
    }

    @Test
    void flips() {
        assertTensor(G.get("hflip"), new RandomHorizontalFlip(1.0).apply(img, SampleRandom.of(0, 0, 0)), "hflip");
        assertTensor(G.get("vflip"), new RandomVerticalFlip(1.0).apply(img, SampleRandom.of(0, 0, 0)), "vflip");
        assertTrue(new RandomHorizontalFlip(0.0).apply(img, SampleRandom.of(0, 0, 0)).equal(img));
        // p = 0.5 flips exactly when the stream's first double is below 0.5
        SampleRandom probe = SampleRandom.of(1, 2, 3);
        boolean flips = probe.nextDouble() < 0.5;
        assertEquals(flips, !new RandomHorizontalFlip(0.5).apply(img, SampleRandom.of(1, 2, 3)).equal(img));
    }

    @Test
    void randomCropsWithEachPaddingMode() {
        for (Object o : list(G.get("crops"))) {
            Map<String, Object> c = map(o);
            int pad = ((Number) c.get("padding")).intValue(), top = ((Number) c.get("top")).intValue(), left = ((Number) c.get("left")).intValue();
            int h = ((Number) c.get("h")).intValue(), w = ((Number) c.get("w")).intValue();
            PaddingMode mode = PaddingMode.valueOf(((String) c.get("mode")).toUpperCase());
            var crop = new RandomCrop(h, w, new int[]{pad}, false, 0, mode);
            int hp = 8 + 2 * pad, wp = 10 + 2 * pad;
            SampleRandom r = hp == h && wp == w ? SampleRandom.of(0, 0, 0) : cropAt(top, hp - h + 1, left, wp - w + 1);
            assertTensor(c.get("out"), crop.apply(img, r), "crop " + c);
        }
    }

    @Test
    void padIfNeededPadsBothSidesByTheMissingSize() {
        Map<String, Object> c = map(G.get("pad_if_needed_12x13_fill7"));
        assertArrayEquals(new long[]{3, 16, 16}, Json.longs(c.get("padded_shape")));
        var crop = new RandomCrop(12, 13, null, true, 7, PaddingMode.CONSTANT);
        assertTensor(c.get("out"), crop.apply(img, cropAt(2, 16 - 12 + 1, 3, 16 - 13 + 1)), "pad_if_needed");
    }

    @Test
    void centerCrops() {
        for (Object o : list(G.get("center_crops"))) {
            Map<String, Object> c = map(o);
            int h = ((Number) c.get("h")).intValue(), w = ((Number) c.get("w")).intValue();
            assertTensor(c.get("out"), new CenterCrop(h, w).apply(img), "center crop " + h + "x" + w);
        }
    }

    @Test
    void w4PipelineTensorPathAndFusedPathMatchTorchvisionExactly() {
        var aug = new CropFlipNormalize(3, 8, 10, 4, 0.5, MEAN, STD);
        byte[] pixels = img.toBytes();
        for (Object o : list(G.get("w4_pipeline"))) {
            Map<String, Object> c = map(o);
            int top = ((Number) c.get("top")).intValue(), left = ((Number) c.get("left")).intValue();
            boolean flip = (Boolean) c.get("flip");
            var want = new CropFlipNormalize.Placement(top, left, flip);
            SampleRandom r = streamWhere(s -> aug.place(s).equals(want));
            assertTensor(c.get("out"), aug.apply(img, SampleRandom.of(r.seed(), r.epoch(), r.index())), "tensor path " + want);
            float[] fused = new float[3 * 8 * 10];
            aug.write(pixels, 0, want, fused, 0);
            assertArrayEquals(Json.floats(map(c.get("out")).get("values")), fused, 0f, "fused path " + want);
        }
    }

    @Test
    void composeDrawsFromOneStreamInOrder() {
        var twice = Compose.of(new RandomHorizontalFlip(0.5), new RandomHorizontalFlip(0.5));
        int flipped = 0;
        for (int i = 0; i < 20; i++) {
            SampleRandom probe = SampleRandom.of(5, 0, i);
            boolean a = probe.nextDouble() < 0.5, b = probe.nextDouble() < 0.5;
            Tensor out = twice.apply(img, SampleRandom.of(5, 0, i));
            assertEquals(a ^ b, !out.equal(img), "sample " + i);
            if (a ^ b) flipped++;
        }
        assertTrue(flipped > 0 && flipped < 20, "both outcomes occur: " + flipped);
        // then() chains types and keeps the stream
        Transform<Tensor, Tensor> chain = new RandomHorizontalFlip(0.5).then(new ToFloat());
        assertEquals(DType.FLOAT32, chain.apply(img).dtype());
        assertEquals("Lambda(times2)", Lambda.of("times2", (Tensor x) -> x.mul(2.0)).toString());
    }

    @Test
    void badArgumentsFailAtConstructionOrNameTheInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[]{0.5, 0.5}, new double[]{0.2, 0.0}));
        assertTrue(e.getMessage().contains("invalid std[1]: 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[]{0.5}, new double[]{0.2, 0.1}));
        assertTrue(e.getMessage().contains("mean has 1 values but std has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Normalize(MEAN, STD).apply(img));
        assertTrue(e.getMessage().contains("should be a float tensor. Got torch.uint8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[]{0, 0}, new double[]{1, 1}).apply(new ToFloat().apply(img)));
        assertTrue(e.getMessage().contains("3 channels but mean/std have 2 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(9, 10, null, false, 0, PaddingMode.CONSTANT).apply(img, SampleRandom.of(0, 0, 0)));
        assertEquals("RandomCrop: required crop size (9, 10) is larger than input image size (8, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(8, -1));
        assertTrue(e.getMessage().contains("invalid padding [-1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(8, 8, new int[]{1, 2, 3}, false, 0, PaddingMode.CONSTANT));
        assertTrue(e.getMessage().contains("padding must have 1, 2 or 4 values, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip(1.5));
        assertTrue(e.getMessage().contains("p=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CenterCrop(0));
        assertTrue(e.getMessage().contains("invalid size (0, 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ToFloat().apply(img.to(DType.INT32)));
        assertTrue(e.getMessage().contains("unsupported image dtype torch.int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CropFlipNormalize(3, 8, 10, -1, 0.5, MEAN, STD));
        assertTrue(e.getMessage().contains("invalid padding -1"), e.getMessage());
        var aug = new CropFlipNormalize(3, 8, 10, 4, 0.5, MEAN, STD);
        e = assertThrows(IllegalArgumentException.class, () -> aug.apply(img.to(DType.FLOAT32), SampleRandom.of(0, 0, 0)));
        assertTrue(e.getMessage().contains("expected a uint8 image [3, 8, 10], got torch.float32"), e.getMessage());
        assertNotEquals(aug.place(SampleRandom.of(0, 0, 1)), null);
    }
}
