package dev.wick.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** Shapes, keys, checks and modes of LSTM and GRU (their numbers are in {@link RnnGoldenTest}). */
class RnnTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void stateDictKeysArePyTorchs() {
        var lstm = new LSTM(3, 4, RnnOptions.defaults().withNumLayers(2).withBidirectional(true));
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.stateDict().keySet()));
        assertArrayEquals(new long[]{16, 3}, lstm.parameter("weight_ih_l0").shape());
        assertArrayEquals(new long[]{16, 8}, lstm.parameter("weight_ih_l1_reverse").shape(), "layer 1 reads both directions");
        var gru = new GRU(3, 5, RnnOptions.defaults().withBias(false));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.stateDict().keySet()));
        assertArrayEquals(new long[]{15, 5}, gru.parameter("weight_hh_l0").shape());
        assertEquals("LSTM(3, 4, num_layers=2, bidirectional=True)", lstm.toString());
    }

    @Test
    void outputShapesForEveryLayout() {
        try (Scope s = Scope.open()) {
            var lstm = new LSTM(3, 4, RnnOptions.defaults().withNumLayers(2).withBidirectional(true).withBatchFirst(true));
            LSTM.Output o = lstm.forward(Tensor.randn(2, 5, 3));             // (B, T, in)
            assertArrayEquals(new long[]{2, 5, 8}, o.output().shape());
            assertArrayEquals(new long[]{4, 2, 4}, o.hN().shape());
            assertArrayEquals(new long[]{4, 2, 4}, o.cN().shape());
            LSTM.Output u = lstm.forward(Tensor.randn(5, 3));                // unbatched (T, in)
            assertArrayEquals(new long[]{5, 8}, u.output().shape());
            assertArrayEquals(new long[]{4, 4}, u.hN().shape());
            var gru = new GRU(3, 4);
            GRU.Output g = gru.forward(Tensor.randn(5, 2, 3));               // (T, B, in)
            assertArrayEquals(new long[]{5, 2, 4}, g.output().shape());
            assertArrayEquals(new long[]{1, 2, 4}, g.hN().shape());
        }
    }

    @Test
    void unbatchedEqualsABatchOfOne() {
        try (Scope s = Scope.open()) {
            var lstm = new LSTM(3, 4, RnnOptions.defaults().withBidirectional(true));
            Tensor x = Tensor.randn(6, 3);
            LSTM.Output u = lstm.forward(x);
            LSTM.Output b = lstm.forward(x.unsqueeze(1));
            assertTrue(u.output().equal(b.output().squeeze(1)));
            assertTrue(u.cN().equal(b.cN().squeeze(1)));
        }
    }

    @Test
    void carryingTheStateEqualsOneLongRun() {
        try (Scope s = Scope.open()) {
            var gru = new GRU(3, 4, RnnOptions.defaults().withNumLayers(2));
            var lstm = new LSTM(3, 4, RnnOptions.defaults().withNumLayers(2));
            Tensor x = Tensor.randn(6, 2, 3);
            GRU.Output whole = gru.forward(x);
            GRU.Output first = gru.forward(x.narrow(0, 0, 4));
            GRU.Output rest = gru.forward(x.narrow(0, 4, 2), first.hN());
            assertTrue(whole.hN().allclose(rest.hN(), 1e-6, 1e-7));
            LSTM.Output lw = lstm.forward(x);
            LSTM.Output l1 = lstm.forward(x.narrow(0, 0, 3));
            LSTM.Output l2 = lstm.forward(x.narrow(0, 3, 3), l1.state().detach());
            assertTrue(lw.cN().allclose(l2.cN(), 1e-6, 1e-7));
            assertFalse(l1.state().detach().h().requiresGrad());
        }
    }

    @Test
    void functionalFormIsTheModulesMaths() {
        try (Scope s = Scope.open()) {
            var lstm = new LSTM(3, 4, RnnOptions.defaults().withNumLayers(2));
            Tensor x = Tensor.randn(5, 2, 3);
            LSTM.Output viaModule = lstm.forward(x);
            LSTM.Output viaFunction = Recurrent.lstm(x, null, lstm.flatWeights(), lstm.options(), true);
            assertTrue(viaModule.output().equal(viaFunction.output()));
            assertTrue(viaModule.hN().equal(viaFunction.hN()));
        }
    }

    @Test
    void dropoutActsBetweenLayersOnlyInTraining() {
        try (Scope s = Scope.open()) {
            Engine.manualSeed(3);
            var plain = new LSTM(3, 8, RnnOptions.defaults().withNumLayers(2));
            var dropped = new LSTM(3, 8, RnnOptions.defaults().withNumLayers(2).withDropout(0.5));
            dropped.loadStateDict(plain.stateDict());
            Tensor x = Tensor.randn(5, 2, 3);
            Tensor reference = plain.forward(x).output();
            assertFalse(reference.allclose(dropped.forward(x).output(), 1e-4, 1e-5), "training: dropout changes the output");
            dropped.eval();
            assertTrue(reference.equal(dropped.forward(x).output()), "eval: no dropout");
        }
    }

    @Test
    void badInputsNameExpectedAndActual() {
        try (Scope s = Scope.open()) {
            var lstm = new LSTM(5, 4, RnnOptions.defaults().withNumLayers(2));
            assertEquals("LSTM: input must be float32 of shape [seq, batch, 5] (or [seq, 5] unbatched); got float32 [3, 2, 7]",
                    message(() -> lstm.forward(Tensor.randn(3, 2, 7))));
            assertEquals("LSTM: input must be float32 of shape [seq, batch, 5] (or [seq, 5] unbatched); got float64 [3, 2, 5]",
                    message(() -> lstm.forward(Tensor.randn(3, 2, 5).toDouble())));
            assertEquals("LSTM: h0 must be float32 of shape [2, 2, 4] (layers * directions, batch, hidden); got float32 [1, 2, 4]",
                    message(() -> lstm.forward(Tensor.randn(3, 2, 5), new LSTM.State(Tensor.zeros(1, 2, 4), Tensor.zeros(2, 2, 4)))));
            assertEquals("LSTM: c0 must be float32 of shape [2, 4] (layers * directions, hidden); got float32 [2, 1, 4]",
                    message(() -> lstm.forward(Tensor.randn(3, 5), new LSTM.State(Tensor.zeros(2, 4), Tensor.zeros(2, 1, 4)))));
            var gru = new GRU(5, 4, RnnOptions.defaults().withBatchFirst(true));
            assertEquals("GRU: input must be float32 of shape [batch, seq, 5] (or [seq, 5] unbatched); got int64 [2, 3, 5]",
                    message(() -> gru.forward(Tensor.zeros(DType.INT64, 2, 3, 5))));
        }
    }

    @Test
    void badOptionsFailAtConstruction() {
        assertEquals("Invalid num_layers: 0 (must be >= 1)", message(() -> RnnOptions.defaults().withNumLayers(0)));
        assertEquals("Invalid dropout: 1.5 (must be in [0, 1])", message(() -> RnnOptions.defaults().withDropout(1.5)));
        assertEquals("Invalid hidden_size for LSTM: 0 (must be >= 1)", message(() -> new LSTM(3, 0)));
        assertEquals("Invalid input_size for GRU: -2 (must be >= 1)", message(() -> new GRU(-2, 3)));
    }

    @Test
    void onlyTheResultsReachTheGarbageCollectorOutsideAnyScope() {
        var lstm = new LSTM(3, 4, RnnOptions.defaults().withBidirectional(true));
        var gru = new GRU(3, 4);
        Tensor batched = Tensor.randn(5, 2, 3);
        Tensor unbatched = Tensor.randn(5, 3);
        long before = Scope.gcOwnedLive();
        LSTM.Output a = lstm.forward(batched);
        LSTM.Output b = lstm.forward(unbatched);
        GRU.Output c = gru.forward(unbatched);
        long made = Scope.gcOwnedLive() - before;
        assertTrue(made <= 3 + 3 + 2, "output, h_n, c_n per LSTM call and output, h_n per GRU call; got " + made);
        assertArrayEquals(new long[]{5, 8}, b.output().shape());
        assertArrayEquals(new long[]{2, 2, 4}, a.hN().shape());
        assertArrayEquals(new long[]{1, 4}, c.hN().shape());
    }
}
