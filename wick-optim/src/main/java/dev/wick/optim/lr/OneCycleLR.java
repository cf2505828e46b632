package dev.wick.optim.lr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;

/**
 * The 1cycle policy (Smith &amp; Topin 2017): the learning rate rises from {@code max_lr / div_factor} to
 * {@code max_lr}, then anneals to {@code initial_lr / final_div_factor}, while momentum does the
 * opposite. PyTorch's {@code OneCycleLR}; stepped after every batch.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, 0.1, OneCycleLR.Options.steps(epochs, loader.size()));
 * var quick = new OneCycleLR(opt, 0.1, 1000);                                     // total_steps = 1000
 * var paper = new OneCycleLR(opt, 0.1, OneCycleLR.Options.totalSteps(1000).withThreePhase(true));
 * }</pre>
 *
 * <p>Phases (fastai's two by default): up from {@code initial_lr} to {@code max_lr} over the first
 * {@code pct_start * total_steps - 1} steps, then down to {@code min_lr} at {@code total_steps - 1}.
 * With {@code three_phase}: up, back down to {@code initial_lr} symmetrically, then down to
 * {@code min_lr}. Within a phase, {@code pct = (t - start) / (end - start)} and the value is
 * {@code end + (start - end) / 2 * (1 + cos(pi * pct))} ({@link Anneal#COS}) or {@code start + (end -
 * start) * pct} ({@link Anneal#LINEAR}). As in PyTorch, {@code step()} may be called {@code total_steps}
 * times after construction (the last continues the final phase); one more is an error.
 *
 * <p>Construction writes {@code initial_lr}, {@code max_lr}, {@code min_lr} and, with momentum cycling,
 * {@code max_momentum}, {@code base_momentum} and the momentum itself into each group, as PyTorch does.
 */
public final class OneCycleLR extends LRScheduler {
    /** The annealing curve within a phase. */
    public enum Anneal { COS, LINEAR }

    /**
     * OneCycleLR's settings: the cycle length ({@code total_steps}, or {@code epochs} and
     * {@code steps_per_epoch}) and PyTorch's defaults for the rest.
     */
    public record Options(Integer totalSteps, Integer epochs, Integer stepsPerEpoch, double pctStart, Anneal annealStrategy,
                          boolean cycleMomentum, double[] baseMomentum, double[] maxMomentum, double divFactor,
                          double finalDivFactor, boolean threePhase) {
        /** No cycle length yet (set one), pct_start 0.3, cos, momentum 0.85 - 0.95, div 25, final div 1e4. */
        public static Options defaults() {
            return new Options(null, null, null, 0.3, Anneal.COS, true, new double[] {0.85}, new double[] {0.95}, 25.0, 1e4, false);
        }

        /** A cycle of {@code totalSteps} steps. */
        public static Options totalSteps(int totalSteps) { return defaults().withTotalSteps(totalSteps); }

        /** A cycle of {@code epochs * stepsPerEpoch} steps. */
        public static Options steps(int epochs, int stepsPerEpoch) { return defaults().withEpochs(epochs, stepsPerEpoch); }

        public Options withTotalSteps(int n) {
            return new Options(n, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        /** Used when {@code total_steps} is not set. */
        public Options withEpochs(int epochs, int stepsPerEpoch) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        /** The fraction of the cycle spent raising the learning rate. */
        public Options withPctStart(double p) {
            return new Options(totalSteps, epochs, stepsPerEpoch, p, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withAnnealStrategy(Anneal a) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, a, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withCycleMomentum(boolean on) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, on, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        /** The momentum at the peak learning rate: one value, or one per group. */
        public Options withBaseMomentum(double... m) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, m.clone(), maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        /** The momentum at the start and end of the cycle: one value, or one per group. */
        public Options withMaxMomentum(double... m) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, m.clone(), divFactor, finalDivFactor, threePhase);
        }

        /** {@code initial_lr = max_lr / div_factor}. */
        public Options withDivFactor(double d) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, d, finalDivFactor, threePhase);
        }

        /** {@code min_lr = initial_lr / final_div_factor}. */
        public Options withFinalDivFactor(double d) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, d, threePhase);
        }

        /** The paper's three phases instead of fastai's two. */
        public Options withThreePhase(boolean on) {
            return new Options(totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, on);
        }
    }

    /** One phase: it ends at {@code endStep} and goes between the named group values. */
    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private static final String NAME = "OneCycleLR";
    private static final Set<String> LR_KEYS = Set.of("initial_lr", "max_lr", "min_lr");
    private static final Set<String> MOMENTUM_KEYS = Set.of("max_momentum", "base_momentum");

    private int totalSteps;
    private List<Phase> phases;
    private Anneal anneal;
    private boolean cycleMomentum;
    private boolean useBeta1;
    private final double[] initialLrs, maxLrs, minLrs;
    private double[] maxMomentums, baseMomentums;

    /** A cycle of {@code totalSteps} steps peaking at {@code maxLr}, with PyTorch's defaults. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) { this(optimizer, maxLr, Options.totalSteps(totalSteps)); }

    public OneCycleLR(Optimizer optimizer, double maxLr, Options options) { this(optimizer, new double[] {maxLr}, options); }

    /** Per-group peaks (one value, or one per group). */
    public OneCycleLR(Optimizer optimizer, double[] maxLrs, Options options) {
        super(optimizer);
        Objects.requireNonNull(options, "options");
        int n = groupCount();
        if (options.totalSteps() != null) {
            requirePositive(NAME, "total_steps", options.totalSteps());
            totalSteps = options.totalSteps();
        } else if (options.epochs() != null && options.stepsPerEpoch() != null) {
            requirePositive(NAME, "epochs", options.epochs());
            requirePositive(NAME, "steps_per_epoch", options.stepsPerEpoch());
            long t = (long) options.epochs() * options.stepsPerEpoch();
            if (t > Integer.MAX_VALUE) throw new IllegalArgumentException(NAME + ": epochs * steps_per_epoch = " + t + " is too many steps");
            totalSteps = (int) t;
        } else {
            throw new IllegalArgumentException(NAME + ": total_steps or (epochs and steps_per_epoch) required");
        }
        double pct = options.pctStart();
        if (!(pct >= 0 && pct <= 1)) throw new IllegalArgumentException(NAME + ": pct_start must be in [0, 1], got " + pct);
        this.anneal = Objects.requireNonNull(options.annealStrategy(), "anneal_strategy");
        this.phases = phases(totalSteps, pct, options.threePhase());
        if (phases.get(0).endStep() == 0)
            throw new IllegalArgumentException(NAME + ": pct_start " + pct + " * total_steps " + totalSteps + " = 1 leaves the first phase empty");
        double div = options.divFactor(), finalDiv = options.finalDivFactor();
        if (!(div > 0) || Double.isInfinite(div)) throw new IllegalArgumentException(NAME + ": div_factor must be positive, got " + div);
        if (!(finalDiv > 0) || Double.isInfinite(finalDiv)) throw new IllegalArgumentException(NAME + ": final_div_factor must be positive, got " + finalDiv);
        this.maxLrs = perGroup(NAME, "max_lr", maxLrs, n);
        requireNonNegative(NAME, "max_lr", this.maxLrs);
        this.cycleMomentum = options.cycleMomentum();
        if (cycleMomentum) {
            useBeta1 = Momentum.usesBeta1(NAME, optimizer);
            maxMomentums = perGroup(NAME, "max_momentum", options.maxMomentum(), n);
            baseMomentums = perGroup(NAME, "base_momentum", options.baseMomentum(), n);
            Momentum.check(NAME, "max_momentum", maxMomentums);
            Momentum.check(NAME, "base_momentum", baseMomentums);
        }
        initialLrs = new double[n];
        minLrs = new double[n];
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < n; i++) {
            initialLrs[i] = this.maxLrs[i] / div;
            minLrs[i] = initialLrs[i] / finalDiv;
            ParamGroup g = groups.get(i);
            g.set("initial_lr", initialLrs[i]);
            g.set("max_lr", this.maxLrs[i]);
            g.set("min_lr", minLrs[i]);
            if (cycleMomentum) {
                Momentum.set(g, useBeta1, maxMomentums[i]);
                g.set("max_momentum", maxMomentums[i]);
                g.set("base_momentum", baseMomentums[i]);
            }
        }
        start(initialLrs);
    }

    private static List<Phase> phases(int total, double pct, boolean three) {
        if (three)
            return List.of(new Phase(pct * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pct * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        return List.of(new Phase(pct * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    private double value(String key, int group) {
        return switch (key) {
            case "initial_lr" -> initialLrs[group];
            case "max_lr" -> maxLrs[group];
            case "min_lr" -> minLrs[group];
            case "max_momentum" -> maxMomentums[group];
            case "base_momentum" -> baseMomentums[group];
            default -> throw new IllegalStateException("unknown phase value " + key);
        };
    }

    private double annealed(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = StrictMath.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    /** The value at {@code step} for {@code group}: the learning rate, or the momentum. */
    private double at(int step, int group, boolean momentum) {
        if (step > totalSteps)
            throw new IllegalStateException(NAME + ": tried to step " + (step + 1) + " times; the specified number of total steps is " + totalSteps);
        double start = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            if (step <= p.endStep() || i == phases.size() - 1) {
                // NOTE [empty phase]: PyTorch divides by zero here (ZeroDivisionError) when the phase is
                // empty, e.g. pct_start * total_steps == 1 on the initial step; Wick names the phase.
                if (p.endStep() == start)
                    throw new IllegalStateException(NAME + ": phase " + (i + 1) + " of " + phases.size() + " is empty (it starts and ends at step "
                            + start + "), so step " + step + " has no learning rate; change pct_start or total_steps");
                double pct = (step - start) / (p.endStep() - start);
                return momentum ? annealed(value(p.startMomentum(), group), value(p.endMomentum(), group), pct)
                        : annealed(value(p.startLr(), group), value(p.endLr(), group), pct);
            }
            start = p.endStep();
        }
        throw new IllegalStateException("no phase");
    }

    @Override
    protected double[] computeLr(int epoch, double[] previous) {
        double[] out = new double[groupCount()];
        for (int i = 0; i < out.length; i++) out[i] = at(epoch, i, false);
        return out;
    }

    @Override
    protected void applyExtras(int epoch) {
        if (!cycleMomentum) return;
        List<ParamGroup> groups = optimizer().paramGroups();
        for (int i = 0; i < groups.size(); i++) Momentum.set(groups.get(i), useBeta1, at(epoch, i, true));
    }

    /** The number of steps in the cycle. */
    public int totalSteps() { return totalSteps; }

    @Override
    void putState(Map<String, Object> sd) {
        sd.put("total_steps", (long) totalSteps);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Phase p : phases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("end_step", p.endStep());
            m.put("start_lr", p.startLr());
            m.put("end_lr", p.endLr());
            m.put("start_momentum", p.startMomentum());
            m.put("end_momentum", p.endMomentum());
            ps.add(m);
        }
        sd.put("_schedule_phases", ps);
        sd.put("_anneal_func_type", anneal == Anneal.COS ? "cos" : "linear");   // PyTorch 2's key; 1.13 saves the function
        sd.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) sd.put("use_beta1", useBeta1);
    }

    @Override
    void readState(StateReader r) {
        int total = r.getInt("total_steps");
        requirePositive(NAME, "total_steps", total);
        List<Phase> ps = new ArrayList<>();
        for (Map<String, Object> m : r.getMaps("_schedule_phases")) {
            StateReader pr = new StateReader(NAME + " _schedule_phases", m);
            ps.add(new Phase(pr.getDouble("end_step"), pr.getString("start_lr", LR_KEYS), pr.getString("end_lr", LR_KEYS),
                    pr.getString("start_momentum", MOMENTUM_KEYS), pr.getString("end_momentum", MOMENTUM_KEYS)));
            pr.finish();
        }
        if (ps.size() != 2 && ps.size() != 3)
            throw new IllegalArgumentException(NAME + " state dict: _schedule_phases has " + ps.size() + " phases, expected 2 or 3");
        Anneal a = anneal;
        if (r.has("_anneal_func_type")) a = r.getString("_anneal_func_type", Set.of("cos", "linear")).equals("cos") ? Anneal.COS : Anneal.LINEAR;
        boolean cycle = r.getBoolean("cycle_momentum");
        if (cycle && !cycleMomentum)
            throw new IllegalArgumentException(NAME + " state dict: cycle_momentum is true but this scheduler was built without momentum cycling");
        boolean beta1 = useBeta1;
        if (cycle && r.has("use_beta1")) beta1 = r.getBoolean("use_beta1");
        totalSteps = total;
        phases = List.copyOf(ps);
        anneal = a;
        cycleMomentum = cycle;
        useBeta1 = beta1;
    }
}
