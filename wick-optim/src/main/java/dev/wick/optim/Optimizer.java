package dev.wick.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Base class of the optimizers: parameter groups with their options, per-parameter state, and
 * PyTorch's state-dict layout.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.05).withMomentum(0.9));
 * for (var batch : loader) {
 *     try (Scope s = Scope.open()) {
 *         Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
 *         loss.backward();
 *         opt.step();
 *         opt.zeroGrad();
 *     }
 * }
 * Map<String, Object> sd = opt.stateDict();   // {"state": {0: {...}}, "param_groups": [{..., "params": [0, 1]}]}
 * }</pre>
 *
 * <p>Lifecycle: construct with the parameters (or groups) and default options; every group is filled
 * from the defaults and validated at once, so a bad option fails at construction with its name
 * ({@code Invalid learning rate: -0.1}). Each {@link #step()} reads the groups' current options, so a
 * scheduler or a user may change {@code lr} (or any option) between steps.
 *
 * <p>State-dict layout ({@link #stateDict()}), shared with the checkpoint codec and identical to
 * PyTorch 1.13's {@code optimizer.state_dict()}: a map with
 * <ul>
 *   <li>{@code "state"}: {@code Map<Long, Map<String, Object>>}, parameter index (counted across the
 *       groups in order) to that parameter's state ({@code "step"}, {@code "exp_avg"}, ...), only for
 *       parameters that have state;</li>
 *   <li>{@code "param_groups"}: {@code List<Map<String, Object>>}, each group's options plus
 *       {@code "params"}, the {@code List<Long>} of its parameters' indices.</li>
 * </ul>
 * Numbers are {@code Long} or {@code Double}; tuples (such as {@code betas}) are {@code List}s.
 *
 * <p>NOTE [state ownership]: optimizer state is long-lived while {@code step()} usually runs inside
 * the trainer's per-step {@link Scope}. State tensors are therefore created with
 * {@link Scope#outside}: the garbage collector owns them, and this optimizer holds them in its state
 * map, so they live exactly as long as the optimizer (or until {@link #loadStateDict} replaces them).
 * Temporaries of a step (gradient wrappers, intermediate lists) are made in a scope of the step's own
 * and freed when it returns.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<ParamGroup> groupsView = Collections.unmodifiableList(groups);
    /** Per-parameter state, keyed by the parameter object of its group. */
    private final IdentityHashMap<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    /** TensorImpl address -> [group, index], to reject a parameter given twice. */
    private final Map<Long, int[]> where = new HashMap<>();

    /** An optimizer over one group holding {@code params}. */
    protected Optimizer(Iterable<Tensor> params, Map<String, Object> defaults) {
        this(List.of(new ParamGroup(toList(params))), defaults);
    }

    /** An optimizer over the given groups; options a group lacks come from {@code defaults}. */
    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(defaults, "defaults");
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : defaults.entrySet()) d.put(e.getKey(), ParamGroup.normalize(e.getValue()));
        this.defaults = Collections.unmodifiableMap(d);
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** An options map in the given key order (PyTorch's): {@code optionMap("lr", 0.1, "foreach", null)}. */
    static Map<String, Object> optionMap(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static List<Tensor> toList(Iterable<Tensor> params) {
        Objects.requireNonNull(params, "params");
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : params) out.add(t);
        if (out.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        return out;
    }

    // ------------------------------------------------------------------ groups

    /** The parameter groups, in order. The list is read-only; each group's options can be changed. */
    public List<ParamGroup> paramGroups() { return groupsView; }

    /** The default options (PyTorch's {@code optimizer.defaults}), read-only. */
    public Map<String, Object> defaults() { return defaults; }

    /**
     * Adds a group (PyTorch's {@code add_param_group}): fills the options it lacks from the defaults and
     * validates them. A parameter already in this optimizer, or a non-leaf tensor, is an
     * {@link IllegalArgumentException} naming it by group, index and shape.
     */
    public void addParamGroup(ParamGroup group) {
        Objects.requireNonNull(group, "group");
        if (groups.contains(group)) throw new IllegalArgumentException("This parameter group is already in the optimizer (group " + groups.indexOf(group) + ")");
        int gi = groups.size();
        Map<Long, int[]> added = new HashMap<>();
        List<Tensor> ps = group.params();
        for (int i = 0; i < ps.size(); i++) {
            Tensor p = ps.get(i);
            if (!p.isAlive()) throw new IllegalArgumentException("Parameter " + i + " of group " + gi + " was freed");
            if (!p.isLeaf())
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor: parameter " + i + " of group " + gi + " (shape " + Arrays.toString(p.shape()) + ")");
            if (!p.isFloatingPoint())
                throw new IllegalArgumentException("Parameter " + i + " of group " + gi + " (shape " + Arrays.toString(p.shape()) + ") is " + p.dtype() + "; only floating-point tensors can be optimized");
            long key = implAddress(p);
            int[] prev = where.get(key);
            if (prev == null) prev = added.get(key);
            if (prev != null)
                throw new IllegalArgumentException("Parameter " + i + " of group " + gi + " (shape " + Arrays.toString(p.shape())
                        + ") is already in the optimizer as parameter " + prev[1] + " of group " + prev[0]
                        + ": a parameter can appear in only one group, once");
            added.put(key, new int[]{gi, i});
        }
        Map<String, Object> merged = new LinkedHashMap<>(group.options());
        for (Map.Entry<String, Object> e : defaults.entrySet()) merged.putIfAbsent(e.getKey(), e.getValue());
        validateGroup(new ParamGroup(List.of(), merged));   // a rejected group is left as it was
        for (Map.Entry<String, Object> e : defaults.entrySet()) group.setIfAbsent(e.getKey(), e.getValue());
        where.putAll(added);
        groups.add(group);
    }

    /**
     * Checks a group's options once the defaults are filled in; throws {@link IllegalArgumentException}
     * naming the bad option and value. It sees the options only (the group passed may have no
     * parameters), and it runs from the constructor, so it must not use the subclass's fields.
     */
    protected abstract void validateGroup(ParamGroup group);

    private static long implAddress(Tensor p) {
        return p.unwrap().unsafeGetTensorImpl().address();
    }

    // ------------------------------------------------------------------ gradients

    /** Sets every parameter's gradient to none (PyTorch 2.x's default {@code zero_grad()}). */
    public void zeroGrad() { zeroGrad(true); }

    /**
     * Clears the gradients: to none when {@code setToNone} (the next backward allocates fresh ones), or
     * by filling the existing gradients with zeros (detached from any graph).
     */
    public void zeroGrad(boolean setToNone) {
        try (Scope s = Scope.open()) {
            List<Tensor> toZero = new ArrayList<>();
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    if (setToNone) {
                        p.setGrad(null);
                    } else {
                        if (grad.isLeaf()) grad.requiresGrad(false); else grad.detach_();
                        toZero.add(grad);
                    }
                }
            }
            if (!toZero.isEmpty()) Foreach.zero_(toZero);
        }
    }

    // ------------------------------------------------------------------ steps

    /** Updates every parameter that has a gradient, from its group's current options. */
    public abstract void step();

    /**
     * Evaluates {@code closure} (with gradients on) and then takes a step; returns the loss. LBFGS
     * evaluates it several times per step.
     */
    public double step(LossClosure closure) {
        Objects.requireNonNull(closure, "closure");
        double loss = evaluate(closure);
        step();
        return loss;
    }

    /** Runs the closure with gradients enabled and returns its loss as a double. */
    protected static double evaluate(LossClosure closure) {
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.enableGrad()) {
            Tensor loss = closure.evaluate();
            if (loss == null) throw new IllegalStateException("The closure returned null instead of the loss");
            return loss.item();
        }
    }

    /**
     * The loop every step shares: in a scope of the step's own, with gradients off, runs
     * {@code update} for each group that has at least one parameter with a gradient (dense only).
     */
    final void forEachGroupWithGrads(BiConsumer<ParamGroup, WithGrad> update) {
        try (Scope s = Scope.open(); Autograd.Guard ng = Autograd.noGrad()) {
            for (ParamGroup g : groups) {
                WithGrad wg = withGrad(g, false);
                if (!wg.isEmpty()) update.accept(g, wg);
            }
        }
    }

    /** The parameters of a group that have a gradient, with those gradients. */
    record WithGrad(List<Tensor> params, List<Tensor> grads) {
        boolean isEmpty() { return params.isEmpty(); }
    }

    /**
     * Gathers the parameters of {@code group} that have a gradient (gradient wrappers belong to the
     * current scope). Sparse gradients are rejected unless {@code sparseOk}.
     */
    WithGrad withGrad(ParamGroup group, boolean sparseOk) {
        List<Tensor> ps = new ArrayList<>(group.params().size());
        List<Tensor> gs = new ArrayList<>(group.params().size());
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (!sparseOk && g.unwrap().is_sparse())
                throw new IllegalStateException(getClass().getSimpleName() + " does not support sparse gradients");
            ps.add(p);
            gs.add(g);
        }
        return new WithGrad(ps, gs);
    }

    /**
     * The gradients as the update uses them: negated when {@code maximize}, plus
     * {@code weightDecay·p} when it is not 0 (new tensors; the parameters' gradients are untouched).
     */
    static List<Tensor> effectiveGrads(List<Tensor> params, List<Tensor> grads, boolean maximize, double weightDecay) {
        List<Tensor> g = maximize ? Foreach.neg(grads) : grads;
        return weightDecay != 0 ? Foreach.add(g, params, weightDecay) : g;
    }

    /**
     * Positions of {@code steps} (float 0-dim tensors) grouped by value, in order: parameters that
     * joined late have smaller step counts and their own bias corrections. Usually one bucket.
     */
    static Map<Double, List<Integer>> bucketBySteps(List<Tensor> steps) {
        Map<Double, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) out.computeIfAbsent(steps.get(i).item(), k -> new ArrayList<>()).add(i);
        return out;
    }

    /** The elements of {@code list} at {@code idx} (the whole list when idx covers it). */
    static <T> List<T> pick(List<T> list, List<Integer> idx) {
        if (idx.size() == list.size()) return list;
        List<T> out = new ArrayList<>(idx.size());
        for (int i : idx) out.add(list.get(i));
        return out;
    }

    // ------------------------------------------------------------------ state

    /**
     * The state of {@code param} (created empty on first use). Tensors put in it must outlive the step:
     * make them with {@link #newState}.
     */
    protected Map<String, Object> state(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** Whether {@code param} has any state yet. */
    protected boolean hasState(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s != null && !s.isEmpty();
    }

    /**
     * The state entries of a parameter of {@code group}, in PyTorch's order, for {@link #gatherState}
     * and {@link #requiredStateKeys}. None by default (an optimizer that keeps its state its own way).
     */
    List<StateKey> stateKeys(ParamGroup group) { return List.of(); }

    /**
     * The state of {@code params} (parameters of {@code group}) as per-key lists for a kernel, as
     * PyTorch's {@code step()} gathers them: a parameter without state gets every entry of
     * {@link #stateKeys} first; an entry marked {@link StateKey#whenMissing} is also created when an
     * existing state lacks it; an integer step is incremented here (and not collected); a tensor step
     * is collected through {@link #stepTensor}. Entries not in use for this group map to no list.
     */
    final Map<String, List<Tensor>> gatherState(ParamGroup group, List<Tensor> params) {
        List<StateKey> keys = stateKeys(group);
        Map<String, List<Tensor>> lists = new HashMap<>();
        for (StateKey k : keys) if (k.kind() != StateKey.Kind.STEP_COUNT) lists.put(k.name(), new ArrayList<>(params.size()));
        for (Tensor p : params) {
            Map<String, Object> st = state(p);
            boolean first = st.isEmpty();
            for (StateKey k : keys)
                if (first || (k.optional() && !(st.get(k.name()) instanceof Tensor))) st.put(k.name(), k.first(p));
            for (StateKey k : keys) {
                switch (k.kind()) {
                    case STEP_COUNT -> st.put(k.name(), ((Number) st.get(k.name())).longValue() + 1);
                    case STEP_TENSOR -> lists.get(k.name()).add(stepTensor(st));
                    case TENSOR -> lists.get(k.name()).add((Tensor) st.get(k.name()));
                }
            }
        }
        return lists;
    }

    /**
     * The state's {@code step} as a float32 0-dim tensor; a number (a state saved by PyTorch before
     * 1.12) is converted in place, as PyTorch's {@code __setstate__} does.
     */
    static Tensor stepTensor(Map<String, Object> st) {
        Object v = st.get("step");
        if (v instanceof Tensor t) return t;
        double s = v instanceof Number n ? n.doubleValue() : 0.0;
        Tensor t = newState(() -> Tensor.scalar(s));
        st.put("step", t);
        return t;
    }

    /** Makes a long-lived state tensor (owned by the GC, held by this optimizer), whatever scopes are open. */
    protected static Tensor newState(Supplier<Tensor> make) {
        return Scope.outside(make);
    }

    /**
     * The state keys a parameter of {@code group} must have once it has any state, for
     * {@link #loadStateDict} to name what a loaded state lacks. Empty by default (Wick's optimizers
     * name their {@code stateKeys}).
     */
    protected List<String> requiredStateKeys(ParamGroup group) {
        List<String> names = new ArrayList<>();
        for (StateKey k : stateKeys(group)) names.add(k.name());
        return names;
    }

    /**
     * Checks one loaded state entry before it replaces the current state; the default rule: every
     * tensor with at least one dimension has the parameter's shape. {@code what} names the entry.
     */
    protected void checkLoadedState(String what, Tensor param, Map<String, Object> st) {
        for (Map.Entry<String, Object> e : st.entrySet()) {
            if (e.getValue() instanceof Tensor t && t.dim() > 0 && !Arrays.equals(t.shape(), param.shape()))
                throw new IllegalArgumentException(what + ": '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + " but the parameter has shape " + Arrays.toString(param.shape()));
        }
    }

    /**
     * This optimizer's state in PyTorch's layout (see the class comment). State tensors alias the live
     * state (as in PyTorch): they are fresh handles on the same memory, owned by the GC, so closing them
     * does not hurt the optimizer; clone them to snapshot.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<Long, Map<String, Object>> st = new LinkedHashMap<>();
        List<Map<String, Object>> pg = new ArrayList<>();
        long index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> packed = new LinkedHashMap<>(g.options());
            List<Long> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : s.entrySet()) copy.put(e.getKey(), export(e.getValue()));
                    st.put(index, copy);
                }
                ids.add(index++);
            }
            packed.put("params", ids);
            pg.add(packed);
        }
        out.put("state", st);
        out.put("param_groups", pg);
        return out;
    }

    private static Object export(Object v) {
        if (v instanceof Tensor t) return Scope.outside(() -> Tensor.wrapBorrowed(t.unwrap()));
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(export(o));
            return out;
        }
        return v;
    }

    /**
     * Replaces the groups' options and the state with those of {@code sd} (PyTorch's layout, from
     * {@link #stateDict()} or a file saved by Python). The group count, each group's size, the
     * parameter indices and the state tensors' shapes must match; the error names what does not.
     * State tensors are copied (the optimizer never aliases {@code sd}), floating-point ones cast to
     * their parameter's dtype except {@code step}, as PyTorch does. Nothing changes when it fails.
     */
    public void loadStateDict(Map<String, Object> sd) {
        Objects.requireNonNull(sd, "state dict");
        Object pgObj = sd.get("param_groups");
        Object stObj = sd.get("state");
        if (!(pgObj instanceof List<?> savedGroups))
            throw new IllegalArgumentException("Optimizer state dict has no 'param_groups' list (keys: " + sd.keySet() + ")");
        if (!(stObj instanceof Map<?, ?> savedState))
            throw new IllegalArgumentException("Optimizer state dict has no 'state' map (keys: " + sd.keySet() + ")");
        if (savedGroups.size() != groups.size())
            throw new IllegalArgumentException("loaded state dict has " + savedGroups.size() + " parameter group(s), but this optimizer has " + groups.size());

        // 1. map saved indices to parameters, check sizes, and build the new options
        Map<Long, Tensor> byId = new HashMap<>();
        Map<Long, ParamGroup> groupOf = new HashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            if (!(savedGroups.get(gi) instanceof Map<?, ?> sg))
                throw new IllegalArgumentException("param_groups[" + gi + "] of the loaded state dict is not a map");
            if (!(sg.get("params") instanceof List<?> ids))
                throw new IllegalArgumentException("param_groups[" + gi + "] of the loaded state dict has no 'params' list");
            if (ids.size() != g.params().size())
                throw new IllegalArgumentException("parameter group " + gi + " of the loaded state dict has " + ids.size()
                        + " parameter(s), but this optimizer's group " + gi + " has " + g.params().size());
            for (int i = 0; i < ids.size(); i++) {
                if (!(ids.get(i) instanceof Number n))
                    throw new IllegalArgumentException("param_groups[" + gi + "].params[" + i + "] is not an index: " + ids.get(i));
                long id = n.longValue();
                if (byId.put(id, g.params().get(i)) != null)
                    throw new IllegalArgumentException("parameter index " + id + " appears twice in the loaded param_groups");
                groupOf.put(id, g);
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : sg.entrySet()) {
                if (!(e.getKey() instanceof String k))
                    throw new IllegalArgumentException("param_groups[" + gi + "] has a non-string key: " + e.getKey());
                if (!k.equals("params")) opts.put(k, ParamGroup.normalize(e.getValue()));
            }
            for (Map.Entry<String, Object> e : defaults.entrySet()) opts.putIfAbsent(e.getKey(), e.getValue());
            ParamGroup probe = new ParamGroup(g.params(), opts);
            try {
                validateGroup(probe);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("param_groups[" + gi + "] of the loaded state dict: " + e.getMessage(), e);
            }
            newOptions.add(opts);
        }

        // 2. check and copy the state
        IdentityHashMap<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        try {
            for (Map.Entry<?, ?> e : savedState.entrySet()) {
                if (!(e.getKey() instanceof Number n))
                    throw new IllegalArgumentException("state key " + e.getKey() + " is not a parameter index");
                long id = n.longValue();
                Tensor p = byId.get(id);
                if (p == null)
                    throw new IllegalArgumentException("state of parameter " + id + ", which is in none of the loaded param_groups " + byId.keySet());
                if (!(e.getValue() instanceof Map<?, ?> entry))
                    throw new IllegalArgumentException("state of parameter " + id + " is not a map");
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> se : entry.entrySet()) {
                    String k = String.valueOf(se.getKey());
                    copy.put(k, importValue(k, se.getValue(), p));
                }
                String what = "state of parameter " + id + " (shape " + Arrays.toString(p.shape()) + ")";
                if (!copy.isEmpty()) {
                    for (String req : requiredStateKeys(new ParamGroup(List.of(), newOptions.get(groups.indexOf(groupOf.get(id))))))
                        if (!copy.containsKey(req))
                            throw new IllegalArgumentException(what + " lacks '" + req + "' (it has " + copy.keySet() + ")");
                }
                checkLoadedState(what, p, copy);
                newState.put(p, copy);
            }
        } catch (RuntimeException ex) {
            for (Map<String, Object> m : newState.values()) release(m.values());
            throw ex;
        }

        // 3. commit
        for (int gi = 0; gi < groups.size(); gi++) groups.get(gi).replaceOptions(newOptions.get(gi));
        state.clear();
        state.putAll(newState);
    }

    private static Object importValue(String key, Object v, Tensor param) {
        if (v instanceof Tensor t) {
            return Scope.outside(() -> {
                Tensor c = t.detach().clone();
                if (!key.equals("step") && c.isFloatingPoint() && param.isFloatingPoint() && c.dtype() != param.dtype()) {
                    DType d = param.dtype();
                    Tensor cast = c.to(d);
                    c.close();
                    return cast;
                }
                return c;
            });
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(importValue(key, o, param));
            return out;
        }
        return ParamGroup.normalize(v);
    }

    private static void release(Iterable<?> values) {
        for (Object o : values) {
            if (o instanceof Tensor t) t.close();
            else if (o instanceof List<?> l) release(l);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            for (Map.Entry<String, Object> e : groups.get(i).options().entrySet())
                sb.append("\n    ").append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.append("\n)").toString();
    }
}
