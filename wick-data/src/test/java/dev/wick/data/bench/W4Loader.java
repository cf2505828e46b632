package dev.wick.data.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

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

/**
 * Workload W4 of {@code shared/bench/SPEC.md}: the data pipeline alone. 50000 uint8 images [3, 32, 32]
 * (seed 0), label = index % 10, per-sample pad 4 + random crop 32, random horizontal flip, to float / 255,
 * per-channel normalize; batch 128, shuffle; one full pass with 0 and with 2 workers, timed from creating
 * the iterator (worker start-up included) to the last batch, each batch adopted into and freed with a
 * per-step scope.
 *
 * <p>Two pipelines, both yielding {@code Example<Tensor [128, 3, 32, 32] float32, Tensor [128] int64>}
 * with the same numbers: {@code generic} (tensor transforms per sample + default collate, the spec's
 * recipe; the metric {@code samples_per_s_workersN}) and {@code fused} ({@link CropFlipNormalize}: the
 * crop and flip drawn per sample, the pixels written in Java into one tensor per batch; the metric
 * {@code samples_per_s_workersN_fused}).
 *
 * <pre>
 * java -cp ... dev.wick.data.bench.W4Loader [--passes 1] [--n 50000] [--only generic|fused] [--threads 2]
 * </pre>
 * With {@code --passes k > 1} each configuration runs k passes and reports the best; the first pass of
 * the first configuration also warms the JIT.
 */
public final class W4Loader {
    static final double[] MEAN = {0.49, 0.48, 0.45}, STD = {0.25, 0.24, 0.26};

    public static void main(String[] args) {
        int passes = 1, n = 50_000, threads = 2;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        Engine.threads(threads);                                    // the spec: 2 intra-op threads
        Engine.manualSeed(0);
        final int size = n;
        Tensor images = Scope.outside(() -> {
            Tensor t = Tensor.empty(DType.UINT8, size, 3, 32, 32);
            t.unwrap().random_(0, new org.bytedeco.pytorch.LongOptional(256), new org.bytedeco.pytorch.GeneratorOptional(
                    new Generator(0).nativeGenerator()));           // torch.randint(0, 256, ..., dtype=uint8, generator=g)
            return t;
        });
        System.err.println("[W4] " + Engine.describe() + ", cores " + Runtime.getRuntime().availableProcessors());

        Compose<Tensor> transform = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToFloat(), new Normalize(MEAN, STD));
        Dataset<Example<Tensor, Long>> generic = new Dataset<>() {
            @Override public Example<Tensor, Long> get(int i) { return new Example<>(transform.apply(images.get(i)), (long) (i % 10)); }
            @Override public int size() { return size; }
        };
        CropFlipNormalize aug = new CropFlipNormalize(3, 32, 32, 4, 0.5, MEAN, STD);
        Dataset<Example<CropFlipNormalize.Placed, Long>> fused = new Dataset<>() {
            @Override public Example<CropFlipNormalize.Placed, Long> get(int i) {
                return new Example<>(aug.place(i, SampleRandom.current()), (long) (i % 10));
            }
            @Override public int size() { return size; }
        };

        for (String path : new String[]{"generic", "fused"}) {
            if (only != null && !only.equals(path)) continue;
            for (int workers : new int[]{0, 2}) {
                double best = 0;
                for (int p = 0; p < passes; p++) {
                    DataLoader<?, Example<Tensor, Tensor>> loader = path.equals("generic")
                            ? DataLoader.builder(generic).batchSize(128).shuffle(true).numWorkers(workers).generator(new Generator(0)).build()
                            : DataLoader.builder(fused).batchSize(128).shuffle(true).numWorkers(workers).generator(new Generator(0))
                                    .collateFn(aug.<Long>collator(images)).build();
                    best = Math.max(best, pass(loader, workers, path, size));
                    loader.close();
                }
                String metric = "samples_per_s_workers" + workers + (path.equals("fused") ? "_fused" : "");
                System.out.printf(Locale.ROOT, "{\"framework\": \"wick\", \"workload\": \"loader\", \"metric\": \"%s\", \"value\": %.1f, \"unit\": \"samples/s\"}%n",
                        metric, best);
            }
        }
    }

    static double pass(DataLoader<?, Example<Tensor, Tensor>> loader, int workers, String path, int n) {
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = bean.getProcessCpuTime();
        long t0 = System.nanoTime();
        long seen = 0;
        int i = 0;
        for (Example<Tensor, Tensor> b : loader) {
            try (Scope step = Scope.open()) {
                Batches.adopt(step, b);
                if (i++ == 0) {
                    long[] s = b.input().shape();
                    if (s[0] != Math.min(128, n) || s[1] != 3 || s[2] != 32 || s[3] != 32 || b.input().dtype() != DType.FLOAT32
                            || b.target().dtype() != DType.INT64)
                        throw new AssertionError("unexpected batch " + java.util.Arrays.toString(s));
                }
                seen += b.target().size(0);
            }
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        double cpu = (bean.getProcessCpuTime() - cpu0) / 1e9;
        if (seen != n) throw new AssertionError("saw " + seen + " samples, expected " + n);
        System.err.printf(Locale.ROOT, "[W4] %s numWorkers=%d: %.3f s wall, %.0f samples/s; cpu %.2f s; effective cores %.2f%n",
                path, workers, dt, n / dt, cpu, cpu / dt);
        return n / dt;
    }
}
