package dev.wick.checkpoint;

import dev.wick.internal.Json;
import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Java twin of {@code describe_values.py}: one line per value, tensors by dtype, shape,
 * requires_grad and the SHA-256 of their bytes, floats by their bits. Equal descriptions mean
 * bit-identical values.
 */
final class Describe {
    private Describe() { }

    static List<String> describe(Object o, boolean layout) {
        List<String> lines = new ArrayList<>();
        rec("$", o, layout, lines);
        return lines;
    }

    /** Asserts equal descriptions, reporting the first differing line. */
    static void assertSame(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i)))
                fail(what + ": line " + (i + 1) + " differs\n  expected: " + expected.get(i) + "\n  actual:   " + actual.get(i));
        }
        assertEquals(expected.size(), actual.size(), what + ": number of described values");
    }

    private static void rec(String path, Object o, boolean layout, List<String> out) {
        if (o instanceof Tensor t) {
            String line = path + "\ttensor\t" + t.dtype().torchName() + "\t" + Arrays.toString(t.shape()) + "\trg=" + py(t.requiresGrad())
                    + "\tsha256=" + sha256(t.toBytes());
            if (layout) line += "\tstride=" + Arrays.toString(t.stride()) + "\toffset=" + t.storageOffset();
            out.add(line);
        } else if (o instanceof DType d) {
            out.add(path + "\tdtype\t" + d.torchName());
        } else if (o instanceof PyOrderedDict d) {
            out.add(path + "\todict\t" + d.size());
            for (Map.Entry<Object, Object> e : d.entrySet()) rec(path + "[" + key(e.getKey()) + "]", e.getValue(), layout, out);
            for (Map.Entry<String, Object> e : d.attributes().entrySet()) rec(path + ".@" + e.getKey(), e.getValue(), layout, out);
        } else if (o instanceof Map<?, ?> m) {
            out.add(path + "\tdict\t" + m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) rec(path + "[" + key(e.getKey()) + "]", e.getValue(), layout, out);
        } else if (o instanceof List<?> l) {
            out.add(path + "\tlist\t" + l.size());
            for (int i = 0; i < l.size(); i++) rec(path + "[" + i + "]", l.get(i), layout, out);
        } else if (o instanceof PyTuple t) {
            out.add(path + "\ttuple\t" + t.size());
            for (int i = 0; i < t.size(); i++) rec(path + "(" + i + ")", t.get(i), layout, out);
        } else if (o instanceof Boolean b) {
            out.add(path + "\tbool\t" + py(b));
        } else if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte || o instanceof BigInteger) {
            out.add(path + "\tint\t" + o);
        } else if (o instanceof Double || o instanceof Float) {
            out.add(path + "\tfloat\t" + String.format("%016x", Double.doubleToRawLongBits(((Number) o).doubleValue())));
        } else if (o instanceof String s) {
            out.add(path + "\tstr\t" + jsonAscii(s));
        } else if (o instanceof byte[] b) {
            out.add(path + "\tbytes\t" + HexFormat.of().formatHex(b));
        } else if (o == null) {
            out.add(path + "\tNone");
        } else {
            throw new IllegalArgumentException("cannot describe " + o.getClass() + " at " + path);
        }
    }

    private static String key(Object k) {
        if (k instanceof String s) return jsonAscii(s);
        if (k instanceof Boolean || k == null) return "b:" + py((Boolean) k);
        if (k instanceof Long || k instanceof Integer) return k.toString();
        throw new IllegalArgumentException("unsupported key " + k);
    }

    private static String py(Boolean b) { return b == null ? "None" : b ? "True" : "False"; }

    /** Python's {@code json.dumps(s)} (ensure_ascii=True): Wick's JSON quoting, with non-ASCII characters escaped too. */
    static String jsonAscii(String s) {
        String quoted = Json.quote(s);
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
