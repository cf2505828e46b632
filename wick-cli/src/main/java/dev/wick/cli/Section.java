package dev.wick.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a parsed YAML config, read key by key with typed getters that name the full dotted
 * key in every error; {@link #finish()} then rejects the keys nobody read.
 *
 * <pre>{@code
 * Section opt = root.section("optimizer");
 * double lr = opt.positiveNumber("lr", null);        // "optimizer.lr: must be a positive number, got -0.1"
 * opt.finish();                                      // "optimizer.lrr: unknown key (optimizer keys: name, lr, ...)"
 * }</pre>
 *
 * <p>NOTE [YAML 1.1 numbers]: SnakeYAML follows YAML 1.1, where {@code 3e-3} (no dot) is a string,
 * not a float. A number is expected in most places a user writes one, so a string that Java reads as a
 * finite number is accepted where a number is; {@code "abc"} is still a type error.
 */
final class Section {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    Section(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    /** The section at {@code key} of a parsed document: a mapping, or an empty one when absent or null. */
    static Section of(String path, Object node) {
        if (node == null) return new Section(path, new LinkedHashMap<>());
        if (!(node instanceof Map<?, ?> m))
            throw new ConfigException(path, "must be a mapping of keys to values, got " + describe(node));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k))
                throw new ConfigException(path, "keys must be names, got " + describe(e.getKey()));
            out.put(k, e.getValue());
        }
        return new Section(path, out);
    }

    String path() { return path; }

    /** The mapping itself (mutable). */
    Map<String, Object> values() { return values; }

    String key(String k) { return path.isEmpty() ? k : path + "." + k; }

    /** Marks {@code k} as a key of this section (read or not), for {@link #finish()}. */
    void allow(String... ks) { known.addAll(List.of(ks)); }

    boolean has(String k) {
        known.add(k);
        return values.get(k) != null;
    }

    Object raw(String k) {
        known.add(k);
        return values.get(k);
    }

    Section section(String k) { return of(key(k), raw(k)); }

    /** Rejects keys of this section that no getter read and {@link #allow} did not list. */
    void finish() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException(key(k), "unknown key (" + (path.isEmpty() ? "sections" : path + " keys") + ": "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** Rejects {@code k} if present: it does not apply in this configuration ({@code why}). */
    void forbid(String k, String why) {
        if (values.containsKey(k)) throw new ConfigException(key(k), why);
    }

    // ------------------------------------------------------------------ typed getters

    String string(String k, String dflt) {
        Object v = raw(k);
        if (v == null) return dflt;
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        throw new ConfigException(key(k), "must be a string, got " + describe(v));
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    String choice(String k, String dflt, List<String> allowed) {
        Object v = raw(k);
        if (v == null) {
            if (dflt == null) throw new ConfigException(key(k), "is required (one of " + String.join(", ", allowed) + ")");
            return dflt;
        }
        String s = v instanceof String str ? str.trim().toLowerCase(Locale.ROOT) : null;
        if (s == null || !allowed.contains(s))
            throw new ConfigException(key(k), "must be one of " + String.join(", ", allowed) + ", got " + describe(v));
        return s;
    }

    boolean bool(String k, boolean dflt) {
        Object v = raw(k);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw new ConfigException(key(k), "must be true or false, got " + describe(v));
    }

    /** A number &gt; 0. Required when {@code dflt} is null. */
    double positiveNumber(String k, Double dflt) {
        Object v = raw(k);
        if (v == null) {
            if (dflt == null) throw new ConfigException(key(k), "is required (a positive number)");
            return dflt;
        }
        Double d = asNumber(v);
        if (d == null || !(d > 0) || !Double.isFinite(d)) throw new ConfigException(key(k), "must be a positive number, got " + describe(v));
        return d;
    }

    /** A number &ge; 0, or {@code dflt} (which may be null) when absent. */
    Double nonNegativeNumber(String k, Double dflt) {
        Object v = raw(k);
        if (v == null) return dflt;
        Double d = asNumber(v);
        if (d == null || !(d >= 0) || !Double.isFinite(d)) throw new ConfigException(key(k), "must be a number >= 0, got " + describe(v));
        return d;
    }

    /** A number in [lo, hi) (or [lo, hi] when {@code hiInclusive}), or {@code dflt} when absent. */
    Double numberIn(String k, Double dflt, double lo, double hi, boolean hiInclusive) {
        Object v = raw(k);
        if (v == null) return dflt;
        Double d = asNumber(v);
        boolean ok = d != null && d >= lo && (hiInclusive ? d <= hi : d < hi);
        if (!ok) throw new ConfigException(key(k), "must be a number in [" + fmt(lo) + ", " + fmt(hi) + (hiInclusive ? "]" : ")") + ", got " + describe(v));
        return d;
    }

    /** An integer &ge; {@code min}, or {@code dflt} (which may be null) when absent. */
    Long integer(String k, Long dflt, long min) {
        Object v = raw(k);
        if (v == null) return dflt;
        Long n = asInteger(v);
        if (n == null || n < min) {
            String what = min == 1 ? "a positive integer" : min == 0 ? "an integer >= 0"
                    : min == Long.MIN_VALUE ? "an integer" : "an integer >= " + min;
            throw new ConfigException(key(k), "must be " + what + ", got " + describe(v));
        }
        return n;
    }

    /** A list of numbers of exactly {@code n} elements, each in [0, 1). */
    double[] betas(String k, double[] dflt) {
        Object v = raw(k);
        if (v == null) return dflt;
        if (v instanceof List<?> l && l.size() == 2) {
            double[] out = new double[2];
            boolean ok = true;
            for (int i = 0; i < 2; i++) {
                Double d = asNumber(l.get(i));
                if (d == null || !(d >= 0 && d < 1)) { ok = false; break; }
                out[i] = d;
            }
            if (ok) return out;
        }
        throw new ConfigException(key(k), "must be two numbers in [0, 1), like [0.9, 0.999], got " + describe(v));
    }

    /** A list of positive integers (may be empty). */
    long[] positiveIntegers(String k, long[] dflt) {
        Object v = raw(k);
        if (v == null) return dflt;
        if (v instanceof List<?> l) {
            long[] out = new long[l.size()];
            boolean ok = true;
            for (int i = 0; i < out.length; i++) {
                Long n = asInteger(l.get(i));
                if (n == null || n < 1) { ok = false; break; }
                out[i] = n;
            }
            if (ok) return out;
        }
        throw new ConfigException(key(k), "must be a list of positive integers, like [512, 256], got " + describe(v));
    }

    // ------------------------------------------------------------------ helpers

    static Double asNumber(Object v) {
        if (v instanceof Boolean) return null;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty() || !t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) return null;   // NOTE [YAML 1.1 numbers]
            return Double.parseDouble(t);
        }
        return null;
    }

    static Long asInteger(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof java.math.BigInteger b && b.bitLength() < 64) return b.longValue();
        return null;
    }

    /** How a value reads in an error: strings quoted, lists and maps in YAML's flow style. */
    static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String s) return "'" + s + "'";
        if (v instanceof Double d) return fmt(d);
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(describe(o));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) parts.add(e.getKey() + ": " + describe(e.getValue()));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(v);
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return String.valueOf(d);
    }
}
