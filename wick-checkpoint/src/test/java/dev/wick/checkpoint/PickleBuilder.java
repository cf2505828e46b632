package dev.wick.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hand-built pickles and torch.save-style archives, for files no honest writer produces. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder() {
        op(0x80).op(2);
    }

    PickleBuilder op(int b) { out.write(b); return this; }

    PickleBuilder raw(byte[] b) { out.writeBytes(b); return this; }

    PickleBuilder le32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        return this;
    }

    PickleBuilder le64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').le32(b.length).raw(b);
    }

    PickleBuilder global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    PickleBuilder intOp(long v) {
        if (v >= 0 && v < 256) return op('K').op((int) v);
        return op('J').le32(v);
    }

    PickleBuilder mark() { return op('('); }

    PickleBuilder tuple() { return op('t'); }

    /** Pushes {@code _rebuild_tensor_v2(('storage', torch.<storageClass>, key, 'cpu', numel), offset, size, stride, False, None)}. */
    PickleBuilder tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageClass).str(key).str("cpu");
        bigInt(numel);
        tuple().op('Q');
        bigInt(offset);
        mark();
        for (long s : size) bigInt(s);
        tuple().mark();
        for (long s : stride) bigInt(s);
        tuple().op(0x89).op('N').tuple().op('R');
        return this;
    }

    /** LONG1 of any 64-bit value. */
    PickleBuilder bigInt(long v) {
        op(0x8a).op(8);
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        return this;
    }

    byte[] stop() {
        op('.');
        return out.toByteArray();
    }

    /** Writes a torch.save-style archive holding {@code pickle} and the given storages. */
    static void archive(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((k, v) -> entries.put("archive/data/" + k, v));
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip(file, entries);
    }

    static void zip(Path file, Map<String, byte[]> entries) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipWriter z = new ZipWriter(out);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) z.add(e.getKey(), e.getValue());
            z.finish();
        });
    }
}
