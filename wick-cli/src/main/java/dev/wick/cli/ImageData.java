package dev.wick.cli;

import java.util.List;

import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.DistributedSampler;
import dev.wick.data.Example;
import dev.wick.data.SampleRandom;
import dev.wick.data.transforms.CropFlipNormalize;
import dev.wick.data.transforms.CropFlipNormalize.Placed;
import dev.wick.data.transforms.CropFlipNormalize.Placement;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.vision.FashionMNIST;
import dev.wick.vision.IdxImageDataset;
import dev.wick.vision.MNIST;

/**
 * The data of a run ({@code data:}): the training, validation and test splits of an MNIST-family data
 * set as loaders of {@code Example<Tensor, Tensor>} batches (images float32 {@code [B, 1, 28, 28]},
 * normalised; labels int64 {@code [B]}).
 *
 * <pre>{@code
 * ImageData data = ImageData.load(cfg.data(), cfg.trainer().seed());
 * try (var train = data.trainLoader(); var test = data.testLoader()) { ... }
 * }</pre>
 *
 * <p>NOTE [fast augmentation]: each split keeps its images decoded once as one uint8 tensor. A sample
 * is only an image number plus, for training with {@code augment}, the crop offset and flip drawn in
 * {@code get} from the sample's {@link SampleRandom} (so it is the same with any number of workers, and
 * again after a resume); the loader's collate function ({@link CropFlipNormalize#collator}) then writes
 * the whole batch, cropped, flipped and normalised, into one float tensor on the worker thread. That
 * is torchvision's {@code RandomCrop(28, padding)}, {@code RandomHorizontalFlip(p)}, {@code ToTensor},
 * {@code Normalize(mean, std)} with one native allocation per batch.
 *
 * <p>Validation: with {@code val_fraction > 0} that fraction of the training split is held out (a
 * seeded {@code random_split}); with 0 the test split serves as validation set.
 */
final class ImageData {
    /** Mean and standard deviation of MNIST's training pixels in [0, 1]. */
    static final double MNIST_MEAN = 0.1307, MNIST_STD = 0.3081;

    private final RunConfig.Data cfg;
    private final long seed;
    private final Tensor trainImages, testImages;        // uint8 [N, 1, 28, 28]
    private final long[] trainLabels, testLabels;
    private final int[] trainIdx, valIdx, testIdx;       // image numbers of each split
    private final List<String> classes;
    private final CropFlipNormalize augment, plain;

    private ImageData(RunConfig.Data cfg, long seed) {
        this.cfg = cfg;
        this.seed = seed;
        IdxImageDataset train, test;
        double mean, std;
        if (cfg.dataset().equals("mnist")) {
            train = MNIST.builder().train(true).root(cfg.root()).build();
            test = MNIST.builder().train(false).root(cfg.root()).build();
            mean = MNIST_MEAN;
            std = MNIST_STD;
        } else {
            train = FashionMNIST.builder().train(true).root(cfg.root()).build();
            test = FashionMNIST.builder().train(false).root(cfg.root()).build();
            mean = FashionMNIST.MEAN;
            std = FashionMNIST.STD;
        }
        this.classes = train.classes();
        this.trainImages = Scope.outside(() -> train.images().unsqueeze(1));    // [N, 1, 28, 28], a view
        this.testImages = Scope.outside(() -> test.images().unsqueeze(1));
        this.trainLabels = train.labels().toLongArray();
        this.testLabels = test.labels().toLongArray();

        int n = cfg.trainSamples() == null ? trainLabels.length : Math.min(cfg.trainSamples(), trainLabels.length);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (cfg.valFraction() > 0) {
            int nVal = (int) Math.round(n * cfg.valFraction());
            if (nVal < 1 || nVal >= n)
                throw new ConfigException("data.val_fraction", "leaves " + (n - nVal) + " training and " + nVal + " validation samples of "
                        + n + "; both need at least one");
            long[] perm = Scope.compute(() -> Tensor.randperm(new Generator(seed), n).toLongArray());   // random_split's permutation
            this.trainIdx = new int[n - nVal];
            this.valIdx = new int[nVal];
            for (int i = 0; i < n - nVal; i++) trainIdx[i] = (int) perm[i];
            for (int i = 0; i < nVal; i++) valIdx[i] = (int) perm[n - nVal + i];
        } else {
            this.trainIdx = all;
            this.valIdx = null;
        }
        int nTest = cfg.testSamples() == null ? testLabels.length : Math.min(cfg.testSamples(), testLabels.length);
        this.testIdx = new int[nTest];
        for (int i = 0; i < nTest; i++) testIdx[i] = i;

        double[] m = {mean}, s = {std};
        this.augment = cfg.augment() ? new CropFlipNormalize(1, 28, 28, cfg.cropPadding(), cfg.hflip(), m, s) : null;
        this.plain = new CropFlipNormalize(1, 28, 28, 0, 0.0, m, s);
    }

    /** Decodes the splits {@code cfg} names; {@code seed} fixes the validation split and the shuffling. */
    static ImageData load(RunConfig.Data cfg, long seed) { return new ImageData(cfg, seed); }

    int numClasses() { return classes.size(); }

    int testSize() { return testIdx.length; }

    /** Shuffled, augmented when {@code augment}, batches of {@code batch_size} on {@code num_workers} threads. */
    DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> trainLoader() {
        return trainLoader(1, 0);
    }

    /**
     * The training loader of rank {@code rank} of {@code worldSize} data-parallel processes: with more
     * than one, its shard of a {@link DistributedSampler} order (shuffled with {@code seed}, reshuffled
     * per epoch, padded to equal shards) instead of the shuffled whole; {@code batch_size} is per rank.
     * The generator and seed stay, so each sample's augmentation is keyed by (seed, epoch, index) as in
     * one process.
     */
    DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> trainLoader(int worldSize, int rank) {
        CropFlipNormalize t = augment != null ? augment : plain;
        Dataset<Example<Placed, Long>> ds = new Split(trainIdx, trainLabels, augment);
        var b = DataLoader.builder(ds).batchSize(cfg.batchSize()).numWorkers(cfg.numWorkers())
                .generator(new Generator(seed)).seed(seed);
        if (worldSize > 1) b.sampler(new DistributedSampler(ds.size(), worldSize, rank, true, seed, false));
        else b.shuffle(true);
        return b.collateFn(t.<Long>collator(trainImages)).build();
    }

    /** The validation split in order (the test split when there is no held-out part). */
    DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> valLoader() {
        return valIdx == null ? testLoader() : evalLoader(valIdx, trainLabels, trainImages);
    }

    /** The test split in order, batches of {@code eval_batch_size}. */
    DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> testLoader() {
        return evalLoader(testIdx, testLabels, testImages);
    }

    private DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> evalLoader(int[] idx, long[] labels, Tensor images) {
        return DataLoader.builder((Dataset<Example<Placed, Long>>) new Split(idx, labels, null)).batchSize(cfg.evalBatchSize())
                .numWorkers(cfg.numWorkers()).collateFn(plain.<Long>collator(images)).build();
    }

    /** Samples of one split: image numbers, labels, and the augmentation's draws (none without one). */
    private record Split(int[] images, long[] labels, CropFlipNormalize augment) implements Dataset<Example<Placed, Long>> {
        private static final Placement NONE = new Placement(0, 0, false);

        @Override
        public Example<Placed, Long> get(int index) {
            int image = images[index];
            Placed p = augment != null ? augment.place(image, SampleRandom.current()) : new Placed(image, NONE);
            return new Example<>(p, labels[image]);
        }

        @Override public int size() { return images.length; }
    }
}
