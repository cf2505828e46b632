package dev.wick.vision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Images in one sub-folder per class, as torchvision's {@code ImageFolder}.
 *
 * <pre>{@code
 * // root/cat/1.png, root/cat/more/2.jpg, root/dog/a.png ...
 * var ds = new ImageFolder(Path.of("root"), x -> Resize.of(64).apply(x));
 * ds.classes();                       // [cat, dog]
 * Example<Tensor, Long> ex = ds.get(0);   // float32 [3, H, W] in [0, 1], then the transform; label 0
 * }</pre>
 *
 * <p>As torchvision: the classes are the names of {@code root}'s sub-folders (links followed, hidden
 * ones included), sorted; class {@code i} is the {@code i}-th. The samples are, class by class, every
 * file under the class folder (searched recursively, links followed) whose name ends, ignoring case, in
 * one of the {@link #IMG_EXTENSIONS}, ordered by folder path then file name; strings compare by code
 * point, as Python sorts them. A class folder with no image is an error, as is a root with no class
 * folder.
 *
 * <p>{@link #get(int)} decodes the file into uint8 {@code [3, H, W]} RGB ({@link Images#readRGB}, as
 * torchvision's {@code pil_loader}), scales it to float32 in [0, 1] (as {@code ToTensor}) and applies
 * the transform. With {@code Builder.toTensor(false)} the transform receives the uint8 tensor. Files
 * are read on every call; the list of files is fixed at construction.
 */
public final class ImageFolder implements Dataset<Example<Tensor, Long>> {
    /**
     * The extensions recognised by default: torchvision's {@code IMG_EXTENSIONS} less {@code .ppm},
     * {@code .pgm} and {@code .webp}, which {@code javax.imageio} cannot decode.
     */
    public static final List<String> IMG_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff");

    /** One file and its class index. */
    public record Sample(Path path, int classIndex) {}

    private final Path root;
    private final List<String> classes;
    private final Map<String, Integer> classToIdx;
    private final List<Sample> samples;
    private final boolean toTensor;
    private final Function<? super Tensor, ? extends Tensor> transform;
    private final Function<? super Long, ? extends Long> targetTransform;

    /** The images under {@code root}, as float32 {@code [3, H, W]} in [0, 1]. */
    public ImageFolder(Path root) { this(builder(root)); }

    /** The images under {@code root}, as float32 {@code [3, H, W]} in [0, 1], then {@code transform}. */
    public ImageFolder(Path root, Function<? super Tensor, ? extends Tensor> transform) { this(builder(root).transform(transform)); }

    private ImageFolder(Builder b) {
        this.root = b.root;
        this.toTensor = b.toTensor;
        this.transform = b.transform;
        this.targetTransform = b.targetTransform;
        try {
            this.classes = findClasses(root);
            Map<String, Integer> m = new LinkedHashMap<>();
            for (int i = 0; i < classes.size(); i++) m.put(classes.get(i), i);
            this.classToIdx = Collections.unmodifiableMap(m);
            this.samples = List.copyOf(makeDataset(root, classes, b.isValidFile, b.extensionsText));
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder " + root + ": " + e.getMessage(), e);
        }
    }

    /** Options beyond the transform: target transform, file filter, uint8 output. */
    public static Builder builder(Path root) { return new Builder(root); }

    /** The sorted class names. */
    public List<String> classes() { return classes; }

    /** Class name to index. */
    public Map<String, Integer> classToIdx() { return classToIdx; }

    /** Every sample, in order. */
    public List<Sample> samples() { return samples; }

    /** The class index of every sample, in order. */
    public List<Integer> targets() { return samples.stream().map(Sample::classIndex).toList(); }

    /** The folder the classes are in. */
    public Path root() { return root; }

    @Override public int size() { return samples.size(); }

    @Override
    public Example<Tensor, Long> get(int index) {
        Objects.checkIndex(index, samples.size());
        Sample s = samples.get(index);
        Tensor x = Results.keep(() -> {
            Tensor img;
            try {
                img = Images.readRGB(s.path());                       // uint8 [3, H, W]
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            if (toTensor) img = img.to(DType.FLOAT32).div_(255.0);    // float32 [3, H, W] in [0, 1]
            return transform == null ? img : transform.apply(img);
        });
        Long y = (long) s.classIndex();
        return new Example<>(x, targetTransform == null ? y : targetTransform.apply(y));
    }

    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + classes.size() + " classes, " + samples.size() + " images)";
    }

    // ------------------------------------------------------------------ torchvision's find_classes / make_dataset

    /** Python's default string order: by code point (Java's {@code compareTo} goes by UTF-16 unit). */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static List<String> findClasses(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("root folder does not exist or is not a folder");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) if (Files.isDirectory(p)) names.add(p.getFileName().toString());
        }
        if (names.isEmpty()) throw new IOException("found no class folder in " + root);
        names.sort(CODE_POINT_ORDER);
        return List.copyOf(names);
    }

    private static List<Sample> makeDataset(Path root, List<String> classes, Predicate<Path> valid, String extensionsText) throws IOException {
        List<Sample> out = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path dir = root.resolve(classes.get(c));
            // os.walk's (folder, files) pairs sorted by folder path, then files by name
            TreeMap<String, List<String>> byFolder = new TreeMap<>(CODE_POINT_ORDER);
            try (Stream<Path> walk = Files.walk(dir, Integer.MAX_VALUE, FileVisitOption.FOLLOW_LINKS)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isDirectory(p)) continue;
                    byFolder.computeIfAbsent(p.getParent().toString(), k -> new ArrayList<>()).add(p.getFileName().toString());
                }
            }
            int before = out.size();
            for (Map.Entry<String, List<String>> e : byFolder.entrySet()) {
                List<String> files = e.getValue();
                files.sort(CODE_POINT_ORDER);
                for (String f : files) {
                    Path p = Path.of(e.getKey(), f);
                    if (valid.test(p)) out.add(new Sample(p, c));
                }
            }
            if (out.size() == before) empty.add(classes.get(c));
        }
        if (!empty.isEmpty()) {
            throw new IOException("found no valid file for the classes " + String.join(", ", empty)
                    + (extensionsText != null ? ". Supported extensions are: " + extensionsText : ""));
        }
        return out;
    }

    /** Options of an {@link ImageFolder}. */
    public static final class Builder {
        private final Path root;
        private boolean toTensor = true;
        private Function<? super Tensor, ? extends Tensor> transform;
        private Function<? super Long, ? extends Long> targetTransform;
        private Predicate<Path> isValidFile = hasExtension(IMG_EXTENSIONS);
        private String extensionsText = String.join(", ", IMG_EXTENSIONS);

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** Applied to each image by {@code get}. */
        public Builder transform(Function<? super Tensor, ? extends Tensor> transform) { this.transform = transform; return this; }

        /** Applied to each class index by {@code get}. */
        public Builder targetTransform(Function<? super Long, ? extends Long> targetTransform) { this.targetTransform = targetTransform; return this; }

        /** Whether {@code get} scales the decoded uint8 image to float32 in [0, 1] before the transform (default true). */
        public Builder toTensor(boolean toTensor) { this.toTensor = toTensor; return this; }

        /** Which files count as images, by extension, case ignored (default {@link #IMG_EXTENSIONS}). */
        public Builder extensions(String... extensions) {
            if (extensions.length == 0) throw new IllegalArgumentException("extensions: need at least one, e.g. \".png\"");
            for (String e : extensions)
                if (e == null || e.isEmpty()) throw new IllegalArgumentException("Invalid extension: '" + e + "'");
            List<String> ext = List.of(extensions);
            this.isValidFile = hasExtension(ext);
            this.extensionsText = String.join(", ", ext);
            return this;
        }

        /** Which files count as images, decided by a predicate (torchvision's {@code is_valid_file}); replaces the extension filter. */
        public Builder isValidFile(Predicate<Path> isValidFile) {
            this.isValidFile = Objects.requireNonNull(isValidFile, "isValidFile");
            this.extensionsText = null;
            return this;
        }

        /** Lists the classes and files. */
        public ImageFolder build() { return new ImageFolder(this); }

        private static Predicate<Path> hasExtension(List<String> extensions) {
            Set<String> lower = Set.copyOf(extensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList());
            return p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                for (String e : lower) if (n.endsWith(e)) return true;
                return false;
            };
        }
    }
}
