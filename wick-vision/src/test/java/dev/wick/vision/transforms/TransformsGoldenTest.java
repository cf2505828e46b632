package dev.wick.vision.transforms;

import static dev.wick.testkit.Golden.doubles;
import static dev.wick.testkit.Golden.list;
import static dev.wick.testkit.Golden.longs;
import static dev.wick.testkit.Golden.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wick.data.transforms.CenterCrop;
import dev.wick.data.transforms.Normalize;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.testkit.Golden;
import dev.wick.testkit.Tolerance;

/** Every deterministic transform, and the random draws of the random ones, against torchvision 0.14. */
class TransformsGoldenTest {
    static Map<String, Object> golden;
    Scope scope;
    Map<String, Tensor> inputs;

    @BeforeAll
    static void load() { golden = Golden.load("/golden/transforms.json"); }

    @BeforeEach
    void open() {
        scope = Scope.open();
        inputs = Map.of(
                "img_f", Golden.tensor(map(golden.get("inputs")).get("img_f")),
                "img_u8", Golden.tensor(map(golden.get("inputs")).get("img_u8")),
                "gray_f", Golden.tensor(map(golden.get("inputs")).get("gray_f")));
    }

    @AfterEach
    void close() { scope.close(); }

    private Tensor input(Map<String, Object> c) { return inputs.get((String) c.get("input")); }

    /** float32 results to 1e-6 (one-ulp differences of libtorch 2.10 vs 1.13 kernels); uint8 exactly. */
    private static double tol(Tensor t) { return t.isFloatingPoint() ? 1e-6 : 0; }

    @Test
    void resizeMatchesTorchvision() {
        for (Object o : list(golden.get("resize"))) {
            Map<String, Object> c = map(o);
            long[] size = longs(c.get("size"));
            Resize r = size.length == 2 ? new Resize((int) size[0], (int) size[1]) : new Resize((int) size[0]);
            if (c.get("max_size") != null) r = r.withMaxSize(((Number) c.get("max_size")).intValue());
            r = r.withInterpolation(Interpolation.valueOf(((String) c.get("interpolation")).toUpperCase()));
            Tensor out = r.apply(input(c));
            String what = r + " of " + c.get("input");
            if (c.get("unrounded") == null) {
                Golden.assertClose(what, c.get("out"), out, Tolerance.absolute(tol(out)));
                continue;
            }
            // uint8: exact, except where torchvision's float value is a rounding tie to within float noise
            Golden.assertClose(what + " before rounding", c.get("unrounded"), r.apply(input(c).toFloat()), Tolerance.absolute(3e-4));   // ~1e-6 relative on 0..255
            double[] exp = doubles(map(c.get("out")).get("data")), pre = doubles(map(c.get("unrounded")).get("data"));
            double[] got = out.toDoubleArray();
            for (int i = 0; i < exp.length; i++) {
                boolean tie = Math.abs(pre[i] - Math.floor(pre[i]) - 0.5) < 5e-4;
                assertTrue(got[i] == exp[i] || (tie && Math.abs(got[i] - exp[i]) == 1),
                        what + "[" + i + "]: expected " + exp[i] + ", got " + got[i] + " (torchvision's unrounded value " + pre[i] + ")");
            }
        }
    }

    @Test
    void resizeToTheSameSizeReturnsTheInput() {
        Tensor x = inputs.get("img_f");
        assertSame(x, new Resize(7, 9).apply(x));
    }

    @Test
    void centerCropOfTheDataModuleMatchesTorchvision() {
        for (Object o : list(golden.get("center_crop"))) {
            Map<String, Object> c = map(o);
            long[] size = longs(c.get("size"));
            Tensor out = new CenterCrop((int) size[0], (int) size[1]).apply(input(c));
            Golden.assertClose("center crop " + java.util.Arrays.toString(size) + " of " + c.get("input"), c.get("out"), out, Tolerance.exact());
        }
    }

    @Test
    void brightnessMatchesTorchvision() { checkAdjustment("brightness", Functional::adjustBrightness); }

    @Test
    void contrastMatchesTorchvision() { checkAdjustment("contrast", Functional::adjustContrast); }

    /** Each case of {@code golden[key]}: {@code adjust(input, factor)} against torchvision's output. */
    private void checkAdjustment(String key, BiFunction<Tensor, Double, Tensor> adjust) {
        for (Object o : list(golden.get(key))) {
            Map<String, Object> c = map(o);
            double f = ((Number) c.get("factor")).doubleValue();
            Tensor out = adjust.apply(input(c), f);
            Golden.assertClose(key + " " + f + " of " + c.get("input"), c.get("out"), out, Tolerance.absolute(tol(out)));
        }
    }

    @Test
    void grayscaleMatchesTorchvision() {
        Golden.assertClose("grayscale uint8", golden.get("grayscale_u8"), Functional.rgbToGrayscale(inputs.get("img_u8")), Tolerance.exact());
        Golden.assertClose("grayscale float", golden.get("grayscale_f"), Functional.rgbToGrayscale(inputs.get("img_f")), Tolerance.absolute(1e-6));
    }

    @Test
    void normalizeOfTheDataModuleMatchesTorchvision() {
        Map<String, Object> c = map(golden.get("normalize"));
        Tensor out = new Normalize(doubles(c.get("mean")), doubles(c.get("std"))).apply(inputs.get("img_f"));
        Golden.assertClose("normalize", c.get("out"), out, Tolerance.absolute(1e-6));
    }

    @Test
    void toTensorMatchesTorchvisionOnTheSamePixels() {
        Tensor out = new ToTensor().apply(inputs.get("img_u8"));
        Golden.assertClose("to_tensor", golden.get("to_tensor"), out, Tolerance.exact());
    }

    @Test
    void randomResizedCropParamsMatchTorchvisionWithTheSameSeed() {
        for (Object o : list(golden.get("random_resized_crop_params"))) {
            Map<String, Object> c = map(o);
            int h = ((Number) c.get("height")).intValue(), w = ((Number) c.get("width")).intValue();
            double[] scale = doubles(c.get("scale")), ratio = doubles(c.get("ratio"));
            Generator g = new Generator(((Number) c.get("seed")).longValue());
            for (Object p : list(c.get("params"))) {
                RandomResizedCrop.Region r = RandomResizedCrop.getParams(h, w, scale[0], scale[1], ratio[0], ratio[1], g);
                assertArrayEquals(longs(p), new long[]{r.top(), r.left(), r.height(), r.width()}, "get_params " + c);
            }
        }
    }

    @Test
    void randomResizedCropOutputMatchesTorchvisionWithTheSameSeed() {
        for (Object o : list(golden.get("random_resized_crop"))) {
            Map<String, Object> c = map(o);
            long[] size = longs(c.get("size"));
            double[] scale = doubles(c.get("scale")), ratio = doubles(c.get("ratio"));
            RandomResizedCrop t = new RandomResizedCrop((int) size[0], (int) size[1]).withScale(scale[0], scale[1]).withRatio(ratio[0], ratio[1])
                    .withGenerator(new Generator(((Number) c.get("seed")).longValue()));
            Golden.assertClose("RandomResizedCrop seed " + c.get("seed"), c.get("out"), t.apply(inputs.get("img_f")), Tolerance.absolute(1e-6));
        }
    }

    @Test
    void colorJitterParamsAndOutputMatchTorchvisionWithTheSameSeed() {
        for (Object o : list(golden.get("color_jitter"))) {
            Map<String, Object> c = map(o);
            long seed = ((Number) c.get("seed")).longValue();
            ColorJitter cj = new ColorJitter(((Number) c.get("brightness")).doubleValue(), ((Number) c.get("contrast")).doubleValue());
            Generator g = new Generator(seed);
            for (Object d : list(c.get("draws"))) {
                Map<String, Object> draw = map(d);
                ColorJitter.Params p = ColorJitter.getParams(cj.brightness(), cj.contrast(), g);
                assertArrayEquals(longs(draw.get("order")), java.util.Arrays.stream(p.order()).asLongStream().toArray(), "order, seed " + seed);
                assertEquals(((Number) draw.get("brightness")).doubleValue(), p.brightnessFactor(), 0.0, "brightness factor, seed " + seed);
                assertEquals(((Number) draw.get("contrast")).doubleValue(), p.contrastFactor(), 0.0, "contrast factor, seed " + seed);
            }
            ColorJitter seeded = cj.withGenerator(new Generator(seed));
            Golden.assertClose("ColorJitter float, seed " + seed, c.get("out_f"), seeded.apply(inputs.get("img_f")), Tolerance.absolute(1e-6));
            Golden.assertClose("ColorJitter uint8, seed " + seed, c.get("out_u8"), seeded.apply(inputs.get("img_u8")), Tolerance.exact());
        }
    }
}
