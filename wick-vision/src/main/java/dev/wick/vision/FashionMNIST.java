package dev.wick.vision;

import java.net.URI;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 70,000 grey-scale 28x28 images of 10 kinds of
 * clothing, 60,000 for training and 10,000 for testing; torchvision's {@code FashionMNIST}.
 *
 * <pre>{@code
 * var train = FashionMNIST.builder().train(true).build();               // the copy bundled in the jar
 * var test = FashionMNIST.builder().train(false)
 *         .root(Path.of("/usr/share/datasets/fashion-mnist"))         // Debian's dataset-fashion-mnist
 *         .transform(x -> x.sub(FashionMNIST.MEAN).div(FashionMNIST.STD))
 *         .build();
 * var fresh = FashionMNIST.builder().root(Path.of("data")).download(true).build();
 * }</pre>
 *
 * <p>The four gzipped IDX files ship in the jar, under {@code dev/wick/vision/fashion-mnist/} with
 * their licence, so the default works without a network. See {@link IdxImageDataset} for what
 * {@code get} returns and for {@link #images()}/{@link #labels()}, and {@link IdxImageDataset.Builder}
 * for the options.
 */
public final class FashionMNIST extends IdxImageDataset {
    /**
     * The canonical mirrors: Zalando's S3 site listed in Fashion-MNIST's README (the one torchvision
     * uses), then the files in the project's GitHub repository ({@code data/fashion}).
     */
    public static final List<URI> MIRRORS = List.of(
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            URI.create("https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/"));

    /**
     * The four files with their accepted MD5 checksums.
     *
     * <p>NOTE [two checksums]: the first checksum of each file is the official one (Fashion-MNIST's
     * README, torchvision's {@code FashionMNIST.resources}). The second is that of the copy in Debian's
     * {@code dataset-fashion-mnist} package, which is also the copy bundled in this jar: Debian rewrote
     * the gzip header without the stored file name, so every file is shorter by exactly the length of
     * that name plus one zero byte and its MD5 differs, while the compressed data has the upstream length.
     * Accepting both lets {@code download(true)} keep a Debian or bundled copy instead of fetching it
     * again.
     */
    public static final List<Download.Resource> RESOURCES = List.of(
            Download.Resource.of("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "cf8536b0aa1a6ac5fa3f23001093305c"),
            Download.Resource.of("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "10bea18fdb374794d4bb42e356e600c9"),
            Download.Resource.of("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "f78720b4224f21cce2f2ccf2d7a94c9a"),
            Download.Resource.of("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "0d30e22e447f3c33dab9ed536400ac01"));

    /** The class names, indexed by label (as torchvision's {@code FashionMNIST.classes}). */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Mean pixel value of the training images scaled to [0, 1] (0.2860406). */
    public static final double MEAN = 0.2860;
    /** Standard deviation of the training pixels scaled to [0, 1] (0.3530242). */
    public static final double STD = 0.3530;

    /** Where the bundled copy lives on the classpath. */
    public static final String BUNDLED_FOLDER = "/dev/wick/vision/fashion-mnist/";

    private static final Spec SPEC = new Spec("FashionMNIST", BUNDLED_FOLDER, MIRRORS,
            RESOURCES.get(0), RESOURCES.get(1), RESOURCES.get(2), RESOURCES.get(3), CLASSES);

    private FashionMNIST(Spec spec, Builder<FashionMNIST> b) { super(spec, b); }

    /** Options, defaulting to the bundled training split with no transforms. */
    public static Builder<FashionMNIST> builder() { return new Builder<>(SPEC, FashionMNIST::new); }
}
