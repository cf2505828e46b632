package dev.wick.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Something whose state goes into a training checkpoint and comes back from it: an optimizer, a
 * scheduler, a metric's accumulators, a callback's counters.
 *
 * <pre>{@code
 * class Counter implements Stateful {
 *     long seen;
 *     public Map<String, Object> stateDict() { return Map.of("seen", seen); }
 *     public void loadStateDict(Map<String, Object> sd) { seen = (Long) sd.get("seen"); }
 * }
 * Stateful model = Stateful.of(net::stateDict, sd -> net.loadStateDict(Stateful.typed(sd, Tensor.class, "model")));
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #stateDict()} returns values {@link TorchFiles} can write: {@code Tensor}, {@code Long}/
 *       {@code Integer}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]}, {@code null},
 *       and {@code Map}s and {@code List}s of them. Numbers come back from a file as {@code Long} or
 *       {@code Double}, lists as {@code ArrayList}, maps as {@code LinkedHashMap}, so a
 *       {@link #loadStateDict(Map)} must accept those (read numbers through {@code Number}).</li>
 *   <li>{@code loadStateDict(stateDict())} restores the object exactly (a round trip), and a load is
 *       strict: a missing or unexpected key is an error naming the key.</li>
 *   <li>The keys are the object's own: whoever holds it stores the map under one key of its own and
 *       never renames the keys inside (no {@code _orig_mod.} prefixes).</li>
 * </ul>
 * {@code Optimizer} and {@code LRScheduler} (wick-optim) have exactly these two methods.
 */
public interface Stateful {
    /** The state, as plain values and tensors (see the class doc). */
    Map<String, Object> stateDict();

    /** Restores the state from a map {@link #stateDict()} made (possibly read back from a file). */
    void loadStateDict(Map<String, Object> stateDict);

    /** A {@code Stateful} made of two functions, to adapt objects with other signatures (a module). */
    static Stateful of(Supplier<? extends Map<String, ?>> save, Consumer<Map<String, Object>> load) {
        Objects.requireNonNull(save, "save");
        Objects.requireNonNull(load, "load");
        return new Stateful() {
            @Override public Map<String, Object> stateDict() { return new LinkedHashMap<>(save.get()); }
            @Override public void loadStateDict(Map<String, Object> stateDict) { load.accept(stateDict); }
        };
    }

    /**
     * The entries of {@code map} as a typed map, checking each value's type: for handing a loaded
     * {@code Map<String, Object>} to a method that wants {@code Map<String, Tensor>}.
     *
     * @throws IllegalArgumentException naming the first key whose value is not a {@code type}
     */
    static <T> Map<String, T> typed(Map<?, ?> map, Class<T> type, String what) {
        Objects.requireNonNull(map, what);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k))
                throw new IllegalArgumentException(what + ": key " + e.getKey() + " is not a string");
            if (!type.isInstance(e.getValue()))
                throw new IllegalArgumentException(what + ": value of '" + k + "' is "
                        + (e.getValue() == null ? "null" : e.getValue().getClass().getSimpleName()) + ", expected " + type.getSimpleName());
            out.put(k, type.cast(e.getValue()));
        }
        return out;
    }
}
