package dev.wick.optim.lr;

import static dev.wick.optim.lr.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wick.optim.Optimizer;

/**
 * ReduceLROnPlateau fed PyTorch's metric sequences, and CosineAnnealingWarmRestarts stepped with
 * fractional epochs, against PyTorch 1.13 (make_golden.py).
 */
class PlateauAndRestartsGoldenTest {
    static Stream<Arguments> plateaus() {
        var d = ReduceLROnPlateau.Options.defaults();
        return Stream.of(
                Arguments.of("plateau_min_rel", d.withFactor(0.5).withPatience(2).withThreshold(1e-4, ReduceLROnPlateau.ThresholdMode.REL)
                        .withCooldown(1).withMinLr(0.005, 0.0009)),
                Arguments.of("plateau_min_abs_default_patience", d.withThreshold(0.01, ReduceLROnPlateau.ThresholdMode.ABS).withPatience(3)),
                Arguments.of("plateau_max_rel", d.withMode(ReduceLROnPlateau.Mode.MAX).withFactor(0.3).withPatience(1)
                        .withThreshold(0.1, ReduceLROnPlateau.ThresholdMode.REL).withMinLr(0.002)),
                Arguments.of("plateau_max_abs_cooldown", d.withMode(ReduceLROnPlateau.Mode.MAX).withFactor(0.2).withPatience(0)
                        .withThreshold(0.015, ReduceLROnPlateau.ThresholdMode.ABS).withCooldown(3).withEps(1e-3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plateaus")
    void plateauMatchesPyTorch(String name, ReduceLROnPlateau.Options options) {
        Golden g = Golden.load(name);
        double[] metrics = numbers(g.data.get("metrics"));
        double[] best = numbers(g.data.get("best"));
        double[] bad = numbers(g.data.get("num_bad_epochs"));
        double[] cool = numbers(g.data.get("cooldown_counter"));
        List<double[]> lr = g.rows("lr");
        Optimizer opt = Optimizers.sgd();
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, options);
        assertClose(lr.get(0), s.lastLr(), name + " before the first step");
        int reductions = 0;
        for (int t = 1; t <= metrics.length; t++) {
            s.step(metrics[t - 1]);
            assertClose(lr.get(t), s.lastLr(), name + " lr after metric " + t);
            assertEquals(s.lastLr(0), opt.paramGroups().get(0).lr(), name + ": the group holds lastLr");
            assertClose(best[t - 1], s.best(), name + " best after metric " + t);
            assertEquals((int) bad[t - 1], s.numBadEpochs(), name + " num_bad_epochs after metric " + t);
            assertEquals((int) cool[t - 1], s.cooldownCounter(), name + " cooldown_counter after metric " + t);
            if (lr.get(t)[0] != lr.get(t - 1)[0]) reductions++;
            if (t == 10) Golden.assertStateMatches(g.map("state_dict"), s.stateDict(), List.of("verbose"), name + " state_dict");
        }
        // the sequences were chosen so that each configuration reduces at least twice
        assertEquals(true, reductions >= 2, name + ": only " + reductions + " reductions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plateaus")
    void plateauResumesFromPyTorchStateDict(String name, ReduceLROnPlateau.Options options) {
        Golden g = Golden.load(name);
        double[] metrics = numbers(g.data.get("metrics"));
        List<double[]> lr = g.rows("lr");
        Optimizer opt = Optimizers.sgd();
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, options);
        s.loadStateDict(Golden.copy(g.map("state_dict")));
        assertEquals(10, s.lastEpoch());
        assertClose(lr.get(10), List.of(opt.paramGroups().get(0).lr(), opt.paramGroups().get(1).lr()), name + " groups after load");
        for (int t = 11; t <= metrics.length; t++) {
            s.step(metrics[t - 1]);
            assertClose(lr.get(t), s.lastLr(), name + " resumed lr after metric " + t);
        }
        ReduceLROnPlateau again = new ReduceLROnPlateau(Optimizers.sgd(), options);
        again.loadStateDict(s.stateDict());
        assertEquals(s.stateDict(), again.stateDict(), name + ": own state dict round trip");
    }

    static Stream<Arguments> restarts() {
        return Stream.of(Arguments.of("cosine_warm_restarts_fractional", 2, 1, 0.001),
                Arguments.of("cosine_warm_restarts_fractional_mult", 1, 2, 0.0));
    }

    /** PyTorch's per-iteration use: step(epoch + i / iters), then plain step() from the fractional state. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("restarts")
    void warmRestartsWithFractionalEpochs(String name, int t0, int tMult, double etaMin) {
        Golden g = Golden.load(name);
        List<Object> epochs = g.list("epochs");
        List<double[]> lr = g.rows("lr");
        Optimizer opt = Optimizers.sgd();
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(opt, t0, tMult, etaMin);
        for (int k = 0; k < epochs.size(); k++) {
            Object e = epochs.get(k);
            if (e == null) s.step();
            else s.step(((Number) e).doubleValue());
            assertClose(lr.get(k), s.lastLr(), name + " after step " + k + " (epoch " + e + ")");
        }
        Map<String, Object> torch = g.map("state_dict");
        Golden.assertStateMatches(torch, s.stateDict(), List.of("verbose", "_get_lr_called_within_step", "_step_count"), name + " state_dict");
    }

    private static double[] numbers(Object list) {
        List<?> l = (List<?>) list;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
        return out;
    }
}
