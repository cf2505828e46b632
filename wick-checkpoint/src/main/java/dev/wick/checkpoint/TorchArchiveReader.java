package dev.wick.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what {@code torch.save} writes: a zip archive {@code <name>/data.pkl} (a protocol-2 pickle),
 * one {@code <name>/data/<key>} entry per storage, {@code <name>/version} and, since PyTorch 2.1,
 * {@code <name>/byteorder}.
 *
 * <p>The pickle goes through {@link PickleReader} with the allow-list below, which mirrors PyTorch's
 * own {@code weights_only=True} loader: containers and primitives, {@code collections.OrderedDict},
 * the tensor and parameter rebuild functions, the typed storage classes, dtypes, {@code torch.Size},
 * {@code torch.device} and {@code _codecs.encode} (how protocol 2 spells bytes). Anything else is
 * refused by name. Sparse, quantized, complex and meta tensors are in PyTorch's list but have no Wick
 * counterpart, so they are refused with that reason.
 *
 * <p>NOTE [storage sharing]: every storage entry is read once, into one 1-D tensor, and each pickled
 * tensor becomes an {@code as_strided} view of it, so tensors that shared a storage when saved share
 * it again after loading (e.g. {@code x} and {@code x[2:5]}). The 1-D storage tensors are freed at the
 * end; the views keep the memory alive.
 */
final class TorchArchiveReader {
    /** Tensors may have at most this many dimensions (libtorch's own practical limit is lower). */
    static final int MAX_DIMS = 64;
    /** A view may address more elements than its storage holds (stride 0, overlaps) only up to this. */
    static final long MAX_VIEW_ELEMENTS = 1L << 31;
    static final int WICK_FORMAT_VERSION = 1;
    static final String WICK_VERSION_RECORD = ".wick/format_version";

    private final ZipReader zip;
    private final TensorCodec codec;
    private final String prefix;
    private final String where;
    private final Map<String, Storage> storages = new HashMap<>();
    private final List<Object> made = new ArrayList<>();

    /** A storage class global, e.g. {@code torch.FloatStorage}. */
    private record StorageClass(ElementType type) { }

    /** A persistent storage reference and, once read, the 1-D tensor holding it. */
    private static final class Storage {
        final String key;
        final ElementType type;
        final long numel;
        Object tensor;

        Storage(String key, ElementType type, long numel) {
            this.key = key;
            this.type = type;
            this.numel = numel;
        }
    }

    private TorchArchiveReader(ZipReader zip, TensorCodec codec, String source) throws CheckpointFormatException {
        this.zip = zip;
        this.codec = codec;
        ZipReader.Entry first = zip.entries().stream().findFirst()
                .orElseThrow(() -> zip.bad("the zip archive is empty; a torch.save file holds data.pkl"));
        int slash = first.name().indexOf('/');
        if (slash <= 0) throw zip.bad("entry '" + first.name() + "' is not inside the archive's folder; not a torch.save file");
        this.prefix = first.name().substring(0, slash + 1);
        this.where = source + ": " + prefix + "data.pkl";
    }

    /** Loads the value stored in {@code path}; tensors are made with {@code codec}. */
    static Object read(Path path, TensorCodec codec) throws IOException {
        try (ZipReader zip = ZipReader.open(path)) {
            return new TorchArchiveReader(zip, codec, path.toString()).load();
        }
    }

    private Object load() throws IOException {
        if (zip.entry(prefix + "constants.pkl") != null || zip.entries().stream().anyMatch(e -> e.name().startsWith(prefix + "code/")))
            throw zip.bad("this is a TorchScript archive (torch.jit.save), not a torch.save checkpoint; it is not supported");
        String version = smallRecord("version", true);
        long v;
        try {
            v = Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            throw zip.bad("record '" + prefix + "version' holds '" + version.trim() + "', not a format version number");
        }
        if (v < 1 || v > 10) throw zip.bad("unsupported PyTorch archive format version " + v + " (1 to 10 are read)");
        String byteOrder = smallRecord("byteorder", false);
        if (byteOrder != null && !byteOrder.trim().equals("little"))
            throw zip.bad("byte order '" + byteOrder.trim() + "' is not supported (only little-endian archives are read)");
        String wick = smallRecord(WICK_VERSION_RECORD, false);
        if (wick != null) {
            long w;
            try {
                w = Long.parseLong(wick.trim());
            } catch (NumberFormatException e) {
                throw zip.bad("record '" + prefix + WICK_VERSION_RECORD + "' holds '" + wick.trim() + "', not a version number");
            }
            if (w < 1 || w > WICK_FORMAT_VERSION)
                throw zip.bad("written by a newer Wick (format version " + w + "); this version reads up to " + WICK_FORMAT_VERSION);
        }
        ZipReader.Entry pkl = zip.entry(prefix + "data.pkl");
        if (pkl == null) throw zip.bad("missing record '" + prefix + "data.pkl'");
        byte[] pickle = zip.read(pkl);
        boolean ok = false;
        try {
            Object result = new PickleReader(pickle, where, this::global, this::persistentLoad, codec::isLeaf).load();
            PickleReader.checkGraph(result, codec::isLeaf, where);
            ok = true;
            return result;
        } finally {
            for (Storage s : storages.values()) {
                if (s.tensor != null) codec.free(s.tensor);
            }
            if (!ok) {
                for (Object t : made) codec.free(t);
            }
        }
    }

    private String smallRecord(String name, boolean required) throws IOException {
        ZipReader.Entry e = zip.entry(prefix + name);
        if (e == null) {
            if (required) throw zip.bad("missing record '" + prefix + name + "'; not a torch.save file");
            return null;
        }
        if (e.size() > 64) throw zip.bad("record '" + prefix + name + "' is " + e.size() + " bytes; at most 64 expected");
        return new String(zip.read(e), StandardCharsets.UTF_8);
    }

    private CheckpointFormatException bad(String message) {
        return new CheckpointFormatException(where + ": " + message);
    }

    // ------------------------------------------------------------------ allow-list

    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            "torch._utils._rebuild_sparse_tensor", "torch._utils._rebuild_sparse_csr_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_qtensor",
            "torch._utils._rebuild_wrapper_subclass", "torch._utils._rebuild_nested_tensor",
            "torch._utils._rebuild_device_tensor_from_numpy", "torch._utils._rebuild_xla_tensor",
            "torch._utils._rebuild_mps_tensor", "torch.serialization._get_layout");

    private Object global(String module, String name) throws CheckpointFormatException {
        String q = module + "." + name;
        switch (q) {
            case "collections.OrderedDict":
                return new PickleReader.Callable(q, this::orderedDict, this::orderedDict);
            case "torch._utils._rebuild_tensor_v2":
                return new PickleReader.Callable(q, a -> rebuildTensor(a, true), null);
            case "torch._utils._rebuild_tensor":
                return new PickleReader.Callable(q, a -> rebuildTensor(a, false), null);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return new PickleReader.Callable(q, a -> rebuildParameter(a, q), null);
            case "torch.nn.parameter.Parameter":
                return new PickleReader.Callable(q, this::parameter, this::parameter);
            case "torch._tensor._rebuild_from_type_v2":
                return new PickleReader.Callable(q, this::rebuildFromType, null);
            case "torch.Tensor":
                return new PickleReader.Marker(q, "tensor-type");
            case "torch.Size":
                return new PickleReader.Callable(q, this::size, null);
            case "torch.device":
                return new PickleReader.Callable(q, this::device, null);
            case "_codecs.encode":
                return new PickleReader.Callable(q, this::encode, null);
            case "__builtin__.bytes", "builtins.bytes":
                return new PickleReader.Callable(q, this::bytes, null);
            case "torch.UntypedStorage":
                return new PickleReader.Marker(q, new StorageClass(ElementType.UINT8));
            default:
                break;
        }
        if (module.equals("torch")) {
            ElementType st = ElementType.ofStorageClass(name);
            if (st != null) return new PickleReader.Marker(q, new StorageClass(st));
            ElementType dt = dtypeAlias(name);
            if (dt != null) return codec.dtype(dt);
            if (name.endsWith("Tensor"))
                throw bad("Refused global '" + q + "' (legacy tensor types are not supported by Wick)");
            if (name.endsWith("Storage") || Set.of("complex32", "complex64", "complex128", "cfloat", "cdouble", "chalf",
                    "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2", "qint8", "quint8", "qint32").contains(name))
                throw bad("Refused global '" + q + "' (complex, quantized and other element types Wick lacks are not supported)");
        }
        if (KNOWN_UNSUPPORTED.contains(q))
            throw bad("Refused global '" + q + "' (sparse, quantized, nested and meta tensors are not supported by Wick)");
        throw bad("Refused global '" + q + "' (not in the weights_only allow-list)");
    }

    private static ElementType dtypeAlias(String name) {
        return switch (name) {
            case "float" -> ElementType.FLOAT32;
            case "double" -> ElementType.FLOAT64;
            case "half" -> ElementType.FLOAT16;
            case "long" -> ElementType.INT64;
            case "int" -> ElementType.INT32;
            case "short" -> ElementType.INT16;
            default -> ElementType.ofTorchName(name);
        };
    }

    // ------------------------------------------------------------------ callables

    private Object orderedDict(PyTuple a) throws CheckpointFormatException {
        PyOrderedDict d = new PyOrderedDict();
        if (a.size() == 0) return d;
        if (a.size() == 1 && a.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                List<Object> kv = p instanceof PyTuple t ? t.items() : p instanceof List<?> l ? new ArrayList<>(l) : null;
                if (kv == null || kv.size() != 2) throw bad("OrderedDict() items must be (key, value) pairs");
                Object k = kv.get(0);
                if (!(k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean))
                    throw bad("OrderedDict() key of unsupported type " + PickleReader.describe(k));
                d.put(k, kv.get(1));
            }
            return d;
        }
        throw bad("OrderedDict() called with unsupported arguments");
    }

    private Object persistentLoad(Object pid) throws CheckpointFormatException {
        if (!(pid instanceof PyTuple t) || t.size() != 5)
            throw bad("persistent id must be a 5-tuple ('storage', class, key, location, numel), not " + PickleReader.describe(pid));
        Object tag = t.get(0) instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : t.get(0);
        if (!"storage".equals(tag)) throw bad("only persistent ids of storages are allowed, not '" + tag + "'");
        if (!(t.get(1) instanceof PickleReader.Marker m) || !(m.payload() instanceof StorageClass sc))
            throw bad("persistent id names " + PickleReader.describe(t.get(1)) + " where a storage class was expected");
        if (!(t.get(2) instanceof String key) || key.isEmpty() || key.length() > 128)
            throw bad("storage key must be a non-empty string, not " + PickleReader.describe(t.get(2)));
        if (!(t.get(3) instanceof String))
            throw bad("storage location must be a string, not " + PickleReader.describe(t.get(3)));
        long numel = nonNegative(t.get(4), "storage '" + key + "' element count");
        Storage s = storages.get(key);
        if (s == null) {
            ZipReader.Entry e = zip.entry(prefix + "data/" + key);
            if (e == null) throw bad("storage '" + key + "' has no record '" + prefix + "data/" + key + "'");
            long nbytes;
            try {
                nbytes = Math.multiplyExact(numel, sc.type().itemSize);
            } catch (ArithmeticException x) {
                throw bad("storage '" + key + "' declares " + numel + " elements, an impossible size");
            }
            if (nbytes != e.size())
                throw bad("storage '" + key + "' declares " + numel + " " + sc.type().torchName + " elements (" + nbytes
                        + " bytes) but its record holds " + e.size() + " bytes");
            s = new Storage(key, sc.type(), numel);
            storages.put(key, s);
        } else if (s.type != sc.type() || s.numel != numel) {
            throw bad("storage '" + key + "' is used as " + sc.type().torchName + "[" + numel + "] and as " + s.type.torchName + "[" + s.numel + "]");
        }
        return s;
    }

    private Object rebuildTensor(PyTuple a, boolean v2) throws CheckpointFormatException {
        String fn = v2 ? "_rebuild_tensor_v2" : "_rebuild_tensor";
        if (v2 ? a.size() < 6 || a.size() > 7 : a.size() != 4)
            throw bad(fn + " takes " + (v2 ? "6 or 7" : "4") + " arguments, got " + a.size());
        if (!(a.get(0) instanceof Storage s)) throw bad(fn + ": first argument must be a storage, not " + PickleReader.describe(a.get(0)));
        long offset = nonNegative(a.get(1), fn + " storage offset");
        long[] size = longs(a.get(2), fn + " size");
        long[] stride = longs(a.get(3), fn + " stride");
        boolean requiresGrad = false;
        if (v2) {
            if (!(a.get(4) instanceof Boolean rg)) throw bad(fn + ": requires_grad must be a bool, not " + PickleReader.describe(a.get(4)));
            requiresGrad = rg;
            if (a.get(5) != null && !(a.get(5) instanceof Map<?, ?> hooks && hooks.isEmpty()))
                throw bad(fn + ": backward hooks are not supported");
            if (a.size() == 7 && a.get(6) != null && !(a.get(6) instanceof Map<?, ?>))
                throw bad(fn + ": tensor metadata must be a dict, not " + PickleReader.describe(a.get(6)));
        }
        if (size.length != stride.length)
            throw bad(fn + ": size has " + size.length + " dimensions but stride has " + stride.length);
        checkView(s, offset, size, stride, fn);
        if (s.tensor == null) {
            ZipReader.Entry e = zip.entry(prefix + "data/" + s.key);
            byte[] bytes;
            try {
                bytes = zip.read(e);
            } catch (CheckpointFormatException x) {
                throw x;
            } catch (IOException x) {
                throw new CheckpointFormatException(where + ": reading storage '" + s.key + "' failed: " + x.getMessage(), x);
            }
            try {
                s.tensor = codec.storage(s.type, bytes, s.numel);
            } catch (RuntimeException x) {
                throw bad(fn + ": cannot make storage '" + s.key + "': " + x.getMessage());
            }
        }
        Object t;
        try {
            t = codec.view(s.tensor, size, stride, offset);
        } catch (RuntimeException x) {
            throw bad(fn + ": cannot view storage '" + s.key + "' as shape " + java.util.Arrays.toString(size) + ": " + x.getMessage());
        }
        made.add(t);
        if (requiresGrad) setRequiresGrad(t, fn);
        return t;
    }

    /** Rejects views that would read outside their storage, or address absurdly many elements. */
    private void checkView(Storage s, long offset, long[] size, long[] stride, String fn) throws CheckpointFormatException {
        if (size.length > MAX_DIMS) throw bad(fn + ": " + size.length + " dimensions (at most " + MAX_DIMS + ")");
        String shape = java.util.Arrays.toString(size);
        try {
            long numel = 1, last = offset;
            for (int i = 0; i < size.length; i++) {
                numel = Math.multiplyExact(numel, size[i]);
                if (size[i] > 0) last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
            if (numel == 0) {
                if (offset > s.numel) throw bad(fn + ": storage offset " + offset + " lies past the end of storage '" + s.key + "' (" + s.numel + " elements)");
                return;
            }
            if (last >= s.numel)
                throw bad(fn + ": a tensor of shape " + shape + ", stride " + java.util.Arrays.toString(stride) + " at offset " + offset
                        + " reads element " + last + " of storage '" + s.key + "', which holds " + s.numel);
            if (numel > s.numel && numel > MAX_VIEW_ELEMENTS)
                throw bad(fn + ": a tensor of shape " + shape + " addresses " + numel + " elements of storage '" + s.key + "', which holds "
                        + s.numel + "; views larger than their storage are refused beyond " + MAX_VIEW_ELEMENTS + " elements");
        } catch (ArithmeticException x) {
            throw bad(fn + ": shape " + shape + " with stride " + java.util.Arrays.toString(stride) + " overflows 64-bit sizes");
        }
    }

    private Object rebuildParameter(PyTuple a, String fn) throws CheckpointFormatException {
        boolean withState = fn.endsWith("_with_state");
        if (a.size() != (withState ? 4 : 3)) throw bad(fn + " takes " + (withState ? 4 : 3) + " arguments, got " + a.size());
        return asParameter(a.get(0), a.get(1), fn);
    }

    private Object parameter(PyTuple a) throws CheckpointFormatException {
        if (a.size() < 1 || a.size() > 2) throw bad("Parameter() takes 1 or 2 arguments, got " + a.size());
        return asParameter(a.get(0), a.size() == 2 ? a.get(1) : Boolean.TRUE, "Parameter");
    }

    private Object asParameter(Object data, Object requiresGrad, String fn) throws CheckpointFormatException {
        if (data == null || !codec.isLeaf(data) || codec.dtypeOf(data) != null)
            throw bad(fn + ": data must be a tensor, not " + PickleReader.describe(data));
        if (!(requiresGrad instanceof Boolean rg)) throw bad(fn + ": requires_grad must be a bool, not " + PickleReader.describe(requiresGrad));
        if (rg) setRequiresGrad(data, fn);
        return data;
    }

    private void setRequiresGrad(Object t, String fn) throws CheckpointFormatException {
        try {
            codec.requiresGrad(t, true);
        } catch (RuntimeException e) {
            throw bad(fn + ": cannot set requires_grad: " + e.getMessage());
        }
    }

    private Object rebuildFromType(PyTuple a) throws CheckpointFormatException {
        if (a.size() != 4) throw bad("_rebuild_from_type_v2 takes 4 arguments, got " + a.size());
        if (!(a.get(0) instanceof PickleReader.Callable f) || f.reduce() == null)
            throw bad("_rebuild_from_type_v2: " + PickleReader.describe(a.get(0)) + " is not an allowed function");
        Object type = a.get(1);
        boolean plain = type instanceof PickleReader.Marker m && m.qualifiedName().equals("torch.Tensor");
        boolean param = type instanceof PickleReader.Callable c && c.qualifiedName().equals("torch.nn.parameter.Parameter");
        if (!plain && !param) throw bad("_rebuild_from_type_v2: tensor subclass " + PickleReader.describe(type) + " is not supported");
        if (!(a.get(2) instanceof PyTuple args)) throw bad("_rebuild_from_type_v2: arguments must be a tuple");
        Object t = f.reduce().apply(args);
        if (!codec.isLeaf(t) || codec.dtypeOf(t) != null) throw bad("_rebuild_from_type_v2: " + f.qualifiedName() + " did not make a tensor");
        return t;
    }

    private Object size(PyTuple a) throws CheckpointFormatException {
        if (a.size() == 0) return PyTuple.of();
        if (a.size() != 1) throw bad("torch.Size takes one argument, got " + a.size());
        long[] dims = longs(a.get(0) instanceof List<?> l ? new PyTuple(new ArrayList<>(l)) : a.get(0), "torch.Size");
        Object[] boxed = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) boxed[i] = dims[i];
        return PyTuple.of(boxed);
    }

    private Object device(PyTuple a) throws CheckpointFormatException {
        if (a.size() == 1 && a.get(0) instanceof String s) return s;
        if (a.size() == 2 && a.get(0) instanceof String s && a.get(1) instanceof Long i) return s + ":" + i;
        throw bad("torch.device called with unsupported arguments");
    }

    private Object encode(PyTuple a) throws CheckpointFormatException {
        if (a.size() != 2 || !(a.get(0) instanceof String s) || !(a.get(1) instanceof String enc))
            throw bad("_codecs.encode takes (str, encoding)");
        switch (enc.toLowerCase(java.util.Locale.ROOT)) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> {
                byte[] out = new byte[s.length()];
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c > 0xFF) throw bad("_codecs.encode: character U+" + Integer.toHexString(c) + " is not latin-1");
                    out[i] = (byte) c;
                }
                return out;
            }
            case "utf-8", "utf8" -> {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            default -> throw bad("_codecs.encode: encoding '" + enc + "' is not supported");
        }
    }

    private Object bytes(PyTuple a) throws CheckpointFormatException {
        if (a.size() == 0) return new byte[0];
        throw bad("bytes() is only allowed without arguments");
    }

    // ------------------------------------------------------------------ argument checks

    private long nonNegative(Object o, String what) throws CheckpointFormatException {
        if (!(o instanceof Long l)) {
            if (o instanceof BigInteger) throw bad(what + " does not fit in 64 bits");
            throw bad(what + " must be an int, not " + PickleReader.describe(o));
        }
        if (l < 0) throw bad(what + " is negative (" + l + ")");
        return l;
    }

    private long[] longs(Object o, String what) throws CheckpointFormatException {
        if (!(o instanceof PyTuple t)) throw bad(what + " must be a tuple of ints, not " + PickleReader.describe(o));
        if (t.size() > MAX_DIMS) throw bad(what + " has " + t.size() + " dimensions (at most " + MAX_DIMS + ")");
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = nonNegative(t.get(i), what + "[" + i + "]");
        return out;
    }
}
