package dev.wick.vision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * An image-classification data set stored as two IDX files, images and labels: the MNIST family.
 * {@link MNIST} and {@link FashionMNIST} are the two built in.
 *
 * <pre>{@code
 * FashionMNIST train = FashionMNIST.builder().train(true).build();   // the bundled copy
 * Example<Tensor, Long> ex = train.get(0);                          // float32 [1, 28, 28] in [0, 1], label 9
 * Tensor all = train.images();                                      // uint8 [60000, 28, 28], decoded once
 * Tensor x = all.unsqueeze(1).toFloat().div_(255.0)                 // the whole set normalised at once:
 *         .sub_(FashionMNIST.MEAN).div_(FashionMNIST.STD);          // float32 [60000, 1, 28, 28]
 * }</pre>
 *
 * <p>The whole split is decoded once, at {@code build()}, into one uint8 tensor {@code [N, H, W]}
 * ({@link #images()}) and one int64 tensor {@code [N]} ({@link #labels()}), both owned by the garbage
 * collector. {@link #get(int)} returns the image as float32 {@code [1, H, W]} scaled to [0, 1] (what
 * torchvision's {@code ToTensor} makes of the PIL image), then applies the transform; the target is
 * the label, then the target transform. {@code get} is safe to call from several threads.
 */
public abstract sealed class IdxImageDataset implements Dataset<Example<Tensor, Long>> permits MNIST, FashionMNIST {
    private final String name;
    private final boolean train;
    private final Tensor images;    // uint8 [N, H, W]
    private final Tensor labels;    // int64 [N]
    private final long[] labelArray;
    private final List<String> classes;
    private final Function<? super Tensor, ? extends Tensor> transform;
    private final Function<? super Long, ? extends Long> targetTransform;

    /** What a data set of this family is: its name, files, checksums, mirrors and classes. */
    record Spec(String name, String bundledFolder, List<URI> mirrors,
                          Download.Resource trainImages, Download.Resource trainLabels,
                          Download.Resource testImages, Download.Resource testLabels,
                          List<String> classes) {}

    IdxImageDataset(Spec spec, Builder<?> b) {
        this.name = spec.name();
        this.train = b.train;
        this.classes = spec.classes();
        this.transform = b.transform;
        this.targetTransform = b.targetTransform;
        Download.Resource imgRes = b.train ? spec.trainImages() : spec.testImages();
        Download.Resource lblRes = b.train ? spec.trainLabels() : spec.testLabels();
        String split = spec.name() + (b.train ? " train" : " test");
        Tensor[] loaded = Scope.outside(() -> {
            try {
                if (b.download) {
                    fetchUnlessPlain(imgRes, b);
                    fetchUnlessPlain(lblRes, b);
                }
                return new Tensor[]{load(spec, b, imgRes), load(spec, b, lblRes)};
            } catch (IOException e) {
                throw new UncheckedIOException(split + ": " + e.getMessage(), e);
            }
        });
        Tensor img = loaded[0], lbl = loaded[1];
        if (img.dtype() != DType.UINT8 || img.dim() != 3)
            throw new IllegalStateException(split + ": images must be uint8 [N, H, W], got " + img.dtype() + " " + Arrays.toString(img.shape()));
        if (lbl.dtype() != DType.UINT8 || lbl.dim() != 1)
            throw new IllegalStateException(split + ": labels must be uint8 [N], got " + lbl.dtype() + " " + Arrays.toString(lbl.shape()));
        if (img.size(0) != lbl.size(0))
            throw new IllegalStateException(split + ": " + img.size(0) + " images but " + lbl.size(0) + " labels");
        this.images = img;
        this.labels = Scope.outside(() -> lbl.to(DType.INT64));
        this.labelArray = labels.toLongArray();
        for (int i = 0; i < labelArray.length; i++)
            if (labelArray[i] >= classes.size())
                throw new IllegalStateException(split + ": label " + labelArray[i] + " of example " + i + " is outside 0.." + (classes.size() - 1));
    }

    private static String plainName(Download.Resource res) {
        String gz = res.fileName();
        return gz.endsWith(".gz") ? gz.substring(0, gz.length() - 3) : gz;
    }

    /** A decompressed file already in root is used as it is (it has no published checksum), as torchvision does. */
    private static void fetchUnlessPlain(Download.Resource res, Builder<?> b) throws IOException {
        if (!Files.isRegularFile(b.root.resolve(plainName(res)))) Download.fetch(res, b.mirrors, b.root);
    }

    private static Tensor load(Spec spec, Builder<?> b, Download.Resource res) throws IOException {
        String gz = res.fileName();
        String plain = plainName(res);
        if (b.root == null) {
            String path = spec.bundledFolder() + gz;
            try (InputStream in = IdxImageDataset.class.getResourceAsStream(path)) {
                if (in == null) throw new IOException("bundled file " + path + " is missing from the classpath");
                return Idx.read(in, gz);
            }
        }
        Path p = b.root.resolve(plain);
        if (Files.isRegularFile(p)) return Idx.read(p);
        p = b.root.resolve(gz);
        if (Files.isRegularFile(p)) return Idx.read(p);
        throw new IOException("neither " + plain + " nor " + gz + " is in " + b.root
                + "; set download(true) to fetch them from " + b.mirrors.get(0)
                + (spec.bundledFolder() != null ? ", or leave root unset to read the bundled copy" : ""));
    }

    /** The data set's name, e.g. {@code "FashionMNIST"}. */
    public String name() { return name; }

    /** True for the training split, false for the test split. */
    public boolean train() { return train; }

    /** Every image of the split, uint8 {@code [N, H, W]}. Shared: do not modify or close it. */
    public Tensor images() { return images; }

    /** Every label of the split, int64 {@code [N]}. Shared: do not modify or close it. */
    public Tensor labels() { return labels; }

    /** The class names, indexed by label. */
    public List<String> classes() { return classes; }

    /** Class name to label. */
    public Map<String, Integer> classToIdx() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) m.put(classes.get(i), i);
        return m;
    }

    @Override public int size() { return labelArray.length; }

    /** Image {@code index} as float32 {@code [1, H, W]} in [0, 1] then the transform; its label then the target transform. */
    @Override
    public Example<Tensor, Long> get(int index) {
        Objects.checkIndex(index, labelArray.length);
        Tensor x = Results.keep(() -> {
            Tensor img = images.get(index).unsqueeze(0).to(DType.FLOAT32).div_(255.0);   // [1, H, W]
            return transform == null ? img : transform.apply(img);
        });
        Long y = labelArray[index];
        return new Example<>(x, targetTransform == null ? y : targetTransform.apply(y));
    }

    @Override
    public String toString() {
        return name + "(" + (train ? "train" : "test") + ", " + size() + " examples, images " + Arrays.toString(images.shape()) + ")";
    }

    /**
     * Options of an MNIST-family data set. {@code root} unset reads the copy bundled in the jar (where
     * there is one); set, it reads {@code <root>/<name>} or {@code <root>/<name>.gz} for each file.
     * {@code download(true)} first fetches each {@code .gz} file into {@code root}, from the mirrors in
     * order, unless it is already there with a valid checksum or its decompressed file is there.
     */
    public static final class Builder<D extends IdxImageDataset> {
        private final Spec spec;
        private final java.util.function.BiFunction<Spec, Builder<D>, D> factory;
        private boolean train = true;
        private Path root;
        private boolean download;
        private List<URI> mirrors;
        private Function<? super Tensor, ? extends Tensor> transform;
        private Function<? super Long, ? extends Long> targetTransform;

        Builder(Spec spec, java.util.function.BiFunction<Spec, Builder<D>, D> factory) {
            this.spec = spec;
            this.factory = factory;
            this.mirrors = spec.mirrors();
        }

        /** The training split (true, the default) or the test split. */
        public Builder<D> train(boolean train) { this.train = train; return this; }

        /** The folder holding the IDX files, or null for the bundled copy (the default). */
        public Builder<D> root(Path root) { this.root = root; return this; }

        /** Whether to download missing or invalid files into {@code root} first (default false). */
        public Builder<D> download(boolean download) { this.download = download; return this; }

        /** Base URLs to download from, tried in order (default: the data set's canonical mirrors). */
        public Builder<D> mirrors(List<URI> mirrors) {
            if (mirrors == null || mirrors.isEmpty()) throw new IllegalArgumentException("Invalid mirrors: " + mirrors + " (need at least one base URL)");
            this.mirrors = List.copyOf(mirrors);
            return this;
        }

        /** Applied to each image tensor (float32 {@code [1, H, W]} in [0, 1]) by {@code get}. */
        public Builder<D> transform(Function<? super Tensor, ? extends Tensor> transform) { this.transform = transform; return this; }

        /** Applied to each label by {@code get}. */
        public Builder<D> targetTransform(Function<? super Long, ? extends Long> targetTransform) { this.targetTransform = targetTransform; return this; }

        /** Decodes the split (downloading first when asked). */
        public D build() {
            if (root == null && download)
                throw new IllegalArgumentException("download(true) needs root(...): the folder to download " + spec.name() + " into");
            if (root == null && spec.bundledFolder() == null)
                throw new IllegalArgumentException(spec.name() + " is not bundled: set root(...) to a folder with its IDX files (and download(true) to fetch them)");
            return factory.apply(spec, this);
        }
    }
}
