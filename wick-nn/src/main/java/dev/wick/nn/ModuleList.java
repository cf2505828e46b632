package dev.wick.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of sub-modules registered as "0", "1", ..., as {@code nn.ModuleList}: it holds modules,
 * the owner decides how to call them.
 *
 * <pre>{@code
 * private final ModuleList<Linear> blocks = register("blocks", new ModuleList<>());
 * for (int i = 0; i < 4; i++) blocks.add(new Linear(64, 64));
 * for (Linear b : blocks) x = F.relu(b.forward(x));
 * }</pre>
 */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    @SafeVarargs
    public ModuleList(M... modules) {
        for (M m : modules) add(m);
    }

    public ModuleList(Iterable<? extends M> modules) {
        for (M m : modules) add(m);
    }

    /** Appends; returns this. */
    public ModuleList<M> add(M m) {
        items.add(register(Integer.toString(items.size()), m));
        return this;
    }

    /** The {@code i}-th module (negative: from the end). */
    public M get(int i) {
        int n = items.size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range for a ModuleList of " + n + " modules");
        return items.get(i < 0 ? n + i : i);
    }

    public int size() { return items.size(); }

    @Override
    public Iterator<M> iterator() { return List.copyOf(items).iterator(); }

    /** PyTorch's form: runs of identical modules print once, as {@code (0-2): 3 x Linear(...)}. */
    @Override
    public String toString() {
        if (items.isEmpty()) return typeName() + "()";
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= items.size(); i++) {
            String r = items.get(start).toString();
            if (i < items.size() && items.get(i).toString().equals(r)) continue;
            String line = start == i - 1 ? "(" + start + "): " + r : "(" + start + "-" + (i - 1) + "): " + (i - start) + " x " + r;
            lines.add(line.replace("\n", "\n  "));
            start = i;
        }
        return typeName() + "(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
