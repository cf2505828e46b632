package dev.wick.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.data.Subset;
import dev.wick.data.transforms.Compose;
import dev.wick.data.transforms.Normalize;
import dev.wick.data.transforms.RandomHorizontalFlip;
import dev.wick.data.transforms.Transform;
import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.vision.FashionMNIST;

/** Behaviour beyond the golden values: validation, the per-sample stream, shapes, dtypes, loaders. */
class TransformsTest {
    Scope scope;

    @BeforeEach void open() { scope = Scope.open(); }
    @AfterEach void close() { scope.close(); }

    private static void fails(String message, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, ex.getMessage());
    }

    @Test
    void invalidOptionsFailAtConstructionNamingTheValue() {
        fails("Invalid size: 0 (must be positive)", () -> new Resize(0));
        fails("Invalid width: -3 (must be positive)", () -> new Resize(4, -3));
        fails("Invalid maxSize: 32 (must be greater than the smaller-edge size 32)", () -> new Resize(32).withMaxSize(32));
        fails("maxSize applies only when resizing the smaller edge (Resize(size)), not to an exact 4x5", () -> new Resize(4, 5).withMaxSize(10));
        fails("Invalid scale range [0.9, 0.1] (need 0 <= min <= max, finite)", () -> new RandomResizedCrop(8).withScale(0.9, 0.1));
        fails("Invalid ratio range [0.0, 1.0] (need 0 < min <= max, finite)", () -> new RandomResizedCrop(8).withRatio(0, 1));
        fails("Invalid height: 0 (must be positive)", () -> new RandomResizedCrop(0, 3));
        fails("Invalid brightness: -0.1 (must be a finite number >= 0)", () -> new ColorJitter(-0.1, 0));
        fails("Invalid contrast range [1.2, 0.8] (need 0 <= min <= max, finite)", () -> ColorJitter.builder().contrast(1.2, 0.8));
        fails("Invalid brightness factor: -1.0 (must be a finite number >= 0)", () -> Functional.adjustBrightness(Tensor.zeros(3, 2, 2), -1));
    }

    @Test
    void badImagesAreRejectedWithTheirShapeOrDtype() {
        fails("adjustContrast: expected an image [..., C, H, W] with 1 or 3 channels, got shape [2, 4, 4]",
                () -> Functional.adjustContrast(Tensor.zeros(2, 4, 4), 0.5));
        fails("toTensor: expected a uint8 image (or a float one, passed through), got torch.int64", () -> new ToTensor().apply(Tensor.zeros(DType.INT64, 1, 2, 2)));
        fails("crop: region top=1, left=0, height=4, width=2 is not inside the 4x4 image", () -> Functional.crop(Tensor.zeros(1, 4, 4), 1, 0, 4, 2));
        fails("Resize: expected an image [..., H, W], got shape [5]", () -> new Resize(3).apply(Tensor.zeros(5)));
    }

    @Test
    void resizeKeepsDtypeAndLeadingDimsAndComputesTheSmallerEdge() {
        Tensor batch = Tensor.rand(2, 3, 10, 20);
        Tensor out = new Resize(5).apply(batch);
        assertArrayEquals(new long[]{2, 3, 5, 10}, out.shape());
        // each image of the batch resized alone gives the same pixels
        assertTrue(out.get(1).allclose(new Resize(5).apply(batch.get(1)), 0, 0));
        assertArrayEquals(new int[]{20, 10}, new Resize(10).outputSize(40, 20));
        assertArrayEquals(new int[]{10, 13}, new Resize(10).outputSize(30, 40), "(int) (10 * 40 / 30) = 13");
        assertArrayEquals(new int[]{11, 15}, new Resize(12).withMaxSize(15).outputSize(30, 40), "long edge capped: (int) (15 * 12 / 16) = 11");
        Tensor u8 = Tensor.randint(0, 256, 3, 8, 8).to(DType.UINT8);
        assertEquals(DType.UINT8, new Resize(4).apply(u8).dtype());
        assertEquals(DType.FLOAT64, new Resize(4).apply(u8.to(DType.FLOAT64)).dtype());
        // a constant image stays constant whatever the interpolation
        for (Interpolation m : Interpolation.values()) {
            Tensor c = new Resize(7, 3).withInterpolation(m).apply(Tensor.full(0.25, 1, 4, 6));
            assertTrue(c.sub(0.25).abs().max().item() < 1e-6, m.toString());
        }
    }

    @Test
    void toTensorScalesUint8AndAddsAChannelToGreyPlanes() {
        Tensor x = new ToTensor().apply(Tensor.of(new byte[]{0, (byte) 255, 51, 102}, 2, 2));
        assertArrayEquals(new long[]{1, 2, 2}, x.shape());
        assertArrayEquals(new float[]{0f, 1f, 0.2f, 0.4f}, x.toFloatArray(), 1e-7f);
        Tensor f = Tensor.rand(3, 2, 2);
        assertSame(f, new ToTensor().apply(f), "a float image passes through");
    }

    @Test
    void randomResizedCropFromTheSampleStreamIsReproducibleAndInsideTheRanges() {
        Tensor img = Tensor.rand(3, 40, 30);
        RandomResizedCrop t = new RandomResizedCrop(8, 6).withScale(0.2, 0.7).withRatio(0.5, 2.0);
        Tensor a = t.apply(img, SampleRandom.of(1, 0, 5));
        Tensor b = t.apply(img, SampleRandom.of(1, 0, 5));
        Tensor c = t.apply(img, SampleRandom.of(1, 0, 6));
        assertArrayEquals(new long[]{3, 8, 6}, a.shape());
        assertTrue(a.equal(b), "same (seed, epoch, index): same crop");
        assertFalse(a.equal(c), "another sample: another crop");
        // and through the default apply(x): the current sample's stream
        Tensor d = SampleRandom.with(1, 0, 5, () -> t.apply(img));
        assertTrue(a.equal(d));

        SampleRandom r = SampleRandom.of(9, 0, 0);
        int fallbacks = 0;
        for (int k = 0; k < 2000; k++) {
            RandomResizedCrop.Region box = RandomResizedCrop.getParams(40, 30, 0.2, 0.7, 0.5, 2.0, r);
            assertTrue(box.top() >= 0 && box.left() >= 0 && box.top() + box.height() <= 40 && box.left() + box.width() <= 30, box.toString());
            double area = (double) box.height() * box.width() / (40 * 30), ratio = (double) box.width() / box.height();
            if (box.height() == 40 && box.width() == 30) { fallbacks++; continue; }
            // rounding each side to an integer moves area and ratio a little beyond the ranges
            assertTrue(area > 0.2 * 0.8 && area < 0.7 * 1.2, "area " + area + " of " + box);
            assertTrue(ratio > 0.5 * 0.8 && ratio < 2.0 * 1.25, "ratio " + ratio + " of " + box);
        }
        assertTrue(fallbacks < 20, fallbacks + " fallbacks: almost every draw has an attempt that fits");
    }

    @Test
    void randomResizedCropFallsBackToTheCentredCrop() {
        // a 4x60 strip cannot hold 90% of its area at a ratio <= 4/3: all 10 attempts fail
        RandomResizedCrop.Region box = RandomResizedCrop.getParams(4, 60, 0.9, 1.0, 3.0 / 4, 4.0 / 3, SampleRandom.of(0, 0, 0));
        assertEquals(new RandomResizedCrop.Region(0, 27, 4, 5), box, "h = 4, w = round(4 * 4/3) = 5, centred: left = (60 - 5) / 2");
        box = RandomResizedCrop.getParams(60, 4, 0.9, 1.0, 3.0 / 4, 4.0 / 3, SampleRandom.of(0, 0, 0));
        assertEquals(new RandomResizedCrop.Region(27, 0, 5, 4), box, "w = 4, h = round(4 / (3/4)) = 5");
        box = RandomResizedCrop.getParams(10, 10, 1.5, 2.0, 1, 1, new Generator(0));
        assertEquals(new RandomResizedCrop.Region(0, 0, 10, 10), box, "too large an area: the whole image");
    }

    @Test
    void colorJitterRangesAndOffSwitch() {
        ColorJitter cj = new ColorJitter(0.4, 1.5);
        assertArrayEquals(new double[]{0.6, 1.4}, cj.brightness(), 1e-15);
        assertArrayEquals(new double[]{0.0, 2.5}, cj.contrast(), 1e-15, "1 - 1.5 clipped to 0");
        assertNull(new ColorJitter(0, 0.2).brightness(), "0 turns brightness off");
        assertNull(ColorJitter.builder().contrast(1, 1).build().contrast(), "[1, 1] turns contrast off");
        Tensor img = Tensor.rand(3, 5, 5);
        assertTrue(ColorJitter.builder().build().apply(img, SampleRandom.of(0, 0, 0)).equal(img), "all off: the image unchanged");
        ColorJitter b = ColorJitter.builder().brightness(0.5, 0.5).build();
        assertTrue(b.apply(img, SampleRandom.of(0, 0, 1)).allclose(img.mul(0.5), 1e-6, 1e-7), "a fixed factor 0.5 halves every value");
        Tensor u8 = Tensor.randint(0, 256, 3, 4, 4).to(DType.UINT8);
        assertEquals(DType.UINT8, cj.apply(u8, SampleRandom.of(0, 0, 2)).dtype());
        Tensor a1 = cj.apply(img, SampleRandom.of(3, 1, 4)), a2 = cj.apply(img, SampleRandom.of(3, 1, 4));
        assertTrue(a1.equal(a2), "same sample stream, same jitter");
    }

    @Test
    void contrastZeroGivesTheMeanGreyAndBrightnessClampsToTheRange() {
        Tensor img = Tensor.rand(3, 4, 4);
        Tensor flat = Functional.adjustContrast(img, 0);
        double mean = Functional.rgbToGrayscale(img).mean().item();
        assertTrue(flat.sub(mean).abs().max().item() < 1e-6);
        assertEquals(1.0, Functional.adjustBrightness(Tensor.full(0.8, 1, 2, 2), 2.0).max().item(), 0.0, "clamped to 1");
        Tensor u8 = Tensor.full(200, DType.UINT8, 1, 2, 2);
        assertEquals(255, Functional.adjustBrightness(u8, 1.5).max().item(), 0.0, "uint8 clamped to 255");
        assertEquals(66, Functional.adjustBrightness(Tensor.full(133, DType.UINT8, 1, 1, 1), 0.5).item(), 0.0, "66.5 truncated, as torchvision");
    }

    @Test
    void visionTransformsComposeWithTheDataModulesOnes() {
        Transform<Tensor, Tensor> pipeline = Compose.of(
                new RandomResizedCrop(24).withScale(0.5, 1.0),
                new RandomHorizontalFlip(0.5),
                new ColorJitter(0.3, 0.3),
                new Normalize(new double[]{FashionMNIST.MEAN}, new double[]{FashionMNIST.STD}));
        Tensor img = Tensor.rand(1, 28, 28);
        Tensor a = SampleRandom.with(0, 0, 3, () -> pipeline.apply(img));
        Tensor b = SampleRandom.with(0, 0, 3, () -> pipeline.apply(img));
        assertArrayEquals(new long[]{1, 24, 24}, a.shape());
        assertTrue(a.equal(b), "every random step draws from the sample's stream, in order");
    }

    @Test
    void augmentedBatchesAreTheSameWithZeroOrTwoWorkers() throws Exception {
        Transform<Tensor, Tensor> aug = Compose.of(new RandomResizedCrop(20).withScale(0.6, 1.0), new ColorJitter(0.4, 0.4));
        FashionMNIST test = FashionMNIST.builder().train(false).transform(aug).build();
        int[] first = new int[48];
        for (int i = 0; i < first.length; i++) first[i] = i;
        Subset<Example<Tensor, Long>> small = new Subset<>(test, first);
        List<float[]> runs = new ArrayList<>();
        for (int workers : new int[]{0, 2}) {
            try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader = DataLoader.builder(small)
                    .batchSize(16).numWorkers(workers).seed(123).<Example<Tensor, Tensor>>build()) {
                List<Tensor> inputs = new ArrayList<>();
                for (Example<Tensor, Tensor> batch : loader) {
                    scope.adopt(batch.input());
                    scope.adopt(batch.target());
                    assertArrayEquals(new long[]{16, 1, 20, 20}, batch.input().shape());
                    inputs.add(batch.input());
                }
                runs.add(Tensor.cat(inputs, 0).toFloatArray());
            }
        }
        assertArrayEquals(runs.get(0), runs.get(1));
    }
}
