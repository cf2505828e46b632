package dev.wick.optim.lr;

import static dev.wick.optim.lr.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wick.optim.Optimizer;

/**
 * Every scheduler against PyTorch 1.13: the learning rate of both groups after construction and after
 * each of 30 steps (1e-9 relative), the momentum where it cycles, the state dict after 10 steps (keyed and
 * valued as PyTorch's), and resuming from that PyTorch state dict. The factories mirror
 * {@code make_golden.py}'s cases one for one.
 */
class GoldenSchedulerTest {
    /** A golden case: its file, how to build the optimizer and the scheduler. */
    record Case(String name, Supplier<Optimizer> optimizer, Function<Optimizer, LRScheduler> scheduler) {
        @Override public String toString() { return name; }
    }

    private static Case sgd(String name, Function<Optimizer, LRScheduler> f) { return new Case(name, Optimizers::sgd, f); }

    static Stream<Case> cases() {
        CyclicLR.Options cyc = CyclicLR.Options.defaults();
        return Stream.of(
                sgd("lambda_lr", o -> new LambdaLR(o, List.of(e -> Math.pow(0.95, e), e -> 1.0 / (1 + e)))),
                sgd("lambda_lr_shared", o -> new LambdaLR(o, e -> Math.pow(0.95, e))),
                sgd("multiplicative_lr", o -> new MultiplicativeLR(o, List.of(e -> 0.95, e -> 1 / (1 + 0.1 * e)))),
                sgd("step_lr", o -> new StepLR(o, 7, 0.5)),
                sgd("multistep_lr", o -> new MultiStepLR(o, new int[] {3, 8, 8, 20}, 0.3)),
                sgd("constant_lr", o -> new ConstantLR(o, 0.25, 6)),
                sgd("constant_lr_default", ConstantLR::new),
                sgd("linear_lr", o -> new LinearLR(o, 0.2, 0.9, 10)),
                sgd("linear_lr_default", LinearLR::new),
                sgd("exponential_lr", o -> new ExponentialLR(o, 0.9)),
                sgd("polynomial_lr", o -> new PolynomialLR(o, 20, 2.0)),
                sgd("polynomial_lr_sqrt", o -> new PolynomialLR(o, 12, 0.5)),
                sgd("cosine_annealing_lr", o -> new CosineAnnealingLR(o, 10, 0.001)),
                sgd("cosine_annealing_lr_zero_min", o -> new CosineAnnealingLR(o, 7)),
                sgd("cosine_warm_restarts", o -> new CosineAnnealingWarmRestarts(o, 4)),
                sgd("cosine_warm_restarts_mult", o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.0005)),
                sgd("cyclic_triangular", o -> new CyclicLR(o, new double[] {0.01, 0.001}, new double[] {0.1, 0.05},
                        cyc.withStepSizeUp(4).withStepSizeDown(6))),
                sgd("cyclic_triangular2", o -> new CyclicLR(o, new double[] {0.001}, new double[] {0.1, 0.01},
                        cyc.withStepSizeUp(3).withMode(CyclicLR.Mode.TRIANGULAR2).withBaseMomentum(0.8, 0.7).withMaxMomentum(0.95, 0.9))),
                sgd("cyclic_exp_range", o -> new CyclicLR(o, new double[] {0.01, 0.001}, new double[] {0.1, 0.05},
                        cyc.withStepSizeUp(5).withMode(CyclicLR.Mode.EXP_RANGE).withGamma(0.9))),
                sgd("cyclic_scale_fn", o -> new CyclicLR(o, 0.01, 0.1, cyc.withStepSizeUp(2).withStepSizeDown(3)
                        .withScaleFn(x -> 1.0 / (1.0 + 0.5 * x), CyclicLR.ScaleMode.CYCLE).withCycleMomentum(false))),
                sgd("cyclic_scale_fn_iterations", o -> new CyclicLR(o, 0.01, 0.1, cyc.withStepSizeUp(4)
                        .withScaleFn(x -> Math.pow(0.97, x), CyclicLR.ScaleMode.ITERATIONS))),
                sgd("one_cycle_cos", o -> new OneCycleLR(o, new double[] {0.1, 0.05}, OneCycleLR.Options.totalSteps(30))),
                new Case("one_cycle_linear_three_phase_adam", Optimizers::adam, o -> new OneCycleLR(o, 0.2, OneCycleLR.Options.steps(3, 10)
                        .withAnnealStrategy(OneCycleLR.Anneal.LINEAR).withThreePhase(true).withBaseMomentum(0.85, 0.75).withMaxMomentum(0.95, 0.9))),
                sgd("one_cycle_no_momentum", o -> new OneCycleLR(o, 0.3, OneCycleLR.Options.totalSteps(40).withPctStart(0.25)
                        .withDivFactor(10.0).withFinalDivFactor(100.0).withCycleMomentum(false))),
                sgd("sequential_warmup_cosine", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 5),
                        new CosineAnnealingLR(o, 20, 1e-4)), new int[] {5})),
                sgd("sequential_three", o -> new SequentialLR(o, List.of(new ExponentialLR(o, 0.9),
                        new MultiplicativeLR(o, e -> 0.8), new StepLR(o, 3, 0.5)), new int[] {6, 15})),
                sgd("sequential_constant_exponential", o -> new SequentialLR(o, List.of(new ConstantLR(o, 0.1, 2),
                        new ExponentialLR(o, 0.9)), new int[] {2})),
                sgd("chained_constant_exponential", o -> new ChainedScheduler(List.of(new ConstantLR(o, 0.1, 3), new ExponentialLR(o, 0.9)))),
                sgd("chained_linear_cosine", o -> new ChainedScheduler(List.of(new LinearLR(o, 0.5, 1.0, 4), new CosineAnnealingLR(o, 12, 0.0)))),
                sgd("chained_lambda_step", o -> new ChainedScheduler(List.of(new LambdaLR(o, e -> 1.0 / (1 + e)), new StepLR(o, 4, 0.5)))),
                sgd("chained_sequential_exponential", o -> new ChainedScheduler(List.of(new SequentialLR(o, List.of(new ConstantLR(o, 0.5, 3),
                        new StepLR(o, 4, 0.5)), new int[] {5}), new ExponentialLR(o, 0.95)))),
                sgd("chained_cyclic_exponential", o -> new ChainedScheduler(List.of(new CyclicLR(o, 0.01, 0.1, cyc.withStepSizeUp(3)),
                        new ExponentialLR(o, 0.95)))),
                sgd("warmup_stable_decay_cosine", o -> new WarmupStableDecayLR(o, 5, 10, 10,
                        WarmupStableDecayLR.Options.defaults().withWarmupStartFactor(0.1).withMinLr(0.001, 0.0001))),
                sgd("warmup_stable_decay_linear", o -> new WarmupStableDecayLR(o, 3, 7, 15,
                        WarmupStableDecayLR.Options.defaults().withDecay(WarmupStableDecayLR.Decay.LINEAR))),
                sgd("cosine_with_min_lr", o -> new CosineWithMinLR(o, 4, 24, new double[] {0.001, 0.0001})),
                sgd("cosine_with_min_lr_no_warmup", o -> new CosineWithMinLR(o, 0, 30, 0.0)));
    }

    /** PyTorch keys that hold no schedule state, and CosineAnnealingWarmRestarts' _step_count (see its class). */
    private static List<String> ignoredKeys(String name) {
        List<String> ignored = new ArrayList<>(List.of("verbose", "_get_lr_called_within_step", "lr_lambdas", "_scale_fn_custom", "_scale_fn_ref"));
        if (name.startsWith("cosine_warm_restarts")) ignored.add("_step_count");
        return ignored;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lastLrAndMomentumMatchPyTorch(Case c) {
        Golden g = Golden.load(c.name());
        List<double[]> lr = g.rows("lr");
        List<double[]> mom = g.data.containsKey("momentum") ? g.rows("momentum") : null;
        Optimizer opt = c.optimizer().get();
        LRScheduler s = c.scheduler().apply(opt);
        assertEquals(31, lr.size());
        for (int t = 0; t <= 30; t++) {
            if (t > 0) {
                opt.step();
                s.step();
            }
            assertEquals(t, s.lastEpoch());
            assertClose(lr.get(t), s.lastLr(), c.name() + " lr at step " + t);
            for (int i = 0; i < 2; i++) assertEquals(s.lastLr(i), opt.paramGroups().get(i).lr(), c.name() + ": the group holds lastLr");
            if (mom != null) assertClose(mom.get(t), Optimizers.momentum(opt), c.name() + " momentum at step " + t);
            if (t == 10 && g.map("state_dict") != null)
                Golden.assertStateMatches(g.map("state_dict"), s.stateDict(), ignoredKeys(c.name()), c.name() + " state_dict");
        }
    }

    /** The schedule is a pure function of the epoch: lrAt(t) on a fresh scheduler, in any order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lrAtIsThePureSchedule(Case c) {
        List<double[]> lr = Golden.load(c.name()).rows("lr");
        LRScheduler s = c.scheduler().apply(c.optimizer().get());
        for (int t = 30; t >= 0; t -= 3) assertClose(lr.get(t), s.lrAt(t), c.name() + " lrAt(" + t + ")");
        assertClose(lr.get(30), s.lrAt(30), c.name() + " lrAt(30) again");
        assertEquals(0, s.lastEpoch(), "lrAt does not step");
    }

    /** Loading PyTorch's state dict after 10 steps into a fresh scheduler continues PyTorch's schedule. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumesFromPyTorchStateDict(Case c) {
        Golden g = Golden.load(c.name());
        Map<String, Object> torchState = g.map("state_dict");
        if (torchState == null) return;   // Wick's own schedules: see resumesFromOwnStateDict
        List<double[]> lr = g.rows("lr");
        List<double[]> mom = g.data.containsKey("momentum") ? g.rows("momentum") : null;
        Optimizer opt = c.optimizer().get();
        LRScheduler s = c.scheduler().apply(opt);
        s.loadStateDict(Golden.copy(torchState));
        assertEquals(10, s.lastEpoch());
        assertClose(lr.get(10), s.lastLr(), c.name() + " restored lr");
        assertClose(lr.get(10), List.of(opt.paramGroups().get(0).lr(), opt.paramGroups().get(1).lr()), c.name() + " groups' lr after load");
        if (mom != null) assertClose(mom.get(10), Optimizers.momentum(opt), c.name() + " momentum after load");
        for (int t = 11; t <= 30; t++) {
            s.step();
            assertClose(lr.get(t), s.lastLr(), c.name() + " resumed lr at step " + t);
            if (mom != null) assertClose(mom.get(t), Optimizers.momentum(opt), c.name() + " resumed momentum at step " + t);
        }
    }

    /** Wick's own state dict round-trips: a scheduler loaded at step 10 continues bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumesFromOwnStateDict(Case c) {
        LRScheduler a = c.scheduler().apply(c.optimizer().get());
        for (int t = 0; t < 10; t++) a.step();
        Map<String, Object> sd = a.stateDict();
        Optimizer optB = c.optimizer().get();
        LRScheduler b = c.scheduler().apply(optB);
        b.loadStateDict(sd);
        assertEquals(sd, b.stateDict(), c.name() + ": state dict round trip");
        for (int t = 11; t <= 30; t++) {
            a.step();
            b.step();
            assertEquals(a.lastLr(), b.lastLr(), c.name() + " at step " + t);
        }
        assertNotNull(b.toString());
    }
}
