package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a scheduler's state dict strictly: every value is fetched by key and type-checked, the error
 * names the scheduler, the key and what was found, and {@link #finish()} rejects keys nobody read.
 *
 * <p>NOTE [PyTorch's extra keys]: PyTorch's {@code state_dict()} is the scheduler's {@code __dict__},
 * so it also carries keys that hold no schedule state ({@code verbose}, the {@code get_lr} call guard,
 * the lambdas' and scale function's slots, the bound annealing function). They are accepted and ignored
 * so that a state dict converted from Python loads; any other unknown key is an error.
 */
final class StateReader {
    private static final Set<String> IGNORED = Set.of(
            "verbose", "_get_lr_called_within_step", "lr_lambdas", "_scale_fn_ref", "_scale_fn_custom", "anneal_func");

    private final String owner;
    private final Map<String, Object> sd;
    private final Set<String> read = new LinkedHashSet<>();

    StateReader(String owner, Map<String, Object> sd) {
        this.owner = owner;
        this.sd = Objects.requireNonNull(sd, "state dict");
    }

    boolean has(String key) { return sd.containsKey(key); }

    private Object raw(String key) {
        read.add(key);
        if (!sd.containsKey(key))
            throw new IllegalArgumentException(owner + " state dict: missing '" + key + "' (it has " + sd.keySet() + ")");
        return sd.get(key);
    }

    private IllegalArgumentException wrong(String key, Object v, String expected) {
        String found = v == null ? "null" : "'" + v + "' (" + v.getClass().getSimpleName() + ")";
        return new IllegalArgumentException(owner + " state dict: '" + key + "' is " + found + ", not " + expected);
    }

    double getDouble(String key) {
        Object v = raw(key);
        if (v instanceof Number n) return n.doubleValue();
        throw wrong(key, v, "a number");
    }

    long getLong(String key) {
        Object v = raw(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()))
            return n.longValue();
        throw wrong(key, v, "a whole number");
    }

    int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw wrong(key, v, "an int");
        return (int) v;
    }

    boolean getBoolean(String key) {
        Object v = raw(key);
        if (v instanceof Boolean b) return b;
        throw wrong(key, v, "a boolean");
    }

    String getString(String key, Set<String> allowed) {
        Object v = raw(key);
        if (v instanceof String s && allowed.contains(s)) return s;
        throw wrong(key, v, "one of " + allowed);
    }

    /** A list of numbers; {@code size} &gt;= 0 requires that many (one per parameter group). */
    double[] getDoubles(String key, int size) {
        Object v = raw(key);
        if (!(v instanceof List<?> l)) throw wrong(key, v, "a list of numbers");
        if (size >= 0 && l.size() != size)
            throw new IllegalArgumentException(owner + " state dict: '" + key + "' has " + l.size() + " value(s), expected " + size
                    + " (one per parameter group)");
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) throw wrong(key + "[" + i + "]", l.get(i), "a number");
            out[i] = n.doubleValue();
        }
        return out;
    }

    int[] getInts(String key) {
        double[] d = getDoubles(key, -1);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) throw wrong(key + "[" + i + "]", d[i], "an int");
            out[i] = (int) d[i];
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> getMaps(String key) {
        Object v = raw(key);
        if (!(v instanceof List<?> l)) throw wrong(key, v, "a list of maps");
        List<Map<String, Object>> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?> m)) throw wrong(key + "[" + i + "]", l.get(i), "a map");
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** Rejects keys that were not read (and are not one of PyTorch's stateless extras). */
    void finish() {
        List<String> unknown = new ArrayList<>();
        for (String k : sd.keySet()) if (!read.contains(k) && !IGNORED.contains(k)) unknown.add(k);
        if (!unknown.isEmpty())
            throw new IllegalArgumentException(owner + " state dict: unknown key(s) " + unknown + "; expected " + read);
    }
}
