package dev.wick.vision;

import java.net.URI;
import java.util.List;

/**
 * MNIST handwritten digits: 70,000 grey-scale 28x28 images, 60,000 for training and 10,000 for
 * testing; torchvision's {@code MNIST}. Not bundled: give a {@code root} holding its IDX files (plain or
 * {@code .gz}), and {@code download(true)} to fetch them.
 *
 * <pre>{@code
 * var train = MNIST.builder().root(Path.of("data/mnist")).download(true).build();
 * }</pre>
 */
public final class MNIST extends IdxImageDataset {
    /** The mirrors torchvision 0.14 lists, PyTorch's S3 copy first (Yann LeCun's site is often unavailable). */
    public static final List<URI> MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    /** The four files with their MD5 checksums (torchvision's {@code MNIST.resources}). */
    public static final List<Download.Resource> RESOURCES = List.of(
            Download.Resource.of("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            Download.Resource.of("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
            Download.Resource.of("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            Download.Resource.of("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"));

    /** The class names, indexed by label (as torchvision's {@code MNIST.classes}). */
    public static final List<String> CLASSES = List.of(
            "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
            "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");

    private static final Spec SPEC = new Spec("MNIST", null, MIRRORS,
            RESOURCES.get(0), RESOURCES.get(1), RESOURCES.get(2), RESOURCES.get(3), CLASSES);

    private MNIST(Spec spec, Builder<MNIST> b) { super(spec, b); }

    /** Options; {@code root} is required. */
    public static Builder<MNIST> builder() { return new Builder<>(SPEC, MNIST::new); }
}
