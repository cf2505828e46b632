package dev.wick.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * L-BFGS, a limited-memory quasi-Newton method (Nocedal and Wright, Numerical Optimization,
 * algorithms 7.4 and 7.5), with an optional strong-Wolfe line search; PyTorch's
 * {@code torch.optim.LBFGS}. Each {@link #step(LossClosure)} runs up to {@code max_iter} iterations
 * and evaluates the closure up to about {@code max_eval} times.
 *
 * <pre>{@code
 * var opt = new LBFGS(model.parameters(), LBFGS.Options.defaults().withLineSearchFn("strong_wolfe"));
 * for (int i = 0; i < 10; i++) {
 *     double loss = opt.step(() -> {
 *         opt.zeroGrad();
 *         Tensor l = F.mseLoss(model.forward(x), y);
 *         l.backward();
 *         return l;
 *     });
 * }
 * }</pre>
 *
 * <p>Iteration k, with g the flattened gradient of all parameters, s_i = x_{i+1} − x_i and
 * y_i = g_{i+1} − g_i kept for the last {@code history_size} pairs with y·s > 1e-10:
 * <pre>
 *   d ← −H·g   by the two-loop recursion, H₀ = (y·s)/(y·y)·I   (d = −g at the first iteration)
 *   t ← min(1, 1/Σ|g|)·lr at the very first iteration, else lr; or the strong-Wolfe step
 *       (c1 = 1e-4, c2 = 0.9, cubic interpolation, at most 25 evaluations)
 *   x ← x + t·d
 * </pre>
 * It stops when max|g| ≤ tolerance_grad, g·d > −tolerance_change, max|t·d| ≤ tolerance_change,
 * |Δloss| < tolerance_change, or after max_iter iterations or max_eval evaluations.
 *
 * <p>There is one parameter group (as in PyTorch). State, kept under the first parameter as PyTorch
 * 1.13 does: {@code func_evals}, {@code n_iter} (integers), {@code d}, {@code prev_flat_grad} (flat
 * tensors), {@code t}, {@code prev_loss} (floats; {@code t} is a 0-dim tensor when it came from
 * tensor arithmetic), {@code old_dirs}, {@code old_stps} (lists of flat tensors), {@code ro},
 * {@code al} (lists of 0-dim tensors, {@code al} padded with None), {@code H_diag} (a 0-dim tensor,
 * or 1).
 *
 * <p>NOTE [scalar precision]: PyTorch computes the line-search scalars partly as Python floats
 * (double) and partly as float32 0-dim tensors (dot products and everything derived from them). Wick
 * tracks which is which ({@link Num}) and rounds the same way, so that the branch decisions and the
 * step sizes agree with PyTorch's.
 */
public final class LBFGS extends Optimizer {

    /** LBFGS's options; the defaults are PyTorch's. {@code maxEval} null means {@code maxIter * 5 / 4}. */
    public record Options(double lr, long maxIter, Long maxEval, double toleranceGrad, double toleranceChange,
                          long historySize, String lineSearchFn) {
        public Options {
            validate(new ParamGroup(List.of(), map(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn)));
        }

        public static Options defaults() { return new Options(1.0, 20, null, 1e-7, 1e-9, 100, null); }
        public static Options lr(double lr) { return defaults().withLr(lr); }

        public Options withLr(double lr) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn); }
        public Options withMaxIter(long maxIter) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn); }
        public Options withMaxEval(Long maxEval) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn); }
        public Options withToleranceGrad(double v) { return new Options(lr, maxIter, maxEval, v, toleranceChange, historySize, lineSearchFn); }
        public Options withToleranceChange(double v) { return new Options(lr, maxIter, maxEval, toleranceGrad, v, historySize, lineSearchFn); }
        public Options withHistorySize(long historySize) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn); }
        /** {@code "strong_wolfe"} or null (a fixed step of lr). */
        public Options withLineSearchFn(String fn) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, fn); }

        /** The options as a group's map, with PyTorch 1.13's keys ({@code max_eval} filled in). */
        public Map<String, Object> toMap() { return map(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn); }

        private static Map<String, Object> map(double lr, long maxIter, Long maxEval, double tolGrad, double tolChange, long history, String ls) {
            return optionMap("lr", lr, "max_iter", maxIter, "max_eval", maxEval != null ? maxEval : maxIter * 5 / 4,
                    "tolerance_grad", tolGrad, "tolerance_change", tolChange, "history_size", history,
                    "line_search_fn", ls);
        }
    }

    private static final double C1 = 1e-4, C2 = 0.9;
    private static final int MAX_LS = 25;

    public LBFGS(Iterable<Tensor> params) { this(params, Options.defaults()); }

    public LBFGS(Iterable<Tensor> params, Options options) { super(params, options.toMap()); }

    /** LBFGS over a list holding exactly one group. */
    public LBFGS(List<ParamGroup> groups, Options defaults) { super(groups, defaults.toMap()); }

    /** Only one group can exist: a second is an error, as in PyTorch. */
    @Override
    public void addParamGroup(ParamGroup group) {
        if (!paramGroups().isEmpty())
            throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups): it takes exactly one group");
        super.addParamGroup(group);
    }

    @Override
    protected void validateGroup(ParamGroup group) { validate(group); }

    static void validate(ParamGroup g) {
        Check.lr(g);
        Check.positive(g, "max_iter", "max_iter value");
        Check.positive(g, "max_eval", "max_eval value");
        Check.nonNegative(g, "tolerance_grad", "tolerance_grad value");
        Check.nonNegative(g, "tolerance_change", "tolerance_change value");
        Check.positive(g, "history_size", "history_size value");
        Object ls = g.get("line_search_fn");
        if (ls != null && !"strong_wolfe".equals(ls)) throw Check.invalid("line_search_fn", "'" + ls + "'", "only 'strong_wolfe' or None is supported");
    }

    @Override
    protected List<String> requiredStateKeys(ParamGroup g) { return List.of("func_evals", "n_iter"); }

    @Override
    protected void checkLoadedState(String what, Tensor param, Map<String, Object> st) {
        long numel = 0;
        for (Tensor p : paramGroups().get(0).params()) numel += p.numel();
        for (String k : List.of("d", "prev_flat_grad", "old_dirs", "old_stps")) {
            Object v = st.get(k);
            List<?> vs = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
            for (Object o : vs) {
                if (!(o instanceof Tensor t) || t.dim() != 1 || t.numel() != numel)
                    throw new IllegalArgumentException(what + ": '" + k + "' should hold flat tensors of " + numel
                            + " elements (all parameters), got " + (o instanceof Tensor t ? Arrays.toString(t.shape()) : String.valueOf(o)));
            }
        }
    }

    /** LBFGS evaluates the loss several times per step: use {@link #step(LossClosure)}. */
    @Override
    public void step() {
        throw new IllegalStateException("LBFGS needs a closure that re-evaluates the loss: call step(closure)");
    }

    @Override
    public double step(LossClosure closure) {
        Objects.requireNonNull(closure, "closure");
        ParamGroup group = paramGroups().get(0);
        List<Tensor> params = group.params();
        double lr = group.lr();
        long maxIter = group.getLong("max_iter"), maxEval = group.getLong("max_eval");
        double tolGrad = group.getDouble("tolerance_grad"), tolChange = group.getDouble("tolerance_change");
        int historySize = (int) group.getLong("history_size");
        boolean strongWolfe = "strong_wolfe".equals(group.get("line_search_fn"));

        Map<String, Object> state = state(params.get(0));
        state.putIfAbsent("func_evals", 0L);
        state.putIfAbsent("n_iter", 0L);

        try (Scope scope = Scope.open(); Autograd.Guard ng = Autograd.noGrad()) {
            double origLoss = evaluate(closure);
            double loss = origLoss;
            long currentEvals = 1;
            addCount(state, "func_evals", 1);
            Tensor flatGrad = gatherFlatGrad(params);
            boolean optCond = Num.f32(maxAbs(flatGrad)).le(Num.dbl(tolGrad));
            if (optCond) return origLoss;

            // the previous step's state
            Tensor d = (Tensor) state.get("d");
            Num t = Num.of(state.get("t"));
            List<Tensor> oldDirs = tensors(state.get("old_dirs")), oldStps = tensors(state.get("old_stps"));
            List<Num> ro = nums(state.get("ro"));
            Num hDiag = Num.of(state.get("H_diag"));
            Tensor prevFlatGrad = (Tensor) state.get("prev_flat_grad");
            Num prevLoss = Num.of(state.get("prev_loss"));
            List<Num> al = state.containsKey("al") ? nums(state.get("al")) : null;

            long nIter = 0;
            while (nIter < maxIter) {
                nIter++;
                long globalIter = addCount(state, "n_iter", 1);
                // the descent direction
                if (globalIter == 1) {
                    d = flatGrad.neg();
                    oldDirs = new ArrayList<>();
                    oldStps = new ArrayList<>();
                    ro = new ArrayList<>();
                    hDiag = Num.dbl(1.0);
                } else {
                    Tensor y = flatGrad.sub(prevFlatGrad);
                    Tensor s = d.mul(t.v);
                    Num ys = dot(y, s);
                    if (ys.gt(Num.dbl(1e-10))) {
                        if (oldDirs.size() == historySize) {
                            oldDirs.remove(0);
                            oldStps.remove(0);
                            ro.remove(0);
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(Num.dbl(1.0).div(ys));
                        hDiag = ys.div(dot(y, y));
                    }
                    int numOld = oldDirs.size();
                    if (al == null) {
                        al = new ArrayList<>();
                        for (int i = 0; i < historySize; i++) al.add(null);
                    }
                    Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--) {
                        al.set(i, dot(oldStps.get(i), q).mul(ro.get(i)));
                        q.add_(oldDirs.get(i), -al.get(i).v);
                    }
                    Tensor r = q.mul(hDiag.v);
                    for (int i = 0; i < numOld; i++) {
                        Num be = dot(oldDirs.get(i), r).mul(ro.get(i));
                        r.add_(oldStps.get(i), al.get(i).sub(be).v);
                    }
                    d = r;
                }
                if (prevFlatGrad == null) prevFlatGrad = flatGrad.contiguous().clone();
                else prevFlatGrad.copy_(flatGrad);
                prevLoss = Num.dbl(loss);

                // the step size
                if (globalIter == 1) {
                    Num inv = Num.dbl(1.0).div(Num.f32(flatGrad.abs().sum().item()));
                    t = Num.min(Num.dbl(1.0), inv).mul(Num.dbl(lr));
                } else {
                    t = Num.dbl(lr);
                }
                Num gtd = dot(flatGrad, d);
                if (gtd.gt(Num.dbl(-tolChange))) break;

                long lsEvals = 0;
                if (strongWolfe) {
                    List<Tensor> xInit = new ArrayList<>();
                    for (Tensor p : params) xInit.add(p.contiguous().clone());
                    LineSearchResult res = strongWolfe(closure, params, xInit, t, d, loss, flatGrad, gtd, tolChange);
                    loss = res.loss;
                    flatGrad = res.grad;
                    t = res.t;
                    lsEvals = res.evals;
                    addGrad(params, t, d);
                    optCond = Num.f32(maxAbs(flatGrad)).le(Num.dbl(tolGrad));
                } else {
                    addGrad(params, t, d);
                    if (nIter != maxIter) {
                        loss = evaluate(closure);
                        flatGrad = gatherFlatGrad(params);
                        optCond = Num.f32(maxAbs(flatGrad)).le(Num.dbl(tolGrad));
                        lsEvals = 1;
                    }
                }
                currentEvals += lsEvals;
                addCount(state, "func_evals", lsEvals);

                if (nIter == maxIter) break;
                if (currentEvals >= maxEval) break;
                if (optCond) break;
                if (Num.f32(maxAbs(d.mul(t.v))).le(Num.dbl(tolChange))) break;
                if (Math.abs(loss - prevLoss.v) < tolChange) break;
            }

            // save the state; tensors made in this step's scope are handed to the GC
            state.put("d", keep(d));
            state.put("t", t.toStateValue());
            state.put("old_dirs", keepAll(oldDirs));
            state.put("old_stps", keepAll(oldStps));
            state.put("ro", toStateValues(ro));
            state.put("H_diag", hDiag.f32 ? hDiag.toStateValue() : Long.valueOf((long) hDiag.v));
            state.put("prev_flat_grad", keep(prevFlatGrad));
            state.put("prev_loss", prevLoss == null ? null : prevLoss.v);
            if (al != null) state.put("al", toStateValues(al));
            return origLoss;
        }
    }

    // ------------------------------------------------------------------ strong Wolfe line search

    private record LineSearchResult(double loss, Tensor grad, Num t, long evals) {}

    /** Loss and flat gradient at x + t·d; the parameters are restored to x afterwards. */
    private static Object[] directionalEvaluate(LossClosure closure, List<Tensor> params, List<Tensor> x, Num t, Tensor d) {
        addGrad(params, t, d);
        double loss = evaluate(closure);
        Tensor flatGrad = gatherFlatGrad(params);
        for (int i = 0; i < params.size(); i++) params.get(i).copy_(x.get(i));
        return new Object[]{loss, flatGrad};
    }

    /**
     * Finds a step satisfying the strong Wolfe conditions: a bracketing phase that grows the step by
     * cubic extrapolation, then a zoom phase that shrinks the bracket by safeguarded cubic
     * interpolation.
     */
    private static LineSearchResult strongWolfe(LossClosure closure, List<Tensor> params, List<Tensor> x, Num t, Tensor d,
                                                double f, Tensor g, Num gtd, double tolChange) {
        Num dNorm = Num.f32(maxAbs(d));
        g = g.contiguous().clone();
        Object[] ev = directionalEvaluate(closure, params, x, t, d);
        double fNew = (double) ev[0];
        Tensor gNew = (Tensor) ev[1];
        long evals = 1;
        Num gtdNew = dot(gNew, d);

        Num tPrev = Num.dbl(0);
        double fPrev = f;
        Tensor gPrev = g;
        Num gtdPrev = gtd;
        boolean done = false;
        int lsIter = 0;
        Num[] bracket = null;
        double[] bracketF = null;
        Tensor[] bracketG = null;
        Num[] bracketGtd = null;
        while (lsIter < MAX_LS) {
            if (armijoFails(fNew, f, t, gtd) || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new Num[]{tPrev, t};
                bracketF = new double[]{fPrev, fNew};
                bracketG = new Tensor[]{gPrev, gNew.clone()};
                bracketGtd = new Num[]{gtdPrev, gtdNew};
                break;
            }
            if (gtdNew.abs().le(Num.dbl(-C2).mul(gtd))) {
                bracket = new Num[]{t};
                bracketF = new double[]{fNew};
                bracketG = new Tensor[]{gNew};
                done = true;
                break;
            }
            if (gtdNew.ge(Num.dbl(0))) {
                bracket = new Num[]{tPrev, t};
                bracketF = new double[]{fPrev, fNew};
                bracketG = new Tensor[]{gPrev, gNew.clone()};
                bracketGtd = new Num[]{gtdPrev, gtdNew};
                break;
            }
            // extrapolate
            Num minStep = t.add(Num.dbl(0.01).mul(t.sub(tPrev)));
            Num maxStep = t.mul(Num.dbl(10));
            Num tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            ev = directionalEvaluate(closure, params, x, t, d);
            fNew = (double) ev[0];
            gNew = (Tensor) ev[1];
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;
        }
        if (lsIter == MAX_LS) {
            bracket = new Num[]{Num.dbl(0), t};
            bracketF = new double[]{f, fNew};
            bracketG = new Tensor[]{g, gNew};
            bracketGtd = new Num[]{gtd, gtdNew};
        }

        // zoom
        boolean insufProgress = false;
        int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1, high = 1 - low;
        while (!done && lsIter < MAX_LS) {
            if (bracket[1].sub(bracket[0]).abs().mul(dNorm).lt(Num.dbl(tolChange))) break;
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);
            Num bMax = Num.max(bracket[0], bracket[1]), bMin = Num.min(bracket[0], bracket[1]);
            Num eps = Num.dbl(0.1).mul(bMax.sub(bMin));
            if (Num.min(bMax.sub(t), t.sub(bMin)).lt(eps)) {
                if (insufProgress || t.ge(bMax) || t.le(bMin)) {
                    t = t.sub(bMax).abs().lt(t.sub(bMin).abs()) ? bMax.sub(eps) : bMin.add(eps);
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            ev = directionalEvaluate(closure, params, x, t, d);
            fNew = (double) ev[0];
            gNew = (Tensor) ev[1];
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;
            if (armijoFails(fNew, f, t, gtd) || fNew >= bracketF[low]) {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew.clone();
                bracketGtd[high] = gtdNew;
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (gtdNew.abs().le(Num.dbl(-C2).mul(gtd))) {
                    done = true;
                } else if (gtdNew.mul(bracket[high].sub(bracket[low])).ge(Num.dbl(0))) {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew.clone();
                bracketGtd[low] = gtdNew;
            }
        }
        return new LineSearchResult(bracketF[low], bracketG[low], bracket[low], evals);
    }

    /** Whether the sufficient-decrease (Armijo) condition fails: f_new > f + c1·t·gtd. */
    private static boolean armijoFails(double fNew, double f, Num t, Num gtd) {
        return Num.dbl(fNew).gt(Num.dbl(f).add(Num.dbl(C1).mul(t).mul(gtd)));
    }

    /**
     * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to the
     * bounds (the interval [x1, x2] when none are given); their midpoint when the cubic has no minimum.
     */
    static Num cubicInterpolate(Num x1, double f1, Num g1, Num x2, double f2, Num g2, Num lo, Num hi) {
        Num xmin, xmax;
        if (lo != null) { xmin = lo; xmax = hi; }
        else if (x1.le(x2)) { xmin = x1; xmax = x2; }
        else { xmin = x2; xmax = x1; }
        Num d1 = g1.add(g2).sub(Num.dbl(3 * (f1 - f2)).div(x1.sub(x2)));
        Num d2sq = d1.mul(d1).sub(g1.mul(g2));
        if (d2sq.ge(Num.dbl(0))) {
            Num d2 = d2sq.sqrt();
            Num minPos = x1.le(x2)
                    ? x2.sub(x2.sub(x1).mul(g2.add(d2).sub(d1).div(g2.sub(g1).add(Num.dbl(2).mul(d2)))))
                    : x1.sub(x1.sub(x2).mul(g1.add(d2).sub(d1).div(g1.sub(g2).add(Num.dbl(2).mul(d2)))));
            return Num.min(Num.max(minPos, xmin), xmax);
        }
        return xmin.add(xmax).div(Num.dbl(2));
    }

    // ------------------------------------------------------------------ helpers

    /** The gradients of all parameters, flattened and concatenated (zeros for a parameter without one). */
    private static Tensor gatherFlatGrad(List<Tensor> params) {
        List<Tensor> views = new ArrayList<>(params.size());
        for (Tensor p : params) {
            Tensor g = p.grad();
            views.add(g == null ? Tensor.zeros(p.dtype(), p.numel()) : g.reshape(-1));
        }
        return Tensor.cat(views, 0);
    }

    /** x ← x + t·update, the flat update split over the parameters. */
    private static void addGrad(List<Tensor> params, Num t, Tensor update) {
        long offset = 0;
        for (Tensor p : params) {
            long n = p.numel();
            p.add_(update.narrow(0, offset, n).viewAs(p), t.v);
            offset += n;
        }
    }

    private static double maxAbs(Tensor t) { return t.abs().max().item(); }

    private static Num dot(Tensor a, Tensor b) { return Num.f32(a.dot(b).item()); }

    private static long addCount(Map<String, Object> state, String key, long n) {
        long v = ((Number) state.get(key)).longValue() + n;
        state.put(key, v);
        return v;
    }

    private static Tensor keep(Tensor t) { return t == null ? null : Scope.detachFromScopes(t); }

    private static List<Object> keepAll(List<Tensor> ts) {
        if (ts == null) return null;
        List<Object> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) out.add(keep(t));
        return out;
    }

    private static List<Tensor> tensors(Object v) {
        if (v == null) return null;
        List<Tensor> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add((Tensor) o);
        return out;
    }

    private static List<Num> nums(Object v) {
        if (v == null) return null;
        List<Num> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add(o == null ? null : Num.of(o));
        return out;
    }

    private static List<Object> toStateValues(List<Num> ns) {
        if (ns == null) return null;
        List<Object> out = new ArrayList<>(ns.size());
        for (Num n : ns) out.add(n == null ? null : n.toStateValue());
        return out;
    }

    /**
     * A scalar of the algorithm: a Python float ({@code f32 == false}, double precision) or a float32
     * 0-dim tensor ({@code f32 == true}). An operation involving a float32 value is done in float32,
     * the other operand rounded to float32 first, as PyTorch's tensor-scalar arithmetic does;
     * {@code double / tensor} is {@code reciprocal(tensor) * double}, as Python's {@code __rtruediv__}.
     */
    static final class Num {
        final double v;
        final boolean f32;

        private Num(double v, boolean f32) { this.v = v; this.f32 = f32; }

        static Num dbl(double v) { return new Num(v, false); }
        static Num f32(double v) { return new Num((float) v, true); }

        /** From a state value: a 0-dim tensor is float32, a number a Python float; null stays null. */
        static Num of(Object o) {
            if (o == null) return null;
            if (o instanceof Tensor t) return f32(t.item());
            if (o instanceof Number n) return dbl(n.doubleValue());
            throw new IllegalStateException("LBFGS state: not a number: " + o);
        }

        Object toStateValue() {
            if (!f32) return v;
            return Scope.outside(() -> Tensor.scalar(v));
        }

        private boolean anyF32(Num o) { return f32 || o.f32; }

        Num add(Num o) { return anyF32(o) ? f32((float) v + (float) o.v) : dbl(v + o.v); }
        Num sub(Num o) { return anyF32(o) ? f32((float) v - (float) o.v) : dbl(v - o.v); }
        Num mul(Num o) { return anyF32(o) ? f32((float) v * (float) o.v) : dbl(v * o.v); }
        Num div(Num o) {
            if (f32) return f32((float) v / (float) o.v);
            if (o.f32) return f32((1.0f / (float) o.v) * (float) v);
            return dbl(v / o.v);
        }
        Num abs() { return new Num(Math.abs(v), f32); }
        Num sqrt() { return f32 ? f32((float) Math.sqrt(v)) : dbl(Math.sqrt(v)); }

        boolean lt(Num o) { return anyF32(o) ? (float) v < (float) o.v : v < o.v; }
        boolean le(Num o) { return anyF32(o) ? (float) v <= (float) o.v : v <= o.v; }
        boolean gt(Num o) { return o.lt(this); }
        boolean ge(Num o) { return o.le(this); }

        /** Python's min(a, b): a unless b < a. */
        static Num min(Num a, Num b) { return b.lt(a) ? b : a; }
        /** Python's max(a, b): a unless b > a. */
        static Num max(Num a, Num b) { return b.gt(a) ? b : a; }

        @Override public String toString() { return v + (f32 ? "f" : ""); }
    }
}
