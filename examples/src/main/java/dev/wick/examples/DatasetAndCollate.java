package dev.wick.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.wick.data.Collator;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Seed section 2, "data reading and loading": a data set class with {@code __getitem__(index)} and
 * {@code __len__()}, a {@code DataLoader} over it, and a {@code collate_fn} that stacks the images into
 * one {@code [B, C, H, W]} tensor but keeps the targets as a list, because targets such as bounding
 * boxes differ in shape from one image to the next.
 *
 * <pre>{@code
 * var loader = DataLoader.builder(new ListDataset(samples)).batchSize(4).shuffle(true)
 *         .collateFn(new CollateFunc()).build();
 * for (Example<Tensor, List<Tensor>> batch : loader) { ... }   // images [4, 1, 8, 8], 4 box tensors
 * }</pre>
 *
 * <p>The seed's {@code __getitem__} reads {@code self.list(index)}, a call where an index is meant
 * ({@code self.list[index]}); this port indexes the list.
 */
public final class DatasetAndCollate {
    private DatasetAndCollate() {}

    /** The seed's data set: (image, target) pairs held in a list. */
    public static final class ListDataset implements Dataset<Example<Tensor, Tensor>> {
        private final List<Example<Tensor, Tensor>> list;
        private final int datasetSize;

        public ListDataset(List<Example<Tensor, Tensor>> samples) {
            this.list = List.copyOf(samples);
            this.datasetSize = samples.size();
        }

        /** {@code __getitem__}: the image and its target. */
        @Override
        public Example<Tensor, Tensor> get(int index) {
            Example<Tensor, Tensor> sample = list.get(index);
            Tensor image = sample.input(), target = sample.target();
            return new Example<>(image, target);
        }

        /** {@code __len__}. */
        @Override
        public int size() { return datasetSize; }
    }

    /** The seed's {@code CollateFunc}: images stacked, targets kept as a list. */
    public static final class CollateFunc implements Collator<Example<Tensor, Tensor>, Example<Tensor, List<Tensor>>> {
        @Override
        public Example<Tensor, List<Tensor>> collate(List<Example<Tensor, Tensor>> batch) {
            List<Tensor> targets = new ArrayList<>();
            List<Tensor> images = new ArrayList<>();
            for (Example<Tensor, Tensor> sample : batch) {
                Tensor image = sample.input();
                Tensor target = sample.target();
                images.add(image);
                targets.add(target);
            }
            Tensor stacked = Tensor.stack(images, 0);   // [B, C, H, W]
            return new Example<>(stacked, targets);
        }
    }

    /** What one batch held. */
    public record BatchSummary(long[] imagesShape, double imagesSum, int[] boxCounts, double boxesSum) {
        @Override public String toString() {
            return "images " + Arrays.toString(imagesShape) + ", boxes per image " + Arrays.toString(boxCounts);
        }
    }

    /**
     * Ten 1x8x8 images with 1 to 3 boxes each, batches of 4 in shuffled order, for {@code epochs}
     * passes. Seeded with 0, so the order and the values are PyTorch's for the same program.
     */
    public static List<BatchSummary> run(int epochs) {
        Engine.manualSeed(0);
        List<Example<Tensor, Tensor>> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Tensor image = Tensor.randn(1, 8, 8);
            Tensor boxes = Tensor.rand(i % 3 + 1, 4);   // a varying number of boxes per image
            samples.add(new Example<>(image, boxes));
        }
        List<BatchSummary> out = new ArrayList<>();
        try (DataLoader<Example<Tensor, Tensor>, Example<Tensor, List<Tensor>>> loader =
                     DataLoader.builder(new ListDataset(samples)).batchSize(4).shuffle(true).collateFn(new CollateFunc()).build()) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (Example<Tensor, List<Tensor>> batch : loader) {
                    try (Scope step = Scope.open()) {
                        // the stacked images are new: free them with the step. The targets are the data
                        // set's own tensors (the collate keeps them as they are), so they are not adopted.
                        Tensor images = step.adopt(batch.input());
                        List<Tensor> targets = batch.target();
                        int[] counts = targets.stream().mapToInt(t -> (int) t.size(0)).toArray();
                        double boxes = 0;
                        for (Tensor t : targets) boxes += t.sum().item();
                        out.add(new BatchSummary(images.shape(), images.sum().item(), counts, boxes));
                    }
                }
            }
        }
        return out;
    }

    public static void main(String[] args) {
        run(2).forEach(System.out::println);
    }
}
