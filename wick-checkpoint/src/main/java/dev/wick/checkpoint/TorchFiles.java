package dev.wick.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes PyTorch's checkpoint format, the files of {@code torch.save} / {@code torch.load}.
 *
 * <pre>{@code
 * Map<String, Object> ckpt = new LinkedHashMap<>();
 * ckpt.put("model", model.stateDict());          // Map<String, Tensor>
 * ckpt.put("epoch", 3);
 * TorchFiles.save(ckpt, Path.of("ckpt.pt"));      // Python: torch.load("ckpt.pt", weights_only=True)
 *
 * Map<?, ?> back = (Map<?, ?>) TorchFiles.load(Path.of("ckpt.pt"));
 * long epoch = (Long) back.get("epoch");
 * }</pre>
 *
 * <h2>Python values as Java values</h2>
 * <table>
 * <caption>Python values and their Java types</caption>
 *   <tr><th>Python</th><th>read as</th><th>written from</th></tr>
 *   <tr><td>dict</td><td>{@link java.util.LinkedHashMap} (file order)</td><td>any other {@link java.util.Map}</td></tr>
 *   <tr><td>collections.OrderedDict</td><td>{@link PyOrderedDict} (with its attributes, e.g. {@code _metadata})</td><td>{@link PyOrderedDict}</td></tr>
 *   <tr><td>list</td><td>{@link java.util.ArrayList}</td><td>any {@link java.util.List}</td></tr>
 *   <tr><td>tuple, torch.Size</td><td>{@link PyTuple}</td><td>{@link PyTuple}</td></tr>
 *   <tr><td>int</td><td>{@link Long}; {@link java.math.BigInteger} beyond 64 bits</td><td>Long, Integer, Short, Byte, BigInteger</td></tr>
 *   <tr><td>float</td><td>{@link Double}</td><td>Double, Float</td></tr>
 *   <tr><td>str / bool / None / bytes</td><td>String / Boolean / null / byte[]</td><td>the same</td></tr>
 *   <tr><td>torch.Tensor, nn.Parameter</td><td>{@code Tensor} (CPU; parameters keep requires_grad)</td><td>{@code Tensor}</td></tr>
 *   <tr><td>torch.float32, ...</td><td>{@code DType}</td><td>{@code DType}</td></tr>
 *   <tr><td>torch.device</td><td>String, e.g. {@code "cuda:0"}</td><td>(not written)</td></tr>
 * </table>
 *
 * <h2>Safety</h2>
 * {@link #load} never runs code from the file: the pickle is interpreted by a restricted reader that
 * accepts only the globals of PyTorch's {@code weights_only=True} allow-list and refuses any other by
 * name ({@code Refused global 'posix.system' (not in the weights_only allow-list)}). Sizes, offsets
 * and lengths are checked against the file before anything is allocated; see
 * {@link CheckpointFormatException}.
 *
 * <h2>Memory</h2>
 * Loaded tensors follow Wick's ownership rules: they belong to the {@code Scope} open on the calling
 * thread, or to the garbage collector when none is. Tensors that shared a storage in the file share
 * it again in memory. Each storage must be below 2 GiB.
 *
 * <h2>What is written</h2>
 * The zip layout of {@code torch.save} (PyTorch 1.6 and later): {@code archive/data.pkl} (pickle
 * protocol 2), {@code archive/byteorder} ({@code little}), {@code archive/data/<n>} per tensor
 * (64-byte aligned, uncompressed), {@code archive/version} ({@code 3}), plus
 * {@code archive/.wick/format_version} ({@code 1}), a record PyTorch ignores, so that a later Wick can
 * recognise files it must read differently. Files are written atomically ({@link AtomicFiles}).
 * Each distinct tensor object is written as its own storage: distinct Java tensors that view one
 * native storage are saved as separate copies.
 */
public final class TorchFiles {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TorchFiles() { }

    /** Writes {@code value} to {@code file} atomically, in {@code torch.save}'s format. */
    public static void save(Object value, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        save(value, file, WickTensors.INSTANCE, false);
    }

    static void save(Object value, Path file, TensorCodec codec, boolean forceZip64) throws IOException {
        TorchPickler pickler = new TorchPickler(codec);
        byte[] pickle = pickler.dump(value);
        List<TorchPickler.StorageOut> storages = new ArrayList<>(pickler.storages());
        storages.sort(Comparator.comparing(TorchPickler.StorageOut::key)); // torch.save orders keys as strings
        AtomicFiles.write(file, out -> write(out, pickle, storages, forceZip64));
    }

    private static void write(OutputStream out, byte[] pickle, List<TorchPickler.StorageOut> storages, boolean forceZip64) throws IOException {
        String dir = "archive/";
        ZipWriter zip = new ZipWriter(out, forceZip64);
        zip.add(dir + "data.pkl", pickle);
        zip.add(dir + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (TorchPickler.StorageOut s : storages) {
            byte[] bytes = s.source().bytes().get();
            zip.add(dir + "data/" + s.key(), bytes);
        }
        zip.add(dir + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.add(dir + TorchArchiveReader.WICK_VERSION_RECORD, (TorchArchiveReader.WICK_FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    /**
     * Reads a file written by {@code torch.save} (PyTorch 1.6 or later) or by {@link #save}, with the
     * safety of {@code torch.load(weights_only=True)}.
     *
     * @throws CheckpointFormatException the file is not such a file, is corrupt, or holds something
     *                                   the allow-list refuses
     */
    public static Object load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return load(file, WickTensors.INSTANCE);
    }

    static Object load(Path file, TensorCodec codec) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 4 && java.util.Arrays.equals(head, ZIP_MAGIC)) return TorchArchiveReader.read(file, codec);
        if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] <= 5)
            throw new CheckpointFormatException(file + ": this is PyTorch's legacy format (before 1.6, or saved with "
                    + "_use_new_zipfile_serialization=False), which is not supported; re-save it with torch.save in PyTorch 1.6 or later");
        throw new CheckpointFormatException(file + ": not a PyTorch checkpoint (a torch.save file is a zip archive starting with 'PK\\3\\4'; "
                + (n == 0 ? "the file is empty)" : "this one starts with bytes " + hex(head, n) + ")"));
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(String.format("%02x", b[i] & 0xFF));
        return sb.toString();
    }
}
