package dev.wick.checkpoint;

import dev.wick.internal.Json;
import dev.wick.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length {@code N}, {@code N}
 * bytes of JSON header, then the raw little-endian bytes of every tensor, back to back.
 *
 * <pre>{@code
 * SafeTensors.save(Map.of("w", w, "b", b), Map.of("format", "pt"), Path.of("model.safetensors"));
 * Map<String, Tensor> back = SafeTensors.load(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>The header maps each tensor name to {@code {"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}}
 * (offsets relative to the end of the header) and may hold {@code "__metadata__"}, a string-to-string
 * map. The reader enforces the reference implementation's rules: header length at most 100,000,000
 * bytes and inside the file; valid UTF-8 JSON object starting with an opening brace; known dtypes;
 * tensors, sorted by offsets, cover the data region exactly (no gap, no overlap, nothing after the
 * last one); each tensor's byte length equals {@code numel * itemsize} without overflow. Unlike the
 * reference it also rejects duplicate JSON keys, where the reference silently keeps one.
 *
 * <p>The writer lays tensors out as the reference does: by descending dtype alignment, then by name
 * (bytewise UTF-8), writes the header as compact JSON ({@code __metadata__} first, in the map's
 * iteration order, omitted when empty) and pads it with spaces to a multiple of 8 bytes, so every
 * tensor starts aligned. Files are written atomically ({@link AtomicFiles}). The format has no
 * version field; Wick adds none, to keep {@code __metadata__} the user's.
 *
 * <p>Loaded tensors are contiguous, each with its own memory, owned by the current {@code Scope}
 * (or the garbage collector). A tensor must be below 2 GiB.
 */
public final class SafeTensors {
    /** The reference implementation's bound on the header length. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final int MAX_JSON_DEPTH = 64;
    static final String METADATA_KEY = "__metadata__";
    /** Codes of the format that Wick has no dtype for. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            "U16", "U32", "U64", "C64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2");

    private SafeTensors() { }

    /** One tensor's header entry. */
    record Info(String name, ElementType type, long[] shape, long begin, long end) { }

    /** A parsed header: entries in file (offset) order, and the data region's start. */
    record Header(List<Info> tensors, Map<String, String> metadata, long dataStart) { }

    // ------------------------------------------------------------------ public API

    /** Writes {@code tensors} to {@code file} atomically, without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, null, file);
    }

    /**
     * Writes {@code tensors} and the string {@code metadata} (may be null or empty) to {@code file}
     * atomically. Tensors are written contiguous, from the CPU.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(file, "file");
        write(new LinkedHashMap<>(tensors), metadata, file, WickTensors.INSTANCE);
    }

    /** Reads every tensor of {@code file}, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, Object> raw = read(file, WickTensors.INSTANCE);
        Map<String, Tensor> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, (Tensor) v));
        return out;
    }

    /** The {@code __metadata__} of {@code file} (empty when absent); reads only the header. */
    public static Map<String, String> metadata(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file.toString()).metadata();
        }
    }

    // ------------------------------------------------------------------ writing

    static void write(Map<String, ?> tensors, Map<String, String> metadata, Path file, TensorCodec codec) throws IOException {
        List<Map.Entry<String, TensorCodec.Source>> items = new ArrayList<>();
        for (Map.Entry<String, ?> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("Tensor names must not be null");
            if (name.equals(METADATA_KEY)) throw new IllegalArgumentException("Tensor name '" + METADATA_KEY + "' is reserved for the metadata");
            checkText(name, "Tensor name");
            TensorCodec.Source src = e.getValue() == null ? null : codec.inspect(e.getValue());
            if (src == null) throw new IllegalArgumentException("Value of '" + name + "' is not a tensor: " + e.getValue());
            items.add(Map.entry(name, src));
        }
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("Metadata keys and values must not be null: " + e.getKey() + "=" + e.getValue());
                checkText(e.getKey(), "Metadata key");
                checkText(e.getValue(), "Metadata value of '" + e.getKey() + "'");
            }
        }
        byte[] header = header(items, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer n = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(n.array());
            out.write(header);
            for (Map.Entry<String, TensorCodec.Source> it : items) writeData(out, it.getValue());
        });
    }

    private static void writeData(OutputStream out, TensorCodec.Source s) throws IOException {
        out.write(s.bytes().get());
    }

    private static void checkText(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) { i++; continue; }
            if (Character.isSurrogate(c)) throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i + ": not valid UTF-8");
        }
    }

    /** Sorts {@code items} into the reference layout and returns the padded header bytes. */
    static byte[] header(List<Map.Entry<String, TensorCodec.Source>> items, Map<String, String> metadata) {
        items.sort(Comparator.<Map.Entry<String, TensorCodec.Source>>comparingInt(e -> -e.getValue().type().safetensorsRank)
                .thenComparing(Map.Entry::getKey, SafeTensors::compareUtf8));
        StringBuilder sb = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            sb.append(Json.quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            }
            sb.append('}');
            if (!items.isEmpty()) sb.append(',');
        }
        long offset = 0;
        for (int k = 0; k < items.size(); k++) {
            TensorCodec.Source s = items.get(k).getValue();
            long n = s.type().itemSize;
            for (long d : s.shape()) n = Math.multiplyExact(n, d);
            if (k > 0) sb.append(',');
            sb.append(Json.quote(items.get(k).getKey())).append(":{\"dtype\":\"").append(s.type().safetensorsCode).append("\",\"shape\":[");
            for (int d = 0; d < s.shape().length; d++) sb.append(d > 0 ? "," : "").append(s.shape()[d]);
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Orders strings by their UTF-8 bytes, as Rust's {@code String} does. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ reading

    static Map<String, Object> read(Path file, TensorCodec codec) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file.toString());
            Map<String, Object> out = new LinkedHashMap<>();
            boolean ok = false;
            try {
                for (Info t : h.tensors()) {
                    long n = t.end() - t.begin();
                    if (n > ZipReader.MAX_ENTRY_BYTES)
                        throw new CheckpointFormatException(file + ": tensor '" + t.name() + "' holds " + n + " bytes; at most " + ZipReader.MAX_ENTRY_BYTES + " are read per tensor");
                    ByteBuffer b = ByteBuffer.allocate((int) n);
                    long pos = h.dataStart() + t.begin();
                    while (b.hasRemaining()) {
                        int r = ch.read(b, pos);
                        if (r < 0) throw new CheckpointFormatException(file + ": file ended while reading tensor '" + t.name() + "'");
                        pos += r;
                    }
                    out.put(t.name(), codec.tensor(t.type(), b.array(), t.shape()));
                }
                ok = true;
                return out;
            } finally {
                if (!ok) for (Object t : out.values()) codec.free(t);
            }
        }
    }

    /** Reads and validates the header; reads nothing beyond it. */
    static Header readHeader(FileChannel ch, String source) throws IOException {
        long size = ch.size();
        if (size < 8) throw bad(source, "file is " + size + " bytes, too short for the 8-byte header length");
        ByteBuffer nb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, nb, 0, source);
        long n = nb.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES)
            throw bad(source, "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        if (n > size - 8)
            throw bad(source, "header length " + n + " runs past the end of the file (" + size + " bytes)");
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, source);
        hb.flip();
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw bad(source, "header is not valid UTF-8");
        }
        if (!json.startsWith("{")) throw bad(source, "header does not start with '{'");
        Object parsed;
        try {
            parsed = Json.parseStrict(json, MAX_JSON_DEPTH);
        } catch (IllegalArgumentException e) {
            throw bad(source, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> top)) throw bad(source, "header is not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Info> infos = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                if (e.getValue() == null) continue;   // JSON null
                if (!(e.getValue() instanceof Map<?, ?> m)) throw bad(source, METADATA_KEY + " must be an object of strings");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v))
                        throw bad(source, METADATA_KEY + " value of '" + me.getKey() + "' is not a string");
                    metadata.put((String) me.getKey(), v);
                }
                continue;
            }
            infos.add(info(name, e.getValue(), source));
        }
        infos.sort(Comparator.<Info>comparingLong(Info::begin).thenComparingLong(Info::end));
        long expect = 0;
        for (Info t : infos) {
            if (t.begin() != expect) {
                throw bad(source, "tensor '" + t.name() + "' has data_offsets [" + t.begin() + ", " + t.end() + "] but the previous tensor ends at "
                        + expect + (t.begin() < expect ? " (overlap)" : " (gap)"));
            }
            if (t.end() < t.begin()) throw bad(source, "tensor '" + t.name() + "' has data_offsets [" + t.begin() + ", " + t.end() + "] that end before they begin");
            long nbytes;
            try {
                nbytes = t.type().itemSize;
                for (long d : t.shape()) nbytes = Math.multiplyExact(nbytes, d);
            } catch (ArithmeticException x) {
                throw bad(source, "tensor '" + t.name() + "' has shape " + Arrays.toString(t.shape()) + ", whose byte size overflows 64 bits");
            }
            if (t.end() - t.begin() != nbytes)
                throw bad(source, "tensor '" + t.name() + "' of dtype " + t.type().safetensorsCode + " and shape " + Arrays.toString(t.shape())
                        + " needs " + nbytes + " bytes but its data_offsets span " + (t.end() - t.begin()));
            expect = t.end();
        }
        long dataStart = 8 + n;
        if (expect != size - dataStart)
            throw bad(source, "the tensors cover " + expect + " bytes of data but the file holds " + (size - dataStart)
                    + " after the header (truncated file or trailing bytes)");
        return new Header(Collections.unmodifiableList(infos), Collections.unmodifiableMap(metadata), dataStart);
    }

    private static Info info(String name, Object v, String source) throws CheckpointFormatException {
        if (!(v instanceof Map<?, ?> m)) throw bad(source, "entry '" + name + "' is not an object");
        if (!(m.get("dtype") instanceof String code)) throw bad(source, "tensor '" + name + "' has no string 'dtype'");
        ElementType type = ElementType.ofSafetensorsCode(code);
        if (type == null) {
            if (KNOWN_UNSUPPORTED.contains(code)) throw bad(source, "tensor '" + name + "' has dtype " + code + ", which Wick does not support");
            throw bad(source, "tensor '" + name + "' has unknown dtype '" + code + "'");
        }
        if (!(m.get("shape") instanceof List<?> shapeList)) throw bad(source, "tensor '" + name + "' has no 'shape' array");
        if (shapeList.size() > TorchArchiveReader.MAX_DIMS) throw bad(source, "tensor '" + name + "' has " + shapeList.size() + " dimensions (at most " + TorchArchiveReader.MAX_DIMS + ")");
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = u63(shapeList.get(i), "shape of '" + name + "'", source);
        if (!(m.get("data_offsets") instanceof List<?> off) || off.size() != 2)
            throw bad(source, "tensor '" + name + "' needs 'data_offsets' of two integers");
        return new Info(name, type, shape, u63(off.get(0), "data_offsets of '" + name + "'", source), u63(off.get(1), "data_offsets of '" + name + "'", source));
    }

    private static long u63(Object o, String what, String source) throws CheckpointFormatException {
        // Json reads an integer as a Long, and one beyond 2^63-1 as a Double
        if (o instanceof Double d && d >= 0x1p63) throw bad(source, what + " holds " + d + ", beyond 2^63-1");
        if (!(o instanceof Long v) || v < 0) throw bad(source, what + " must hold non-negative integers, found " + o);
        return v;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, String source) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw bad(source, "file ended early");
            pos += r;
        }
    }

    private static CheckpointFormatException bad(String source, String msg) {
        return new CheckpointFormatException(source + ": " + msg);
    }
}
