package dev.wick.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** Bad options fail at construction, bad shapes and dtypes at the call, each naming expected and actual. */
class LossValidationTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    // ------------------------------------------------------------------ options, at construction

    @Test
    void optionsRejectBadValuesAtConstruction() {
        assertEquals("Invalid label smoothing: 1.5 (must be in [0, 1])",
                message(() -> CrossEntropyLoss.Options.defaults().withLabelSmoothing(1.5)));
        assertEquals("Invalid label smoothing: NaN (must be in [0, 1])",
                message(() -> CrossEntropyLoss.Options.defaults().withLabelSmoothing(Double.NaN)));
        assertEquals("Invalid beta for SmoothL1Loss: -0.1 (must be finite and >= 0)",
                message(() -> SmoothL1Loss.Options.defaults().withBeta(-0.1)));
        assertEquals("Invalid delta for HuberLoss: 0.0 (must be finite and > 0)",
                message(() -> HuberLoss.Options.defaults().withDelta(0)));
        assertEquals("Invalid margin for MarginRankingLoss: NaN (must be finite)",
                message(() -> MarginRankingLoss.Options.defaults().withMargin(Double.NaN)));
        assertEquals("Invalid reduction for MSELoss: BATCHMEAN (only KLDivLoss supports it; expected NONE, MEAN or SUM)",
                message(() -> MSELoss.Options.defaults().withReduction(Reduction.BATCHMEAN)));
        assertEquals("Invalid reduction for L1Loss: null (expected NONE, MEAN or SUM)",
                message(() -> new L1Loss.Options(null)));
        assertEquals("Invalid weight for CrossEntropyLoss: must be a 1-D floating point tensor; got int64 [3]",
                message(() -> CrossEntropyLoss.Options.defaults().withWeight(Tensor.of(new long[]{1, 2, 3}))));
        assertEquals("Invalid pos_weight for BCEWithLogitsLoss: must be a floating point tensor; got int64 [2]",
                message(() -> BCEWithLogitsLoss.Options.defaults().withPosWeight(Tensor.of(new long[]{1, 2}))));
        assertEquals("Invalid reduction: 'average' (expected one of none, mean, sum, batchmean)",
                message(() -> Reduction.parse("average")));
        // KLDivLoss is the one loss that takes BATCHMEAN
        assertEquals(Reduction.BATCHMEAN, KLDivLoss.Options.defaults().withReduction(Reduction.BATCHMEAN).reduction());
    }

    // ------------------------------------------------------------------ class losses

    @Test
    void crossEntropyNamesExpectedAndActualTarget() {
        try (Scope s = Scope.open()) {
            Tensor logits = Tensor.randn(4, 10);
            assertEquals("CrossEntropyLoss: target must be int64 class indices of shape [4] or float32 probabilities of shape [4, 10]; got float32 [4]",
                    message(() -> Losses.crossEntropy(logits, Tensor.zeros(4))));
            assertEquals("CrossEntropyLoss: target must be int64 class indices of shape [4] or float32 probabilities of shape [4, 10]; got int32 [4]",
                    message(() -> Losses.crossEntropy(logits, Tensor.of(new int[]{1, 2, 3, 4}))));
            assertEquals("CrossEntropyLoss: target must be int64 class indices of shape [4] or float32 probabilities of shape [4, 10]; got int64 [4, 10]",
                    message(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.INT64, 4, 10))));
            assertEquals("CrossEntropyLoss: target must be int64 class indices of shape [4] or float32 probabilities of shape [4, 10]; got int64 [5]",
                    message(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.INT64, 5))));
            assertEquals("CrossEntropyLoss: target must be int64 class indices of shape [2, 7] or float32 probabilities of shape [2, 10, 7]; got int64 [2, 10]",
                    message(() -> Losses.crossEntropy(Tensor.randn(2, 10, 7), Tensor.zeros(DType.INT64, 2, 10))));
            assertEquals("CrossEntropyLoss: input must be floating point scores of shape [C], [N, C] or [N, C, d1, ...]; got int64 [4, 10]",
                    message(() -> Losses.crossEntropy(Tensor.zeros(DType.INT64, 4, 10), Tensor.zeros(DType.INT64, 4))));
            assertEquals("CrossEntropyLoss: input must be floating point scores of shape [C], [N, C] or [N, C, d1, ...]; got float32 []",
                    message(() -> Losses.crossEntropy(Tensor.scalar(1.0), Tensor.scalar(0L))));
            assertEquals("CrossEntropyLoss: weight must be float32 of shape [10] (one value per class, like the input); got float32 [5]",
                    message(() -> new CrossEntropyLoss(CrossEntropyLoss.Options.defaults().withWeight(Tensor.ones(5)))
                            .forward(logits, Tensor.zeros(DType.INT64, 4))));
            assertEquals("CrossEntropyLoss: ignore_index 0 cannot be used with class probabilities as targets (got target float32 [4, 10])",
                    message(() -> Losses.crossEntropy(logits, logits.softmax(1), CrossEntropyLoss.Options.defaults().withIgnoreIndex(0))));
        }
    }

    @Test
    void classIndexOutOfRangeIsNamed() {
        try (Scope s = Scope.open()) {
            Tensor logits = Tensor.randn(4, 10);
            assertEquals("CrossEntropyLoss: class index 12 out of range [0, 10)",
                    message(() -> Losses.crossEntropy(logits, Tensor.of(new long[]{1, 2, 12, 3}))));
            assertEquals("CrossEntropyLoss: class index -1 out of range [0, 10)",
                    message(() -> Losses.crossEntropy(logits, Tensor.of(new long[]{1, -1, 2, 3}))));
            assertEquals("CrossEntropyLoss: class index 10 out of range [0, 10)",
                    message(() -> Losses.crossEntropy(logits, Tensor.of(new long[]{1, 10, 2, 3}),
                            CrossEntropyLoss.Options.defaults().withLabelSmoothing(0.1))));
            assertEquals("NLLLoss: class index 11 out of range [0, 10)",
                    message(() -> Losses.nllLoss(Tensor.randn(2, 10, 3), Tensor.of(new long[]{0, 1, 2, 3, 11, 4}, 2, 3))));
            // the ignore index itself is never out of range
            Tensor ok = Losses.crossEntropy(logits, Tensor.of(new long[]{1, -7, 2, 3}), CrossEntropyLoss.Options.defaults().withIgnoreIndex(-7));
            assertTrue(Double.isFinite(ok.item()));
        }
    }

    @Test
    void nllLossTakesOnlyClassIndices() {
        try (Scope s = Scope.open()) {
            Tensor lp = Tensor.randn(4, 3).logSoftmax(1);
            assertEquals("NLLLoss: target must be int64 class indices of shape [4]; got float32 [4, 3]",
                    message(() -> Losses.nllLoss(lp, lp.exp())));
        }
    }

    // ------------------------------------------------------------------ element-wise losses

    @Test
    void elementWiseLossesNeedTheInputsShapeAndDtype() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.randn(4);
            assertEquals("MSELoss: target shape [4, 1] must equal input shape [4]",
                    message(() -> Losses.mseLoss(x, Tensor.randn(4, 1))));
            assertEquals("L1Loss: target must be float32 like the input; got float64 [4]",
                    message(() -> Losses.l1Loss(x, Tensor.randn(4).toDouble())));
            assertEquals("HuberLoss: input must be floating point; got int64 [4]",
                    message(() -> Losses.huberLoss(Tensor.zeros(DType.INT64, 4), Tensor.zeros(DType.INT64, 4))));
            assertEquals("BCEWithLogitsLoss: target shape [4, 2] must equal input shape [4]",
                    message(() -> Losses.binaryCrossEntropyWithLogits(x, Tensor.rand(4, 2))));
            assertEquals("KLDivLoss: target must be float32 like the input; got int64 [4]",
                    message(() -> Losses.klDiv(x, Tensor.zeros(DType.INT64, 4))));
            assertEquals("BCELoss: weight of shape [3] cannot be broadcast to the input shape [4, 2]",
                    message(() -> Losses.binaryCrossEntropy(Tensor.rand(4, 2), Tensor.rand(4, 2),
                            BCELoss.Options.defaults().withWeight(Tensor.ones(3)))));
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> Losses.binaryCrossEntropy(Tensor.of(new float[]{0.5f, 1.5f}), Tensor.of(new float[]{0f, 1f})));
            assertEquals("BCELoss: all elements of input should be between 0 and 1", e.getMessage());
        }
    }

    @Test
    void pairLossesCheckTheirThreeInputs() {
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.randn(3, 4), b = Tensor.randn(3, 4);
            assertEquals("CosineEmbeddingLoss: target must hold one 1 or -1 per row, of shape [3]; got float32 [2]",
                    message(() -> Losses.cosineEmbeddingLoss(a, b, Tensor.of(new float[]{1, -1}))));
            assertEquals("CosineEmbeddingLoss: input2 must be float32 [3, 4] like input1; got float32 [3, 5]",
                    message(() -> Losses.cosineEmbeddingLoss(a, Tensor.randn(3, 5), Tensor.ones(3))));
            assertEquals("CosineEmbeddingLoss: input1 must have shape [N, D] or [D]; got float32 [2, 3, 4]",
                    message(() -> Losses.cosineEmbeddingLoss(Tensor.randn(2, 3, 4), Tensor.randn(2, 3, 4), Tensor.ones(2, 3))));
            assertEquals("MarginRankingLoss: input1, input2 and target must have the same number of dimensions; got float32 [3], float32 [3] and float32 [3, 1]",
                    message(() -> Losses.marginRankingLoss(Tensor.randn(3), Tensor.randn(3), Tensor.ones(3, 1))));
        }
    }

    // ------------------------------------------------------------------ modules

    @Test
    void weightsAreBuffersUnderPyTorchsNames() {
        Tensor w = Tensor.of(new float[]{1f, 2f, 3f});
        assertEquals(List.of("weight"), List.copyOf(new CrossEntropyLoss(CrossEntropyLoss.Options.defaults().withWeight(w)).stateDict().keySet()));
        assertEquals(List.of("weight"), List.copyOf(new NLLLoss(NLLLoss.Options.defaults().withWeight(w)).stateDict().keySet()));
        assertEquals(List.of("weight", "pos_weight"), List.copyOf(new BCEWithLogitsLoss(
                BCEWithLogitsLoss.Options.defaults().withWeight(w).withPosWeight(w)).stateDict().keySet()));
        assertTrue(new CrossEntropyLoss().stateDict().isEmpty(), "no weight, no buffer");
        assertTrue(new MSELoss().parameters().isEmpty());
    }

    @Test
    void moduleUsesItsBufferSoLoadingAStateDictChangesTheWeights() {
        try (Scope s = Scope.open()) {
            Tensor logits = Tensor.randn(6, 3);
            Tensor y = Tensor.of(new long[]{0, 1, 2, 0, 1, 2});
            CrossEntropyLoss ce = new CrossEntropyLoss(CrossEntropyLoss.Options.defaults().withWeight(Tensor.of(new float[]{1f, 1f, 1f})));
            double before = ce.forward(logits, y).item();
            assertEquals(Losses.crossEntropy(logits, y).item(), before, 1e-6, "all-ones weights give the unweighted loss");
            Tensor w2 = Tensor.of(new float[]{1f, 0f, 0f});
            ce.loadStateDict(java.util.Map.of("weight", w2));
            double onlyClass0 = Losses.crossEntropy(logits.narrow(0, 0, 1), y.narrow(0, 0, 1)).item() / 2
                    + Losses.crossEntropy(logits.narrow(0, 3, 1), y.narrow(0, 3, 1)).item() / 2;
            assertEquals(onlyClass0, ce.forward(logits, y).item(), 1e-5);
        }
    }

    @Test
    void lossesLeaveNothingOutsideTheCallersScope() {
        long before = Scope.gcOwnedLive();
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.rand(4, 3), y = Tensor.rand(4, 3);
            Losses.binaryCrossEntropy(x, y, BCELoss.Options.defaults().withWeight(Tensor.ones(3)));
            Losses.klDiv(x.log(), y, KLDivLoss.Options.defaults().withReduction(Reduction.BATCHMEAN));
            Losses.crossEntropy(x, Tensor.of(new long[]{0, 1, 2, 0}));
            Losses.binaryCrossEntropyWithLogits(x, y, BCEWithLogitsLoss.Options.defaults().withPosWeight(Tensor.ones(3)));
        }
        assertEquals(before, Scope.gcOwnedLive(), "no tensor escaped to the garbage collector");
    }
}
