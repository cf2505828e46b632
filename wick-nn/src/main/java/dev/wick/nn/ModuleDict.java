package dev.wick.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named sub-modules in insertion order, as {@code nn.ModuleDict}.
 *
 * <pre>{@code
 * private final ModuleDict<UnaryModule> heads = register("heads", new ModuleDict<>());
 * heads.put("digits", new Linear(512, 10));
 * heads.put("parity", new Linear(512, 2));
 * Tensor y = heads.get("digits").forward(features);
 * }</pre>
 */
public class ModuleDict<M extends Module> extends Module {
    private final Map<String, M> items = new LinkedHashMap<>();

    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends M> modules) {
        modules.forEach(this::put);
    }

    /** Adds {@code m} under {@code name} (a new name; no dots); returns this. */
    public ModuleDict<M> put(String name, M m) {
        items.put(name, register(name, m));
        return this;
    }

    public M get(String name) {
        M m = items.get(name);
        if (m == null) throw new IllegalArgumentException("No module named '" + name + "' in ModuleDict (it has " + items.keySet() + ")");
        return m;
    }

    public boolean containsKey(String name) { return items.containsKey(name); }

    public Set<String> keySet() { return java.util.Collections.unmodifiableSet(items.keySet()); }

    public List<M> values() { return new ArrayList<>(items.values()); }

    public int size() { return items.size(); }
}
