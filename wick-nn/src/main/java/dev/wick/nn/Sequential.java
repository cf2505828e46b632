package dev.wick.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Modules applied one after another, as {@code nn.Sequential}; children are named "0", "1", ...
 * (or by the given names), so state-dict keys read {@code 0.weight}, {@code 2.bias}.
 *
 * <pre>{@code
 * Sequential mlp = new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 10));
 * Tensor logits = mlp.forward(images);   // (B, 1, 28, 28) -> (B, 10)
 * }</pre>
 */
public class Sequential extends UnaryModule implements Iterable<UnaryModule> {
    private final List<UnaryModule> layers = new ArrayList<>();

    public Sequential(UnaryModule... modules) {
        for (UnaryModule m : modules) add(m);
    }

    /** Children under the given names, in the map's order ({@code Sequential(OrderedDict(...))}). */
    public Sequential(Map<String, ? extends UnaryModule> named) {
        for (Map.Entry<String, ? extends UnaryModule> e : named.entrySet()) {
            layers.add(register(e.getKey(), e.getValue()));
        }
    }

    /** Appends a module named by its position; returns this. */
    public Sequential add(UnaryModule m) {
        layers.add(register(Integer.toString(layers.size()), m));
        return this;
    }

    /** The {@code i}-th module (negative: from the end). */
    public UnaryModule get(int i) {
        int n = layers.size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range for a Sequential of " + n + " modules");
        return layers.get(i < 0 ? n + i : i);
    }

    public int size() { return layers.size(); }

    @Override
    public Iterator<UnaryModule> iterator() { return List.copyOf(layers).iterator(); }

    @Override
    public Tensor forward(Tensor x) {
        for (UnaryModule m : layers) x = m.forward(x);
        return x;
    }
}
