package dev.wick.checkpoint;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pickles Java values the way {@code torch.save} pickles their Python counterparts: protocol 2,
 * every str, container and global memoized (BINPUT) on first use, dict items and list elements in
 * batches of 1000, bytes as {@code _codecs.encode(str, 'latin1')}, and each tensor as
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())}
 * whose storage is a persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}.
 *
 * <p>Each distinct tensor object gets its own storage holding its contiguous bytes (offset 0,
 * contiguous strides); the same object reached twice is written once and shared on load.
 */
final class TorchPickler {
    static final int MAX_DEPTH = 1_000;
    private static final int BATCH = 1000;

    /** A storage to write as {@code data/<key>}. */
    record StorageOut(String key, TensorCodec.Source source) { }

    private final TensorCodec codec;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
    private final HashMap<String, Integer> stringMemo = new HashMap<>();
    private final HashMap<String, Integer> globalMemo = new HashMap<>();
    private final IdentityHashMap<Object, Boolean> inProgress = new IdentityHashMap<>();
    private final List<StorageOut> storages = new ArrayList<>();
    private final List<String> path = new ArrayList<>();
    private int memoSize;

    TorchPickler(TensorCodec codec) {
        this.codec = codec;
    }

    /** Pickles {@code value}; the storages it refers to are then in {@link #storages()}. */
    byte[] dump(Object value) {
        out.write(0x80);
        out.write(2);
        save(value);
        out.write('.');
        return out.toByteArray();
    }

    List<StorageOut> storages() { return storages; }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("Cannot save the value at " + where() + ": " + what);
    }

    private String where() {
        return path.isEmpty() ? "the top level" : "root" + String.join("", path);
    }

    private void save(Object o) {
        if (o == null) { out.write('N'); return; }
        if (o instanceof Boolean b) { out.write(b ? 0x88 : 0x89); return; }
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) { saveInt(((Number) o).longValue()); return; }
        if (o instanceof BigInteger b) { saveBig(b); return; }
        if (o instanceof Double || o instanceof Float) { saveFloat(((Number) o).doubleValue()); return; }
        if (o instanceof String s) { saveString(s); return; }
        if (inProgress.containsKey(o)) throw unsupported("it contains itself; recursive structures cannot be saved");
        if (getMemo(o)) return;
        if (path.size() >= MAX_DEPTH) throw unsupported("containers nest deeper than " + MAX_DEPTH + " levels");
        if (o instanceof byte[] b) { saveBytes(b); return; }
        TensorCodec.Source t = codec.inspect(o);
        if (t != null) { saveTensor(o, t); return; }
        ElementType dt = codec.dtypeOf(o);
        if (dt != null) { saveGlobal("torch", dt.torchName); return; }
        inProgress.put(o, Boolean.TRUE);
        try {
            if (o instanceof PyTuple t2) saveTuple(t2);
            else if (o instanceof PyOrderedDict d) saveOrderedDict(d);
            else if (o instanceof Map<?, ?> m) { out.write('}'); memoize(o); saveItems(m); }
            else if (o instanceof List<?> l) saveList(l);
            else throw unsupported("type " + o.getClass().getName() + " is not supported (use Map, List, PyTuple, Long, Double, String, Boolean, null, byte[] or Tensor)");
        } finally {
            inProgress.remove(o);
        }
    }

    private void saveInt(long v) {
        if (v >= 0 && v < 0x100) { out.write('K'); out.write((int) v); }
        else if (v >= 0 && v < 0x10000) { out.write('M'); out.write((int) v & 0xFF); out.write((int) (v >>> 8) & 0xFF); }
        else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) { out.write('J'); le32((int) v); }
        else saveBig(BigInteger.valueOf(v));
    }

    private void saveBig(BigInteger b) {
        if (b.bitLength() < 32) { saveInt(b.longValue()); return; }
        byte[] be = b.toByteArray(); // two's complement, big-endian, minimal
        if (be.length < 256) { out.write(0x8a); out.write(be.length); }
        else { out.write(0x8b); le32(be.length); }
        for (int i = be.length - 1; i >= 0; i--) out.write(be[i]);
    }

    private void saveFloat(double d) {
        out.write('G');
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)) & 0xFF);
    }

    private void saveString(String s) {
        Integer m = stringMemo.get(s);
        if (m != null) { get(m); return; }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) { i++; continue; }
            if (Character.isSurrogate(c)) throw unsupported("string has an unpaired surrogate at index " + i);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        le32(b.length);
        out.writeBytes(b);
        stringMemo.put(s, memoSize);
        put();
    }

    private void saveBytes(byte[] b) {
        // Protocol 2 has no bytes opcode; Python writes _codecs.encode(<latin-1 str>, 'latin1').
        saveGlobal("_codecs", "encode");
        char[] chars = new char[b.length];
        for (int i = 0; i < b.length; i++) chars[i] = (char) (b[i] & 0xFF);
        saveString(new String(chars));
        saveString("latin1");
        out.write(0x86);
        put();
        out.write('R');
        memoize(b);
    }

    private void saveTuple(PyTuple t) {
        int n = t.size();
        if (n == 0) { out.write(')'); return; }
        if (n > 3) out.write('(');
        for (int i = 0; i < n; i++) {
            path.add("(" + i + ")");
            save(t.get(i));
            path.remove(path.size() - 1);
        }
        if (n <= 3) out.write(0x84 + n); else out.write('t');
        memoize(t);
    }

    private void saveList(List<?> l) {
        out.write(']');
        memoize(l);
        Iterator<?> it = new ArrayList<>(l).iterator();
        int i = 0;
        while (it.hasNext()) {
            List<Object> batch = new ArrayList<>();
            while (it.hasNext() && batch.size() < BATCH) batch.add(it.next());
            if (batch.size() > 1) out.write('(');
            for (Object x : batch) {
                path.add("[" + i++ + "]");
                save(x);
                path.remove(path.size() - 1);
            }
            out.write(batch.size() > 1 ? 'e' : 'a');
        }
    }

    private void saveOrderedDict(PyOrderedDict d) {
        saveGlobal("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        memoize(d);
        saveItems(d);
        if (!d.attributes().isEmpty()) {
            path.add(".__dict__");
            // Python pickles the instance __dict__ as a plain dict, then BUILD sets it.
            save(new java.util.LinkedHashMap<Object, Object>(d.attributes()));
            path.remove(path.size() - 1);
            out.write('b');
        }
    }

    private void saveItems(Map<?, ?> m) {
        Iterator<? extends Map.Entry<?, ?>> it = new ArrayList<Map.Entry<?, ?>>(m.entrySet()).iterator();
        while (it.hasNext()) {
            List<Map.Entry<?, ?>> batch = new ArrayList<>();
            while (it.hasNext() && batch.size() < BATCH) batch.add(it.next());
            if (batch.size() > 1) out.write('(');
            for (Map.Entry<?, ?> e : batch) {
                Object k = e.getKey();
                checkKey(k);
                path.add("[" + keyText(k) + "]");
                save(k);
                save(e.getValue());
                path.remove(path.size() - 1);
            }
            out.write(batch.size() > 1 ? 'u' : 's');
        }
    }

    private void checkKey(Object k) {
        if (k == null || k instanceof String || k instanceof Number || k instanceof Boolean || k instanceof PyTuple
                || codec.inspect(k) != null || codec.dtypeOf(k) != null) return;
        throw unsupported("a dict key of type " + k.getClass().getName() + " is not hashable in Python");
    }

    private static String keyText(Object k) {
        if (k instanceof String s) return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        if (k instanceof Number || k instanceof Boolean || k == null) return String.valueOf(k);
        return k.getClass().getSimpleName();
    }

    private void saveTensor(Object tensor, TensorCodec.Source t) {
        long numel = 1;
        for (long s : t.shape()) numel = Math.multiplyExact(numel, s);
        String key = Integer.toString(storages.size());
        storages.add(new StorageOut(key, t));

        saveGlobal("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        // persistent id ('storage', torch.<X>Storage, key, location, numel)
        out.write('(');
        saveString("storage");
        saveGlobal("torch", t.type().storageClass);
        saveString(key);
        saveString(t.location());
        saveInt(numel);
        out.write('t');
        put();
        out.write('Q');
        saveInt(0);
        long[] shape = t.shape();
        long[] stride = contiguousStrides(shape);
        saveLongTuple(shape);
        saveLongTuple(stride);
        out.write(t.requiresGrad() ? 0x88 : 0x89);
        saveGlobal("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        put();
        out.write('t');
        put();
        out.write('R');
        memoize(tensor);
    }

    /** PyTorch's contiguous strides: a dimension of size 0 or 1 counts as 1. */
    static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return stride;
    }

    private void saveLongTuple(long[] v) {
        if (v.length == 0) { out.write(')'); return; }
        if (v.length > 3) out.write('(');
        for (long x : v) saveInt(x);
        if (v.length <= 3) out.write(0x84 + v.length); else out.write('t');
        put();
    }

    private void saveGlobal(String module, String name) {
        String q = module + "\n" + name + "\n";
        Integer m = globalMemo.get(q);
        if (m != null) { get(m); return; }
        out.write('c');
        out.writeBytes(q.getBytes(StandardCharsets.UTF_8));
        globalMemo.put(q, memoSize);
        put();
    }

    private boolean getMemo(Object o) {
        Integer m = memo.get(o);
        if (m == null) return false;
        get(m);
        return true;
    }

    private void memoize(Object o) {
        memo.put(o, memoSize);
        put();
    }

    /** Stores the stack top in the next memo slot. */
    private void put() {
        int i = memoSize++;
        if (i < 256) { out.write('q'); out.write(i); }
        else { out.write('r'); le32(i); }
    }

    private void get(int i) {
        if (i < 256) { out.write('h'); out.write(i); }
        else { out.write('j'); le32(i); }
    }

    private void le32(int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
        out.write((v >>> 16) & 0xFF);
        out.write((v >>> 24) & 0xFF);
    }
}
