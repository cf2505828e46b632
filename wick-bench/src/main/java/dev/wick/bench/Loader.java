package dev.wick.bench;

import java.util.Arrays;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.data.transforms.Compose;
import dev.wick.data.transforms.CropFlipNormalize;
import dev.wick.data.transforms.Normalize;
import dev.wick.data.transforms.RandomCrop;
import dev.wick.data.transforms.RandomHorizontalFlip;
import dev.wick.data.transforms.ToFloat;
import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * W4 loader: the data pipeline alone. 50000 synthetic uint8 images 3x32x32 (seed 0), label
 * {@code index % 10}; per sample: zero-pad 4 + random crop 32, random horizontal flip (p 0.5), to float
 * / 255, per-channel normalize; collated into {@code [128, 3, 32, 32]} float32 and {@code [128]} int64,
 * shuffled. One full pass with 0 and with 2 workers; the time includes making the iterator (starting
 * the workers). Twin: {@code bench/pytorch/w4_loader.py}.
 *
 * <p>Two pipelines, both measured:
 * <ul>
 *   <li>{@code samples_per_s_workers{0,2}} (the figure compared): {@link CropFlipNormalize}, Wick's fused
 *       form of those four transforms. The data set draws each sample's crop and flip (per sample, from
 *       its {@link SampleRandom}), and the collate function writes each sample's pixels into the batch
 *       tensor in plain Java: one native allocation per batch.</li>
 *   <li>{@code samples_per_s_workers{0,2}_compose}: the same four transforms as separate tensor
 *       transforms ({@code Compose.of(RandomCrop, RandomHorizontalFlip, ToFloat, Normalize)}) and the
 *       default collate, as torchvision composes them: about ten native ops per sample.</li>
 * </ul>
 * {@code CropFlipNormalize} documents that both give the same numbers bit for bit.
 */
final class Loader {
    static final String NAME = "loader";
    static final int N = 50000;
    static final double[] MEAN = {0.49, 0.48, 0.45};
    static final double[] STD = {0.25, 0.24, 0.26};

    private Loader() {}

    static void run() {
        Engine.manualSeed(Bench.seed());
        Tensor images = Scope.outside(() -> randomBytes(new Generator(Bench.seed()), N, 3, 32, 32));   // uint8 (N, 3, 32, 32)

        CropFlipNormalize aug = new CropFlipNormalize(3, 32, 32, 4, 0.5, MEAN, STD);
        Dataset<Example<CropFlipNormalize.Placed, Long>> placed = new Dataset<>() {
            @Override public Example<CropFlipNormalize.Placed, Long> get(int i) {
                return new Example<>(aug.place(i, SampleRandom.current()), (long) (i % 10));
            }
            @Override public int size() { return N; }
        };

        Compose<Tensor> transform = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToFloat(), new Normalize(MEAN, STD));
        Dataset<Example<Tensor, Long>> composed = new Dataset<>() {
            @Override public Example<Tensor, Long> get(int i) {
                return new Example<>(transform.apply(images.get(i)), (long) (i % 10));
            }
            @Override public int size() { return N; }
        };

        for (int workers : new int[]{0, 2}) {
            double fused = pass(DataLoader.builder(placed).batchSize(128).shuffle(true).numWorkers(workers)
                    .generator(new Generator(Bench.seed())).collateFn(aug.<Long>collator(images)).build(), workers, "fused");
            Emit.line(NAME, "samples_per_s_workers" + workers, N / fused, "samples/s");
        }
        for (int workers : new int[]{0, 2}) {
            double plain = pass(DataLoader.builder(composed).batchSize(128).shuffle(true).numWorkers(workers)
                    .generator(new Generator(Bench.seed())).build(), workers, "compose");
            Emit.line(NAME, "samples_per_s_workers" + workers + "_compose", N / plain, "samples/s");
        }
    }

    /** One full pass; returns its seconds, iterator start-up included. Closes the loader. */
    private static <T> double pass(DataLoader<T, Example<Tensor, Tensor>> loader, int workers, String pipeline) {
        long seen = 0;
        long t0 = System.nanoTime();
        try (loader) {
            boolean first = true;
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope s = Scope.open()) {
                    Batches.adopt(s, batch);                     // freed with this scope
                    if (first) {
                        check(batch);
                        first = false;
                    }
                    seen += batch.target().size(0);
                }
            }
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        if (seen != N) throw new IllegalStateException("W4 pass saw " + seen + " samples, expected " + N);
        System.err.printf("[W4] %s, num_workers=%d: %.3f s wall%n", pipeline, workers, dt);
        return dt;
    }

    private static void check(Example<Tensor, Tensor> b) {
        Tensor x = b.input(), y = b.target();
        if (!Arrays.equals(x.shape(), new long[]{128, 3, 32, 32}) || x.dtype() != DType.FLOAT32)
            throw new IllegalStateException("W4: input batch " + x.dtype() + " " + Arrays.toString(x.shape()) + ", expected FLOAT32 [128, 3, 32, 32]");
        if (!Arrays.equals(y.shape(), new long[]{128}) || y.dtype() != DType.INT64)
            throw new IllegalStateException("W4: target batch " + y.dtype() + " " + Arrays.toString(y.shape()) + ", expected INT64 [128]");
    }

    /**
     * uint8 integers uniform in [0, 256): {@code torch.randint(0, 256, shape, dtype=torch.uint8, generator=g)}.
     * wick-core's {@code Tensor.randint} makes int64 only, so this calls {@code random_} on a uint8 tensor.
     */
    static Tensor randomBytes(Generator g, long... shape) {
        Tensor t = Tensor.empty(DType.UINT8, shape);
        try (LongOptional high = new LongOptional(256); GeneratorOptional go = new GeneratorOptional(g.nativeGenerator())) {
            t.unwrap().random_(0, high, go);
        } catch (RuntimeException e) {
            throw TorchException.from(e, "random_");
        }
        return t;
    }
}
