package dev.wick.optim.lr;

import static dev.wick.optim.lr.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;
import dev.wick.tensor.Tensor;

/** Validation, composites' rules, state-dict strictness, and Wick's own schedules in closed form. */
class SchedulerBehaviourTest {
    /** An optimizer with neither momentum nor betas. */
    static final class PlainOptimizer extends Optimizer {
        PlainOptimizer() { super(List.of(ParamGroup.of(Tensor.zeros(1)).lr(0.1), ParamGroup.of(Tensor.zeros(1)).lr(0.01)), Map.of("lr", 0.1)); }
        @Override protected void validateGroup(ParamGroup group) {}
        @Override public void step() {}
    }

    private static void rejects(String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }

    // ------------------------------------------------------------------ validation

    @Test
    void constructorsNameTheBadValue() {
        Optimizer o = Optimizers.sgd();
        rejects("Invalid gamma: -1.0", () -> new ExponentialLR(o, -1.0));
        rejects("Invalid gamma: 0.0", () -> new StepLR(o, 3, 0.0));
        rejects("StepLR: step_size must be positive, got 0", () -> new StepLR(o, 0));
        rejects("MultiStepLR: milestones must be >= 0, got -2 in [3, -2]", () -> new MultiStepLR(o, new int[] {3, -2}));
        rejects("ConstantLR: factor must be in (0, 1], got 0.0", () -> new ConstantLR(o, 0.0, 3));
        rejects("ConstantLR: total_iters must be positive, got 0", () -> new ConstantLR(o, 0.5, 0));
        rejects("LinearLR: start_factor must be in (0, 1], got 0.0", () -> new LinearLR(o, 0.0, 1.0, 5));
        rejects("LinearLR: end_factor must be in [0, 1], got 1.5", () -> new LinearLR(o, 0.5, 1.5, 5));
        rejects("PolynomialLR: power must be >= 0 and finite, got -1.0", () -> new PolynomialLR(o, 5, -1.0));
        rejects("CosineAnnealingLR: T_max must be positive, got 0", () -> new CosineAnnealingLR(o, 0));
        rejects("CosineAnnealingLR: eta_min must be >= 0 and finite, got -0.1", () -> new CosineAnnealingLR(o, 10, -0.1));
        rejects("CosineAnnealingWarmRestarts: T_0 must be a positive integer, got 0", () -> new CosineAnnealingWarmRestarts(o, 0));
        rejects("CosineAnnealingWarmRestarts: T_mult must be an integer >= 1, got 0", () -> new CosineAnnealingWarmRestarts(o, 5, 0, 0.0));
        rejects("LambdaLR: expected 2 lr_lambdas (one per parameter group), got 1", () -> new LambdaLR(o, List.of(e -> 1.0)));
        rejects("CyclicLR: step_size_up must be positive, got 0", () -> new CyclicLR(o, 0.01, 0.1, CyclicLR.Options.defaults().withStepSizeUp(0)));
        rejects("CyclicLR: expected 2 values for max_lr (one per parameter group) or one, got 3",
                () -> new CyclicLR(o, new double[] {0.01}, new double[] {0.1, 0.2, 0.3}, CyclicLR.Options.defaults()));
        rejects("CyclicLR: base_momentum must be in [0, 1], got 1.5 (group 1)",
                () -> new CyclicLR(o, 0.01, 0.1, CyclicLR.Options.defaults().withBaseMomentum(0.8, 1.5)));
        rejects("OneCycleLR: total_steps or (epochs and steps_per_epoch) required", () -> new OneCycleLR(o, 0.1, OneCycleLR.Options.defaults()));
        rejects("OneCycleLR: steps_per_epoch must be positive, got 0", () -> new OneCycleLR(o, 0.1, OneCycleLR.Options.steps(3, 0)));
        rejects("OneCycleLR: pct_start must be in [0, 1], got 1.5", () -> new OneCycleLR(o, 0.1, OneCycleLR.Options.totalSteps(10).withPctStart(1.5)));
        rejects("OneCycleLR: pct_start 0.1 * total_steps 10 = 1 leaves the first phase empty",
                () -> new OneCycleLR(o, 0.1, OneCycleLR.Options.totalSteps(10).withPctStart(0.1)));
        rejects("ReduceLROnPlateau: factor must be in [0, 1), got 1.0", () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Options.defaults().withFactor(1.0)));
        rejects("ReduceLROnPlateau: patience must be >= 0, got -1", () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Options.defaults().withPatience(-1)));
        rejects("ReduceLROnPlateau: expected 2 values for min_lr (one per parameter group) or one, got 3",
                () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Options.defaults().withMinLr(0, 0, 0)));
        rejects("WarmupStableDecayLR: decay_steps must be positive, got 0", () -> new WarmupStableDecayLR(o, 10, 10, 0));
        rejects("WarmupStableDecayLR: warmup_start_factor must be in [0, 1], got 2.0",
                () -> new WarmupStableDecayLR(o, 10, 10, 10, WarmupStableDecayLR.Options.defaults().withWarmupStartFactor(2.0)));
        rejects("CosineWithMinLR: lr_decay_iters must be greater than warmup_iters, got 4 <= 4", () -> new CosineWithMinLR(o, 4, 4, 0.0));
        // nothing above touched the optimizer's learning rates
        assertEquals(0.1, o.paramGroups().get(0).lr());
        assertEquals(0.01, o.paramGroups().get(1).lr());
        assertFalse(o.paramGroups().get(0).has("initial_lr"));
    }

    @Test
    void momentumCyclingNeedsAnOptimizerWithMomentum() {
        PlainOptimizer o = new PlainOptimizer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(o, 0.1, 100));
        assertTrue(e.getMessage().startsWith("OneCycleLR: optimizer must support momentum (a 'momentum' or 'betas' option) with cycle_momentum enabled"), e.getMessage());
        assertEquals(0.1, o.paramGroups().get(0).lr(), "unchanged");
        new OneCycleLR(o, 0.1, OneCycleLR.Options.totalSteps(100).withCycleMomentum(false));   // fine without cycling
    }

    // ------------------------------------------------------------------ composites

    @Test
    void compositesOwnTheirSchedulers() {
        Optimizer o = Optimizers.sgd();
        LinearLR warmup = new LinearLR(o, 0.1, 1.0, 5);
        CosineAnnealingLR decay = new CosineAnnealingLR(o, 20);
        SequentialLR seq = new SequentialLR(o, List.of(warmup, decay), new int[] {5});
        IllegalStateException e = assertThrows(IllegalStateException.class, warmup::step);
        assertEquals("This LinearLR is stepped by a SequentialLR: step that one instead", e.getMessage());
        rejects("ChainedScheduler schedulers[0] is already stepped by a SequentialLR; a scheduler can belong to one composite",
                () -> new ChainedScheduler(List.of(decay)));
        seq.step();
        assertEquals(1, warmup.lastEpoch(), "the active scheduler follows");
        assertEquals(-1, decay.lastEpoch(), "the next one waits for its milestone");

        Optimizer other = Optimizers.sgd();
        rejects("ChainedScheduler schedulers[1] belongs to a different optimizer than the ChainedScheduler",
                () -> new ChainedScheduler(List.of(new ExponentialLR(o, 0.9), new ExponentialLR(other, 0.9))));
        ExponentialLR stepped = new ExponentialLR(o, 0.9);
        stepped.step();
        rejects("SequentialLR schedulers[0] has already been stepped (last_epoch 1); pass freshly built schedulers",
                () -> new SequentialLR(o, List.of(stepped, new ExponentialLR(o, 0.5)), new int[] {3}));
        rejects("ChainedScheduler schedulers[0] is a ReduceLROnPlateau, which needs a metric; step it separately",
                () -> new ChainedScheduler(List.of(new ReduceLROnPlateau(o))));
        rejects("SequentialLR expects number of schedulers provided to be one more than the number of milestone points, but got 2 schedulers and 2 milestones",
                () -> new SequentialLR(o, List.of(new ExponentialLR(o, 0.9), new ExponentialLR(o, 0.5)), new int[] {3, 4}));
        rejects("SequentialLR: milestones must be increasing positive epochs, got [4, 4]",
                () -> new SequentialLR(o, List.of(new ExponentialLR(o, 0.9), new ExponentialLR(o, 0.5), new ExponentialLR(o, 0.5)), new int[] {4, 4}));
    }

    @Test
    void plateauNeedsItsMetricAndHasNoEpochSchedule() {
        ReduceLROnPlateau p = new ReduceLROnPlateau(Optimizers.sgd());
        assertThrows(UnsupportedOperationException.class, p::step);
        assertThrows(UnsupportedOperationException.class, () -> p.lrAt(3));
        p.step(Double.NaN);   // a NaN metric is a bad epoch, as in PyTorch
        assertEquals(1, p.numBadEpochs());
    }

    @Test
    void aGroupAddedAfterConstructionIsAnError() {
        Optimizer o = Optimizers.sgd();
        StepLR s = new StepLR(o, 2);
        o.addParamGroup(ParamGroup.of(Tensor.zeros(1)).lr(0.5));
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("StepLR was built for 2 parameter group(s) but the optimizer now has 3; build the scheduler after adding the groups", e.getMessage());
    }

    @Test
    void oneCycleRefusesToStepPastItsEnd() {
        Optimizer o = Optimizers.sgd();
        OneCycleLR s = new OneCycleLR(o, 0.1, 5);
        for (int i = 0; i < 5; i++) s.step();   // as in PyTorch, total_steps steps after construction are allowed
        List<Double> last = s.lastLr();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("OneCycleLR: tried to step 7 times; the specified number of total steps is 5", e.getMessage());
        assertEquals(5, s.lastEpoch(), "a failed step changes nothing");
        assertEquals(last, s.lastLr());
    }

    @Test
    void cyclicMomentumCyclesBeta1OfAdam() {
        // PyTorch 2 cycles betas[0] for Adam; its values are those of SGD's momentum (PyTorch 1.13 golden)
        List<double[]> sgdMomentum = Golden.load("cyclic_exp_range").rows("momentum");
        Optimizer adam = Optimizers.adam();
        CyclicLR s = new CyclicLR(adam, new double[] {0.01, 0.001}, new double[] {0.1, 0.05},
                CyclicLR.Options.defaults().withStepSizeUp(5).withMode(CyclicLR.Mode.EXP_RANGE).withGamma(0.9));
        for (int t = 0; t <= 30; t++) {
            if (t > 0) s.step();
            assertClose(sgdMomentum.get(t), Optimizers.momentum(adam), "beta1 at step " + t);
            assertEquals(0.99, ((Number) ((List<?>) adam.paramGroups().get(1).get("betas")).get(1)).doubleValue(), "beta2 untouched");
        }
        assertEquals(Boolean.TRUE, s.stateDict().get("use_beta1"));
    }

    @Test
    void baseLrsAreTheGroupsInitialLr() {
        Optimizer o = Optimizers.sgd();
        ConstantLR first = new ConstantLR(o, 0.5, 2);
        assertEquals(0.1, o.paramGroups().get(0).getDouble("initial_lr"));
        assertEquals(0.05, o.paramGroups().get(0).lr());
        ExponentialLR second = new ExponentialLR(o, 0.9);   // the lr is 0.05 now, but initial_lr is 0.1
        assertEquals(List.of(0.1, 0.01), second.baseLrs());
        assertEquals(List.of(0.1, 0.01), first.baseLrs());
    }

    // ------------------------------------------------------------------ the pure schedule

    @Test
    void lrAtDoesNotDisturbStepping() {
        List<double[]> golden = Golden.load("cosine_annealing_lr").rows("lr");
        CosineAnnealingLR s = new CosineAnnealingLR(Optimizers.sgd(), 10, 0.001);
        for (int t = 1; t <= 12; t++) s.step();
        assertClose(golden.get(27), s.lrAt(27), "jump ahead");
        assertClose(golden.get(2), s.lrAt(2), "jump back");
        for (int t = 13; t <= 30; t++) {
            s.step();
            assertClose(golden.get(t), s.lastLr(), "step " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> s.lrAt(-1));
    }

    @Test
    void warmRestartsWholeEpochStepsArePure() {
        CosineAnnealingWarmRestarts a = new CosineAnnealingWarmRestarts(Optimizers.sgd(), 3, 2, 0.0005);
        for (int t = 1; t <= 25; t++) {
            a.step();
            assertEquals(a.lrAt(t), a.lastLr(), "step() and lrAt agree at " + t);
        }
        a.step(4.0);   // an explicit whole epoch is the same point of the schedule
        assertEquals(a.lrAt(4), a.lastLr());
        assertEquals(4, a.lastEpoch());
    }

    // ------------------------------------------------------------------ state dict strictness

    @Test
    void loadStateDictIsStrictAndAtomic() {
        Optimizer o = Optimizers.sgd();
        StepLR s = new StepLR(o, 3, 0.5);
        for (int i = 0; i < 4; i++) s.step();
        Map<String, Object> before = s.stateDict();
        List<Double> lrBefore = List.of(o.paramGroups().get(0).lr(), o.paramGroups().get(1).lr());

        Map<String, Object> unknown = new LinkedHashMap<>(before);
        unknown.put("gama", 0.1);
        rejects("StepLR state dict: unknown key(s) [gama]; expected [base_lrs, last_epoch, _step_count, _last_lr, step_size, gamma]",
                () -> s.loadStateDict(unknown));

        Map<String, Object> missing = new LinkedHashMap<>(before);
        missing.remove("gamma");
        missing.put("last_epoch", 9L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(missing));
        assertTrue(e.getMessage().startsWith("StepLR state dict: missing 'gamma'"), e.getMessage());

        Map<String, Object> badType = new LinkedHashMap<>(before);
        badType.put("step_size", "three");
        rejects("StepLR state dict: 'step_size' is 'three' (String), not a whole number", () -> s.loadStateDict(badType));

        Map<String, Object> badValue = new LinkedHashMap<>(before);
        badValue.put("gamma", -2.0);
        badValue.put("_last_lr", List.of(9.0, 9.0));
        rejects("Invalid gamma: -2.0", () -> s.loadStateDict(badValue));

        Map<String, Object> wrongGroups = new LinkedHashMap<>(before);
        wrongGroups.put("base_lrs", List.of(0.1));
        rejects("StepLR state dict: 'base_lrs' has 1 value(s), expected 2 (one per parameter group)", () -> s.loadStateDict(wrongGroups));

        assertEquals(before, s.stateDict(), "a failed load changes nothing");
        assertEquals(lrBefore, List.of(o.paramGroups().get(0).lr(), o.paramGroups().get(1).lr()));
    }

    @Test
    void stateDictUsesTheValueModelOfCheckpoints() {
        Map<String, Object> sd = new MultiStepLR(Optimizers.sgd(), new int[] {8, 3, 8}, 0.5).stateDict();
        assertEquals(List.of(3L, 8L, 8L), sd.get("milestones"));
        assertEquals(0L, sd.get("last_epoch"));
        assertEquals(1L, sd.get("_step_count"));
        assertEquals(List.of(0.1, 0.01), sd.get("base_lrs"));
        assertEquals(0.5, sd.get("gamma"));
    }

    // ------------------------------------------------------------------ Wick's own schedules, closed form

    @Test
    void warmupStableDecayShape() {
        Optimizer o = Optimizers.sgd();
        double f = 0.1, min0 = 0.001;
        var cos = new WarmupStableDecayLR(o, 4, 6, 10, WarmupStableDecayLR.Options.defaults().withWarmupStartFactor(f).withMinLr(min0, 0.0));
        assertEquals(0.1 * f, cos.lrAt(0).get(0), 1e-15, "warmup starts at factor * base");
        assertEquals(0.1 * (f + (1 - f) * 2 / 4), cos.lrAt(2).get(0), 1e-15, "linear warmup");
        assertEquals(0.1, cos.lrAt(4).get(0), 0.0, "peak after warmup");
        assertEquals(0.1, cos.lrAt(9).get(0), 0.0, "stable");
        assertEquals(0.1, cos.lrAt(10).get(0), 0.0, "decay starts at the base lr");
        assertEquals((0.1 + min0) / 2, cos.lrAt(15).get(0), 1e-15, "cosine midpoint");
        assertEquals(min0, cos.lrAt(20).get(0), 1e-15, "decay ends at min_lr");
        assertEquals(List.of(min0, 0.0), cos.lrAt(100), "min_lr afterwards");
        assertTrue(cos.lrAt(12).get(0) > 0.1 - (0.1 - min0) * 2 / 10, "cosine stays above the straight line early in the decay");

        var lin = new WarmupStableDecayLR(Optimizers.sgd(), 0, 5, 10, WarmupStableDecayLR.Options.defaults().withDecay(WarmupStableDecayLR.Decay.LINEAR));
        assertEquals(0.1, lin.lrAt(0).get(0), 0.0, "no warmup");
        assertEquals(0.1 * 0.7, lin.lrAt(8).get(0), 1e-15, "linear decay");
    }

    @Test
    void cosineWithMinLrIsNanoGptGetLr() {
        var s = new CosineWithMinLR(Optimizers.sgd(), 10, 110, new double[] {0.001, 0.0001});
        assertEquals(0.1 * 1 / 11, s.lrAt(0).get(0), 1e-15, "warmup (it + 1) / (warmup + 1)");
        assertEquals(0.1 * 10 / 11, s.lrAt(9).get(0), 1e-15);
        assertEquals(0.1, s.lrAt(10).get(0), 0.0, "base at the end of warmup");
        assertEquals((0.1 + 0.001) / 2, s.lrAt(60).get(0), 1e-15, "cosine midpoint");
        assertEquals((0.01 + 0.0001) / 2, s.lrAt(60).get(1), 1e-15, "per-group min_lr");
        assertEquals(0.001, s.lrAt(110).get(0), 1e-15, "min_lr at lr_decay_iters");
        assertEquals(List.of(0.001, 0.0001), s.lrAt(111));
    }
}
