package dev.wick.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * Base class of every network: a tree of named sub-modules, each holding named parameters and
 * buffers, as PyTorch's {@code nn.Module}.
 *
 * <pre>{@code
 * class Net extends Module {
 *     private final Conv2d conv1 = register("conv1", new Conv2d(1, 10, 5));
 *     private final Linear fc = register("fc", new Linear(320, 50));
 *
 *     Tensor forward(Tensor x) {                          // any signature a network needs
 *         x = F.relu(F.maxPool2d(conv1.forward(x), 2));  // (B, 10, 12, 12)
 *         return fc.forward(x.view(-1, 320));             // (B, 50)
 *     }
 * }
 * Net net = new Net();
 * net.namedParameters().keySet();   // [conv1.weight, conv1.bias, fc.weight, fc.bias]
 * }</pre>
 *
 * <p>Registration is explicit (no reflection), so renaming a Java field never changes a state-dict
 * key. Names are PyTorch's: a child's entries appear under {@code child.} prefixes, in registration
 * order. Modules taking one tensor and returning one extend {@link UnaryModule} and compose in
 * {@link Sequential}.
 *
 * <p>Memory: parameters and buffers live as long as the module. Build modules outside any
 * {@link dev.wick.tensor.Scope} (or keep their tensors), since a scope frees what was made inside it.
 *
 * <p>NOTE [identity]: {@link #to(DType)} and {@link #loadStateDict(Map, boolean)} change tensors in
 * place (PyTorch's {@code param.data = ...} and {@code copy_}), so a field that holds a parameter
 * and an optimizer that holds it stay valid. Only {@link #setParameter(String, Tensor)} and
 * {@link #setBuffer(String, Tensor)} put a different tensor object in the registry; built-in layers
 * read their tensors through the registry ({@link #parameter(String)}), so they follow.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Module() {}

    // ------------------------------------------------------------------ registration

    /**
     * Registers a sub-module under {@code name} and returns it, so a field reads
     * {@code private final Linear fc = register("fc", new Linear(320, 50));}.
     */
    protected <M extends Module> M register(String name, M child) {
        checkNewName(name, "module");
        Objects.requireNonNull(child, () -> "register(\"" + name + "\"): module is null");
        if (child == this) throw new IllegalArgumentException("register(\"" + name + "\"): a module cannot contain itself");
        children.put(name, child);
        return child;
    }

    /**
     * Registers a parameter: a floating-point leaf tensor that requires grad. Returns the registered
     * tensor (a non-leaf {@code value} is detached first, as {@code nn.Parameter(t)} does). A null
     * value registers an absent parameter (e.g. a layer built with {@code bias=false}), which
     * {@link #parameters()} and {@link #stateDict()} skip, as {@code register_parameter(name, None)}.
     */
    protected Tensor registerParameter(String name, Tensor value) {
        checkNewName(name, "parameter");
        Tensor p = asParameter(name, value);
        params.put(name, p);
        return p;
    }

    /** Registers a persistent buffer (saved in {@link #stateDict()}); null registers an absent one. */
    protected Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * Registers a buffer: state that is not trained (BatchNorm's running statistics). A persistent
     * buffer is part of {@link #stateDict()}; a non-persistent one is not.
     */
    protected Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkNewName(name, "buffer");
        buffers.put(name, value);
        if (!persistent) nonPersistent.add(name);
        return value;
    }

    /**
     * Replaces the tensor of an already registered parameter (null makes it absent) and returns the
     * registered tensor. Fields that held the old tensor keep the old one; modules that use this read
     * through {@link #parameter(String)}.
     */
    public Tensor setParameter(String name, Tensor value) {
        if (!params.containsKey(name)) throw new IllegalArgumentException("No parameter named '" + name + "' in " + typeName() + " (it has " + params.keySet() + ")");
        Tensor p = asParameter(name, value);
        params.put(name, p);
        return p;
    }

    /** Replaces the tensor of an already registered buffer (null makes it absent) and returns it. */
    public Tensor setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("No buffer named '" + name + "' in " + typeName() + " (it has " + buffers.keySet() + ")");
        buffers.put(name, value);
        return value;
    }

    /** This module's own parameter {@code name} (no dots), or null when it is registered as absent. */
    public Tensor parameter(String name) {
        Tensor t = params.get(name);
        if (t == null && !params.containsKey(name))
            throw new IllegalArgumentException("No parameter named '" + name + "' in " + typeName() + " (it has " + params.keySet() + ")");
        return t;
    }

    /** This module's own buffer {@code name} (no dots), or null when it is registered as absent. */
    public Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null && !buffers.containsKey(name))
            throw new IllegalArgumentException("No buffer named '" + name + "' in " + typeName() + " (it has " + buffers.keySet() + ")");
        return t;
    }

    private static Tensor asParameter(String name, Tensor value) {
        if (value == null) return null;
        if (!value.isFloatingPoint())
            throw new IllegalArgumentException("Invalid parameter '" + name + "': dtype " + value.dtype()
                    + " cannot require gradients (parameters must be floating point)");
        Tensor p = value.isLeaf() ? value : value.detach();
        return p.requiresGrad(true);
    }

    private void checkNewName(String name, String kind) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("Invalid " + kind + " name: '" + name + "' (must be non-empty)");
        if (name.contains(".")) throw new IllegalArgumentException("Invalid " + kind + " name: '" + name + "' (must not contain '.')");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("Invalid " + kind + " name: '" + name + "' is already registered in " + typeName());
    }

    // ------------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, each once, in {@link #namedParameters()} order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters by dotted name ({@code conv1.weight}, {@code layer1.0.bn1.bias}), this module's own
     * first, then each child's in registration order; a tensor reachable twice (tied weights, a
     * shared sub-module) appears once, under its first name, as PyTorch's {@code named_parameters()}.
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().params.entrySet()) {
                if (p.getValue() != null && seen.add(p.getValue())) out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /** All buffers (persistent or not) of this module and its descendants, each once. */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name, in the order of {@link #namedParameters()}. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() != null && seen.add(b.getValue())) out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** The direct sub-modules, in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** The direct sub-modules by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** This module and all descendants, pre-order, each once. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module (under {@code ""}) and all descendants by dotted path, pre-order, each once. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        for (Map.Entry<String, Module> c : m.children.entrySet()) {
            collectModules(prefix.isEmpty() ? c.getKey() : prefix + "." + c.getKey(), c.getValue(), out, seen);
        }
    }

    // ------------------------------------------------------------------ modes and bulk changes

    /** Training mode for this module and every descendant ({@code model.train()}); returns this. */
    public Module train() { return train(true); }

    /** Sets training mode ({@code true}) or evaluation mode on the whole sub-tree; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    /** Evaluation mode ({@code model.eval()}): Dropout passes through, BatchNorm uses running stats. */
    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /**
     * Calls {@code fn} on every descendant, children first, then on this module (PyTorch's order),
     * e.g. for a custom weight initialisation; returns this.
     */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Clears every parameter's gradient (sets it to none, as PyTorch 2's {@code zero_grad()}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.setGrad(null);
    }

    /**
     * Sets {@code requires_grad} on every parameter of this sub-tree; {@code false} freezes it
     * (e.g. {@code model.fc.requiresGrad(false)}). Returns this.
     */
    public Module requiresGrad(boolean on) {
        for (Tensor p : parameters()) p.requiresGrad(on);
        return this;
    }

    /**
     * Converts every floating-point parameter, gradient and buffer to {@code dtype}, in place
     * (integer buffers such as {@code num_batches_tracked} stay as they are); returns this.
     */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("Invalid dtype for Module.to: " + dtype + " (only floating point types are allowed)");
        try (var g = Autograd.noGrad()) {
            for (Tensor p : parameters()) {
                if (!p.isFloatingPoint() || p.dtype() == dtype) continue;
                setData(p, dtype);
                Tensor grad = p.grad();
                if (grad != null) {
                    setData(grad, dtype);
                    grad.close();
                }
            }
            for (Tensor b : buffers()) {
                if (b.isFloatingPoint() && b.dtype() != dtype) setData(b, dtype);
            }
        }
        return this;
    }

    private static void setData(Tensor t, DType dtype) {
        try (Tensor converted = t.to(dtype)) {
            t.unwrap().__dispatch_set_data(converted.unwrap());
        } catch (RuntimeException e) {
            throw TorchException.from(e, "Module.to");
        }
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers by dotted key, exactly PyTorch's {@code state_dict()} keys
     * and order (each module's parameters, then its buffers, then its children). Values are detached
     * tensors sharing memory with the live ones; a tied tensor appears under every key.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        for (Map.Entry<String, Tensor> e : out.entrySet()) e.setValue(e.getValue().detach());
        return out;
    }

    /** Live (not detached) state tensors by key; shared sub-modules appear under each path. */
    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue());
        }
        for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
            if (b.getValue() != null && !nonPersistent.contains(b.getKey())) out.put(prefix + b.getKey(), b.getValue());
        }
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().collectState(prefix + c.getKey() + ".", out);
    }

    /** What a non-strict {@link #loadStateDict(Map, boolean)} left out. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
        public boolean isComplete() { return missingKeys.isEmpty() && unexpectedKeys.isEmpty(); }
    }

    /** {@code loadStateDict(sd, true)}. */
    public LoadResult loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies values into this module's parameters and persistent buffers, in place and without
     * recording gradients. Everything is checked before anything is copied, and all problems are
     * reported together in one {@link IllegalArgumentException}:
     * <ul>
     *   <li>a shape mismatch is always an error (as in PyTorch);</li>
     *   <li>with {@code strict}, missing keys, unexpected keys and dtype mismatches are errors;</li>
     *   <li>without it, they are returned in the {@link LoadResult} and values of another dtype are
     *       converted on copy (as PyTorch's {@code copy_}).</li>
     * </ul>
     */
    public LoadResult loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Objects.requireNonNull(stateDict, "loadStateDict: state dict is null");
        Map<String, Tensor> own = new LinkedHashMap<>();
        collectState("", own);
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            String key = e.getKey();
            if (!stateDict.containsKey(key)) { missing.add(key); continue; }
            Tensor src = stateDict.get(key);
            Tensor dst = e.getValue();
            if (src == null) { errors.add("value for " + key + " is null"); continue; }
            long[] s = src.shape(), d = dst.shape();
            if (!Arrays.equals(s, d)) {
                errors.add("size mismatch for " + key + ": copying a tensor of shape " + Arrays.toString(s)
                        + ", the shape in the current model is " + Arrays.toString(d));
            } else if (strict && src.dtype() != dst.dtype()) {
                errors.add("dtype mismatch for " + key + ": copying a tensor of dtype " + src.dtype()
                        + ", the dtype in the current model is " + dst.dtype());
            }
        }
        for (String key : stateDict.keySet()) if (!own.containsKey(key)) unexpected.add(key);
        if (!errors.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state dict for " + typeName() + ":");
            if (strict && !missing.isEmpty()) sb.append("\n  Missing key(s): ").append(String.join(", ", missing)).append('.');
            if (strict && !unexpected.isEmpty()) sb.append("\n  Unexpected key(s): ").append(String.join(", ", unexpected)).append('.');
            for (String err : errors) sb.append("\n  ").append(err).append('.');
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = stateDict.get(e.getKey());
                if (src != null && src != e.getValue()) e.getValue().copy_(src);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    // ------------------------------------------------------------------ printing

    /** The name {@link #toString()} prints (the class's simple name). */
    protected String typeName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? getClass().getName() : n;
    }

    /** The layer's settings as {@link #toString()} prints them inside the parentheses ({@code extra_repr}). */
    protected String extraRepr() { return ""; }

    /**
     * A tree like PyTorch's {@code print(model)}:
     * <pre>
     * SimpleModel(
     *   (conv1): Conv2d(1, 10, kernel_size=(5, 5), stride=(1, 1))
     *   (fc): Linear(in_features=320, out_features=50, bias=True)
     * )</pre>
     */
    @Override
    public String toString() {
        List<String> extra = new ArrayList<>();
        String er = extraRepr();
        if (er != null && !er.isEmpty()) extra.addAll(Arrays.asList(er.split("\n")));
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> c : children.entrySet()) {
            childLines.add("(" + c.getKey() + "): " + c.getValue().toString().replace("\n", "\n  "));
        }
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extra.size() == 1 && childLines.isEmpty()) {
            sb.append(extra.get(0));
        } else if (!extra.isEmpty() || !childLines.isEmpty()) {
            List<String> lines = new ArrayList<>(extra);
            lines.addAll(childLines);
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }
}
