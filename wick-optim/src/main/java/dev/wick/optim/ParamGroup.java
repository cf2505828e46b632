package dev.wick.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.tensor.Tensor;

/**
 * A group of parameters that share optimizer options: PyTorch's {@code param_groups[i]}.
 *
 * <pre>{@code
 * // per-layer options: no weight decay on biases and norms, a smaller lr for the backbone
 * var opt = new AdamW(List.of(
 *         ParamGroup.of(decay).weightDecay(0.05),
 *         ParamGroup.of(noDecay).weightDecay(0.0).lr(1e-4)), AdamW.Options.lr(1e-3));
 * opt.paramGroups().get(0).setLr(5e-4);   // what a scheduler does
 * }</pre>
 *
 * <p>Options are keyed by PyTorch's names ({@code lr}, {@code weight_decay}, {@code momentum},
 * {@code betas}, ...). A group holds only what was set on it until it is added to an optimizer, which
 * fills the missing options from its defaults and validates the result. Keys the optimizer does not
 * know (a scheduler's {@code initial_lr}, a user's tag) are kept, and travel through
 * {@link Optimizer#stateDict()}.
 *
 * <p>Values are stored in the state-dict value model: whole numbers as {@code Long}, others as
 * {@code Double}, and lists (such as {@code betas}) as immutable {@code List}s; an {@code Integer} or a
 * {@code Float} given to {@link #set} is widened.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    /** A group of {@code params} with no options of its own (all come from the optimizer's defaults). */
    public ParamGroup(List<Tensor> params) {
        this(params, Map.of());
    }

    /** A group of {@code params} with the given options (PyTorch names, see the class comment). */
    public ParamGroup(List<Tensor> params, Map<String, Object> options) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(options, "options");
        List<Tensor> copy = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) throw new IllegalArgumentException("Parameter " + i + " of the group is null");
            copy.add(p);
        }
        this.params = Collections.unmodifiableList(copy);
        for (Map.Entry<String, Object> e : options.entrySet()) set(e.getKey(), e.getValue());
    }

    /** A group of {@code params}; chain {@link #lr(double)}, {@link #weightDecay(double)}, {@link #with}. */
    public static ParamGroup of(List<Tensor> params) { return new ParamGroup(params); }

    /** A group of the given parameters. */
    public static ParamGroup of(Tensor... params) { return new ParamGroup(List.of(params)); }

    /**
     * A group of the named parameters whose name passes {@code filter}, in the map's order: the
     * per-layer split of a seed script in one line per group.
     *
     * <pre>{@code
     * var named = model.namedParameters();
     * Predicate<String> noDecay = n -> n.endsWith(".bias") || n.contains("norm");
     * var opt = new AdamW(List.of(ParamGroup.select(named, noDecay.negate()),
     *                             ParamGroup.select(named, noDecay).weightDecay(0.0)), AdamW.Options.lr(1e-3));
     * }</pre>
     */
    public static ParamGroup select(Map<String, Tensor> namedParams, java.util.function.Predicate<String> filter) {
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : namedParams.entrySet()) if (filter.test(e.getKey())) out.add(e.getValue());
        return new ParamGroup(out);
    }

    // ------------------------------------------------------------------ fluent setters

    /** Sets this group's learning rate and returns this group. */
    public ParamGroup lr(double lr) { set("lr", lr); return this; }

    /** Sets this group's weight decay and returns this group. */
    public ParamGroup weightDecay(double weightDecay) { set("weight_decay", weightDecay); return this; }

    /** Sets any option by its PyTorch name and returns this group. */
    public ParamGroup with(String key, Object value) { set(key, value); return this; }

    // ------------------------------------------------------------------ access

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() { return params; }

    /** The learning rate ({@code group["lr"]}). */
    public double lr() { return getDouble("lr"); }

    /** Changes the learning rate; the next {@code step()} uses it. */
    public void setLr(double lr) { set("lr", lr); }

    /** Whether the option is present (set on the group or filled from the optimizer's defaults). */
    public boolean has(String key) { return options.containsKey(key); }

    /** The option's value, or null when absent (or set to None). */
    public Object get(String key) { return options.get(key); }

    /** The option as a double; an error naming the key when it is absent or not a number. */
    public double getDouble(String key) {
        Object v = options.get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalStateException("Option '" + key + "' of the parameter group is " + describe(v) + ", not a number");
    }

    /** The option as a long; an error naming the key when it is absent or not a whole number. */
    public long getLong(String key) {
        Object v = options.get(key);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()))
            return (long) n.doubleValue();
        throw new IllegalStateException("Option '" + key + "' of the parameter group is " + describe(v) + ", not a whole number");
    }

    /** The option as a boolean; an error naming the key when it is absent or not a boolean. */
    public boolean getBoolean(String key) {
        Object v = options.get(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalStateException("Option '" + key + "' of the parameter group is " + describe(v) + ", not a boolean");
    }

    /** Sets an option (PyTorch name); numbers are stored as Long or Double, lists as immutable lists. */
    public void set(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if ("params".equals(key))
            throw new IllegalArgumentException("'params' is not an option: pass the parameters to the ParamGroup constructor");
        options.put(key, normalize(value));
    }

    /** Sets an option only when the group does not have it yet (how defaults are filled in). */
    void setIfAbsent(String key, Object value) {
        if (!options.containsKey(key)) options.put(key, normalize(value));
    }

    /** Replaces every option at once (loading a state dict). */
    void replaceOptions(Map<String, Object> newOptions) {
        options.clear();
        for (Map.Entry<String, Object> e : newOptions.entrySet()) set(e.getKey(), e.getValue());
    }

    /** A live, unmodifiable view of the options (without {@code params}). */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(normalize(o));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Object[] a) return normalize(List.of(a));
        if (v instanceof double[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (double d : a) out.add(d);
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    private static String describe(Object v) {
        if (v == null) return "absent or None";
        return "'" + v + "' (" + v.getClass().getSimpleName() + ")";
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
