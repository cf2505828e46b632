package dev.wick.train;

import java.util.List;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.Example;
import dev.wick.nn.UnaryModule;
import dev.wick.optim.GradClip;
import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.LRScheduler;
import dev.wick.optim.lr.ReduceLROnPlateau;
import dev.wick.optim.lr.StepLR;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's loop against the loops a user would write by hand: the same parameters, bit for bit
 * where the operations are the same, and within 1e-5 where accumulation replaces a bigger batch.
 */
class TrainerLoopTest {
    private static final Fixture DATA = new Fixture(160);

    private static Trainer.Builder<Example<Tensor, Tensor>> builder(UnaryModule m, Optimizer opt,
                                                                  DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader) {
        return Trainer.builder(m, opt, loader, Fixture.CE).progress(false);
    }

    @Test
    void epochLoopEqualsTheHandWrittenLoop() {
        Dataset<Example<Tensor, Tensor>> ds = DATA.dataset(0.1);
        UnaryModule hand = Fixture.model(1, 0.2);
        Optimizer handOpt = Fixture.sgd(hand, 0.05);
        var handLoader = Fixture.loader(ds, 16, true, 0, 3);
        hand.train();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (Example<Tensor, Tensor> batch : handLoader) {
                try (Scope s = Scope.open()) {
                    Batches.adopt(s, batch);
                    Tensor loss = Fixture.CE.apply(hand.forward(batch.input()), batch.target());
                    loss.backward();
                    handOpt.step();
                    handOpt.zeroGrad();
                }
            }
        }
        List<Tensor> expected = Fixture.snapshot(hand);

        UnaryModule m = Fixture.model(1, 0.2);
        Optimizer opt = Fixture.sgd(m, 0.05);
        FitResult r = builder(m, opt, Fixture.loader(ds, 16, true, 0, 3)).maxEpochs(3).build().fit();
        assertEquals("max_epochs", r.stopReason());
        assertEquals(3, r.epochsCompleted());
        assertEquals(30, r.globalStep());
        assertTrue(Fixture.bitEqual(expected, Fixture.snapshot(m)), "trainer and hand-written epoch loop differ by " + Fixture.maxAbsDiff(expected, Fixture.snapshot(m)));
        assertFalse(Fixture.bitEqual(expected, Fixture.snapshot(Fixture.model(1, 0.2))), "training changed nothing");
    }

    @Test
    void iterationLoopWithPerStepSchedulerEqualsTheHandWrittenLoop() {
        Dataset<Example<Tensor, Tensor>> ds = DATA.dataset(0.1);
        UnaryModule hand = Fixture.model(2, 0.2);
        Optimizer handOpt = Fixture.sgd(hand, 0.1);
        LRScheduler handSched = new StepLR(handOpt, 7, 0.5);
        var handLoader = Fixture.loader(ds, 16, true, 0, 4);
        hand.train();
        int step = 0;
        outer:
        while (true) {
            for (Example<Tensor, Tensor> batch : handLoader) {
                try (Scope s = Scope.open()) {
                    Batches.adopt(s, batch);
                    Tensor loss = Fixture.CE.apply(hand.forward(batch.input()), batch.target());
                    loss.backward();
                    handOpt.step();
                    handOpt.zeroGrad();
                    handSched.step();
                }
                if (++step == 25) break outer;           // 2.5 epochs of 10 batches
            }
        }
        List<Tensor> expected = Fixture.snapshot(hand);

        UnaryModule m = Fixture.model(2, 0.2);
        Optimizer opt = Fixture.sgd(m, 0.1);
        LRScheduler sched = new StepLR(opt, 7, 0.5);
        FitResult r = builder(m, opt, Fixture.loader(ds, 16, true, 0, 4)).maxSteps(25).scheduler(sched, SchedulerInterval.STEP).build().fit();
        assertEquals("max_steps", r.stopReason());
        assertEquals(25, r.globalStep());
        assertEquals(2, r.epochsCompleted());                   // stopped mid-way through the third epoch
        assertEquals(25, sched.lastEpoch());
        assertEquals(handOpt.paramGroups().get(0).lr(), opt.paramGroups().get(0).lr());
        assertTrue(Fixture.bitEqual(expected, Fixture.snapshot(m)), "trainer and hand-written iteration loop differ by " + Fixture.maxAbsDiff(expected, Fixture.snapshot(m)));
    }

    /** Runs {@code epochs} epochs over 160 samples without shuffling or dropout; returns the parameters. */
    private static List<Tensor> train(int batch, int accumulate, LastWindow lw, boolean dropLast, int epochs, long[] stepsOut) {
        UnaryModule m = Fixture.model(5, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        var loader = Fixture.plain(DATA.dataset(0), batch, dropLast);
        FitResult r = Trainer.builder(m, opt, loader, Fixture.CE).progress(false).maxEpochs(epochs).accumulate(accumulate).lastWindow(lw).build().fit();
        stepsOut[0] = r.globalStep();
        return Fixture.snapshot(m);
    }

    @Test
    void accumulatingKBatchesOfBEqualsOneBatchOfKTimesB() {
        long[] steps = new long[1];
        List<Tensor> accumulated = train(8, 4, LastWindow.STEP, false, 2, steps);   // 20 batches of 8: 5 windows per epoch
        assertEquals(10, steps[0]);
        List<Tensor> big = train(32, 1, LastWindow.STEP, false, 2, steps);          // 5 batches of 32 per epoch
        assertEquals(10, steps[0]);
        double diff = Fixture.maxAbsDiff(accumulated, big);
        assertTrue(diff < 1e-5, "accumulated vs big batch: max |diff| = " + diff);
        List<Tensor> small = train(8, 1, LastWindow.STEP, false, 2, steps);         // the test can fail: no accumulation differs
        assertTrue(Fixture.maxAbsDiff(small, big) > 1e-2, "batch 8 without accumulation should differ from batch 32");
    }

    @Test
    void aShortLastWindowIsScaledByItsRealLength() {
        // 160 samples, batch 12: 13 full batches and one of 4. accumulate 4: windows of 4, 4, 4, 2 batches
        long[] steps = new long[1];
        List<Tensor> accumulated = train(12, 4, LastWindow.STEP, false, 2, steps);
        assertEquals(8, steps[0]);
        List<Tensor> big = train(48, 1, LastWindow.STEP, false, 2, steps);          // 48, 48, 48, 16: same samples per step
        assertEquals(8, steps[0]);
        // the last window is (12 + 4) samples in 2 batches: the mean of the two batch means, not the sample mean
        // (that is the pinned rule), so compare with a big-batch run only where batches are equal: batch 8
        List<Tensor> acc8 = train(8, 6, LastWindow.STEP, false, 2, steps);           // 20 batches: windows 6, 6, 6, 2
        assertEquals(8, steps[0]);
        List<Tensor> big8 = train(48, 1, LastWindow.STEP, false, 2, steps);         // 48, 48, 48, 16 samples
        double diff = Fixture.maxAbsDiff(acc8, big8);
        assertTrue(diff < 1e-5, "short window of 2 batches of 8 vs one batch of 16: max |diff| = " + diff);
        assertTrue(Fixture.maxAbsDiff(accumulated, big) > 1e-6, "unequal batches in the short window are weighted per batch, not per sample");
    }

    @Test
    void dropSkipsTheShortWindowLikeDropLast() {
        long[] steps = new long[1];
        List<Tensor> dropped = train(8, 6, LastWindow.DROP, false, 2, steps);        // 20 batches: windows 6, 6, 6, dropped 2
        assertEquals(6, steps[0]);
        List<Tensor> big = train(48, 1, LastWindow.STEP, true, 2, steps);           // dropLast: 48, 48, 48
        assertEquals(6, steps[0]);
        double diff = Fixture.maxAbsDiff(dropped, big);
        assertTrue(diff < 1e-5, "DROP vs dropLast: max |diff| = " + diff);
    }

    @Test
    void carryLetsWindowsSpanEpochsLikeAHandWrittenStream() {
        long[] steps = new long[1];
        List<Tensor> carried = train(16, 4, LastWindow.CARRY, false, 2, steps);      // 10 batches per epoch, 20 in all: 5 windows of 4
        assertEquals(5, steps[0]);

        UnaryModule hand = Fixture.model(5, 0);
        Optimizer opt = Fixture.sgd(hand, 0.1);
        var loader = Fixture.plain(DATA.dataset(0), 16, false);
        int micro = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope s = Scope.open()) {
                    Batches.adopt(s, batch);
                    Fixture.CE.apply(hand.forward(batch.input()), batch.target()).div(4).backward();
                    if (++micro % 4 == 0) { opt.step(); opt.zeroGrad(); }
                }
            }
        }
        assertTrue(Fixture.bitEqual(carried, Fixture.snapshot(hand)), "CARRY vs hand-written stream: " + Fixture.maxAbsDiff(carried, Fixture.snapshot(hand)));
    }

    @Test
    void theSchedulerStepsOnlyWhenTheOptimizerStepped() {
        // 3 batches per epoch, windows of 4 carried across epochs: epoch 0 has no optimizer step
        UnaryModule m = Fixture.model(5, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        LRScheduler perEpoch = new StepLR(opt, 1, 0.5);
        var loader = Fixture.plain(DATA.dataset(0), 60, false);   // 60, 60, 40
        FitResult r = Trainer.builder(m, opt, loader, Fixture.CE).progress(false).maxEpochs(4).accumulate(4)
                .lastWindow(LastWindow.CARRY).scheduler(perEpoch, SchedulerInterval.EPOCH).build().fit();
        assertEquals(3, r.globalStep());                       // 12 batches / 4
        assertEquals(3, perEpoch.lastEpoch());                 // epochs 1, 2, 3 stepped; epoch 0 did not
        assertEquals(0.1 * 0.125, opt.paramGroups().get(0).lr(), 1e-15);

        UnaryModule m2 = Fixture.model(5, 0);
        Optimizer opt2 = Fixture.sgd(m2, 0.1);
        LRScheduler perStep = new StepLR(opt2, 1, 0.5);
        var loader2 = Fixture.plain(DATA.dataset(0), 16, false);  // 10 batches
        FitResult r2 = Trainer.builder(m2, opt2, loader2, Fixture.CE).progress(false).maxEpochs(2).accumulate(4)
                .lastWindow(LastWindow.DROP).scheduler(perStep, SchedulerInterval.STEP).build().fit();
        assertEquals(4, r2.globalStep());                      // 2 windows per epoch, 2 batches dropped
        assertEquals(4, perStep.lastEpoch());
    }

    @Test
    void clippingByValueEqualsTheHandWrittenLoop() {
        Dataset<Example<Tensor, Tensor>> ds = DATA.dataset(0);
        UnaryModule hand = Fixture.model(6, 0);
        Optimizer handOpt = Fixture.sgd(hand, 0.5);
        for (Example<Tensor, Tensor> batch : Fixture.plain(ds, 32, false)) {
            try (Scope s = Scope.open()) {
                Batches.adopt(s, batch);
                Fixture.CE.apply(hand.forward(batch.input()), batch.target()).backward();
                GradClip.clipGradValue(hand.parameters(), 0.01);
                handOpt.step();
                handOpt.zeroGrad();
            }
        }
        UnaryModule m = Fixture.model(6, 0);
        Optimizer opt = Fixture.sgd(m, 0.5);
        builder(m, opt, Fixture.plain(ds, 32, false)).maxEpochs(1).clipGradValue(0.01).build().fit();
        assertTrue(Fixture.bitEqual(Fixture.snapshot(hand), Fixture.snapshot(m)));
        UnaryModule unclipped = Fixture.model(6, 0);
        builder(unclipped, Fixture.sgd(unclipped, 0.5), Fixture.plain(ds, 32, false)).maxEpochs(1).build().fit();
        assertTrue(Fixture.maxAbsDiff(Fixture.snapshot(unclipped), Fixture.snapshot(m)) > 1e-3, "clipping at 0.01 should change the result");
    }

    @Test
    void plateauSchedulerStepsOnTheMonitoredValidationValue() {
        UnaryModule m = Fixture.model(6, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withPatience(1));
        List<Double> lrs = new java.util.ArrayList<>();
        OnEpochEnd rec = (ctx, r) -> lrs.add((Double) r.get("lr"));
        // a validation value that never improves
        var constant = new CallbacksTest.Scripted(1.0);
        builder(m, opt, Fixture.plain(DATA.dataset(0), 32, false)).maxEpochs(4).valLoader(Fixture.plain(DATA.dataset(0), 80, false))
                .metrics(constant).scheduler(plateau, "val_score").callbacks(rec).build().fit();
        // validations 1.0 (best), 1.0 (1 bad), 1.0 (2 bad > patience 1: reduce), 1.0 (1 bad after reset)
        assertEquals(List.of(0.1, 0.1, 0.01, 0.01), lrs.stream().map(v -> Math.round(v * 1e12) / 1e12).toList());
    }

    @Test
    void aNonFiniteLossIsReportedWithItsEpochAndStep() {
        UnaryModule m = Fixture.model(5, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        var loader = Fixture.plain(DATA.dataset(0), 11, false);   // 15 batches
        int[] calls = {0};
        StepFunction<Example<Tensor, Tensor>> base = Trainer.defaultStep(m, Fixture.CE);
        StepFunction<Example<Tensor, Tensor>> poisoned = batch -> {
            StepOutput out = base.apply(batch);
            return calls[0]++ == 37 ? StepOutput.of(out.loss().mul(Double.NaN), out.output(), out.target()) : out;
        };
        Trainer<Example<Tensor, Tensor>> t = Trainer.builder(m, opt, loader, poisoned).progress(false).maxEpochs(5).build();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, t::fit);
        assertEquals("Non-finite loss nan at epoch 2, step 37 (batch 7 of the epoch)", e.getMessage());
        assertEquals(37, t.globalStep());                     // the optimizer did not step on it
    }

    @Test
    void builderRejectsBadOptionsNamingThem() {
        UnaryModule m = Fixture.model(5, 0);
        Optimizer opt = Fixture.sgd(m, 0.1);
        var loader = Fixture.loader(DATA.dataset(0), 16, false, 0, 0);
        assertEquals("Invalid maxEpochs: 0 (must be > 0)",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).maxEpochs(0)).getMessage());
        assertEquals("Invalid accumulate: 0 (must be >= 1)",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).accumulate(0)).getMessage());
        assertEquals("Invalid max norm: -1.0 (must be > 0)",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).clipGradNorm(-1)).getMessage());
        assertEquals("Set maxEpochs or maxSteps (or both): the run needs a limit",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).build()).getMessage());
        assertEquals("clipGradNorm and clipGradValue are mutually exclusive (got maxNorm=1.0 and clipValue=0.5)",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).maxEpochs(1).clipGradNorm(1).clipGradValue(0.5).build()).getMessage());
        assertEquals("validateEveryEpochs/validateEverySteps need a valLoader",
                assertThrows(IllegalArgumentException.class, () -> builder(m, opt, loader).maxEpochs(1).validateEverySteps(5).build()).getMessage());
    }
}
