package dev.wick.data.bench;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.data.transforms.Compose;
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
 * How long a mid-epoch resume takes to reach its first batch: the time from starting the pass to
 * holding batch {@code b}, either by iterating and discarding batches {@code 0..b-1} (how the trainer
 * resumed before {@code DataLoader.iterator(int)}) or with {@code iterator(b)}. The data: W4's pipeline
 * (uint8 images [3, 32, 32], pad 4 + random crop, flip, to float, normalize, per sample), batch 128,
 * shuffled; both ways must give the same batch b, bit for bit.
 *
 * <pre>
 * java -cp ... dev.wick.data.bench.StartBatchBench [--n 10000] [--start 60] [--reps 5] [--threads 2]
 * </pre>
 * Prints the best and median of {@code reps} interleaved repetitions per way and per worker count.
 */
public final class StartBatchBench {
    static final double[] MEAN = {0.49, 0.48, 0.45}, STD = {0.25, 0.24, 0.26};

    public static void main(String[] args) {
        int n = 10_000, start = 60, reps = 5, threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--start" -> start = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        Engine.threads(threads);
        final int size = n;
        Tensor images = Scope.outside(() -> Tensor.randint(new Generator(0), 0, 256, size, 3, 32, 32).to(DType.UINT8));
        Compose<Tensor> transform = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToFloat(), new Normalize(MEAN, STD));
        Dataset<Example<Tensor, Long>> ds = new Dataset<>() {
            @Override public Example<Tensor, Long> get(int i) { return new Example<>(transform.apply(images.get(i)), (long) (i % 10)); }
            @Override public int size() { return size; }
        };
        System.err.println("[resume] " + Engine.describe() + ", cores " + Runtime.getRuntime().availableProcessors()
                + ", n=" + n + ", batch 128, start at batch " + start);
        for (int workers : new int[] {0, 2}) {
            double[] discard = new double[reps], skip = new double[reps];
            for (int r = 0; r < reps; r++) {
                float[][] got = new float[2][];
                discard[r] = timeToBatch(ds, workers, start, false, got, 0);
                skip[r] = timeToBatch(ds, workers, start, true, got, 1);
                if (!Arrays.equals(got[0], got[1])) throw new AssertionError("batch " + start + " differs between the two ways");
            }
            Arrays.sort(discard);
            Arrays.sort(skip);
            System.out.printf(Locale.ROOT, "numWorkers=%d: to batch %d: iterate+discard best %.3f s (median %.3f), iterator(%d) best %.3f s (median %.3f)%n",
                    workers, start, discard[0], discard[reps / 2], start, skip[0], skip[reps / 2]);
        }
    }

    private static double timeToBatch(Dataset<Example<Tensor, Long>> ds, int workers, int start, boolean skip, float[][] got, int slot) {
        try (DataLoader<Example<Tensor, Long>, Example<Tensor, Tensor>> loader =
                     DataLoader.builder(ds).batchSize(128).shuffle(true).numWorkers(workers).generator(new Generator(1)).build()) {
            long t0 = System.nanoTime();
            Iterator<Example<Tensor, Tensor>> it = skip ? loader.iterator(start) : loader.iterator();
            if (!skip) {
                for (int k = 0; k < start; k++) {
                    try (Scope s = Scope.open()) { Batches.adopt(s, it.next()); }
                }
            }
            try (Scope s = Scope.open()) {
                Example<Tensor, Tensor> b = it.next();
                Batches.adopt(s, b);
                double dt = (System.nanoTime() - t0) / 1e9;
                got[slot] = b.input().toFloatArray();
                return dt;
            }
        }
    }
}
