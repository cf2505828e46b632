package dev.wick.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** Keys, layouts, masks, modes and checks of the attention layers (their numbers are in {@link AttentionGoldenTest}). */
class AttentionTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void stateDictKeysArePyTorchs() {
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(8, 2).stateDict().keySet()));
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults().withKdim(6).withAddBiasKv(true)).stateDict().keySet()));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"),
                List.copyOf(new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults().withBias(false)).stateDict().keySet()));
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                        "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                        "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"),
                List.copyOf(new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16)).stateDict().keySet()));
        var tel = new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16));
        assertArrayEquals(new long[]{24, 8}, tel.selfAttn().weights().inProjWeight().shape());
        assertArrayEquals(new long[]{16, 8}, tel.stateDict().get("linear1.weight").shape());
    }

    @Test
    void batchFirstIsTheTransposedSequenceFirstComputation() {
        try (Scope s = Scope.open()) {
            var seqFirst = new MultiheadAttention(8, 2);
            var batchFirst = new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults().withBatchFirst(true));
            batchFirst.loadStateDict(seqFirst.stateDict());
            Tensor x = Tensor.randn(3, 5, 8);                       // (N, L, E)
            Tensor mem = Tensor.randn(3, 4, 8);                     // (N, S, E)
            var a = batchFirst.forward(x, mem, mem);
            var b = seqFirst.forward(x.transpose(0, 1), mem.transpose(0, 1), mem.transpose(0, 1));
            assertArrayEquals(new long[]{3, 5, 8}, a.output().shape());
            assertArrayEquals(new long[]{3, 5, 4}, a.attnWeights().shape());
            assertTrue(a.output().allclose(b.output().transpose(0, 1), 1e-5, 1e-6));
            assertTrue(a.attnWeights().allclose(b.attnWeights(), 1e-5, 1e-6));
        }
    }

    @Test
    void masksRemoveKeysAndWeightsSumToOne() {
        try (Scope s = Scope.open()) {
            var mha = new MultiheadAttention(8, 2);
            Tensor x = Tensor.randn(4, 2, 8);
            Tensor causal = Tensor.ones(DType.BOOL, 4, 4).triu(1);
            Tensor padding = Tensor.of(new boolean[]{false, false, false, true, false, false, true, true}, 2, 4);
            var o = mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(causal).withKeyPaddingMask(padding)
                    .withAverageAttnWeights(false));
            Tensor w = o.attnWeights();                               // (N, H, L, S)
            assertArrayEquals(new long[]{2, 2, 4, 4}, w.shape());
            assertTrue(w.sum(3, false).allclose(Tensor.ones(2, 2, 4), 1e-6, 1e-6), "each row is a distribution");
            assertEquals(0.0, w.get(0, 0, 1, 2).item(), "causal: position 1 never sees 2");
            assertEquals(0.0, w.get(0, 1, 3, 3).item(), "padding: key 3 of sample 0 is ignored");
            assertEquals(0.0, w.get(1, 0, 3, 2).item(), "padding: key 2 of sample 1 is ignored");
            // a float mask of 0 / -inf is the same mask
            Tensor floatCausal = Tensor.zeros(4, 4).maskedFill(causal, Double.NEGATIVE_INFINITY);
            var f = mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(floatCausal));
            var b = mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(causal));
            assertTrue(f.output().equal(b.output()));
        }
    }

    @Test
    void dropoutActsOnlyInTraining() {
        try (Scope s = Scope.open()) {
            var layer = new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16).withDropout(0.5));
            var noDrop = new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16).withDropout(0.0));
            noDrop.loadStateDict(layer.stateDict());
            Tensor x = Tensor.randn(5, 2, 8);
            assertFalse(layer.forward(x).allclose(noDrop.forward(x), 1e-4, 1e-5), "training: dropout changes the output");
            layer.eval();
            assertTrue(layer.forward(x).equal(noDrop.forward(x)), "eval: no dropout anywhere");
        }
    }

    @Test
    void functionalFormsAreTheModulesMaths() {
        try (Scope s = Scope.open()) {
            var tel = new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16).withDropout(0.0).withNormFirst(true));
            Tensor x = Tensor.randn(5, 2, 8);
            Tensor viaFunction = Attention.transformerEncoderLayer(x, tel.weights(), 2, tel.options(), null, null, true);
            assertTrue(tel.forward(x).equal(viaFunction));
            var mha = tel.selfAttn();
            var o = Attention.multiHeadAttentionForward(x, x, x, 2, mha.weights(), false, 0.0, true, MultiheadAttention.ForwardOptions.defaults());
            assertTrue(mha.forward(x, x, x).output().equal(o.output()));
        }
    }

    @Test
    void unbatchedEqualsABatchOfOne() {
        try (Scope s = Scope.open()) {
            var tel = new TransformerEncoderLayer(6, 3, TransformerEncoderLayer.Options.defaults().withDimFeedforward(12).withDropout(0.0));
            Tensor x = Tensor.randn(4, 6);
            assertTrue(tel.forward(x).allclose(tel.forward(x.unsqueeze(1)).squeeze(1), 1e-5, 1e-6));
        }
    }

    @Test
    void intermediatesAreFreedEvenOutsideAnyScope() {
        var mha = new MultiheadAttention(8, 2, MultiheadAttention.Options.defaults().withBatchFirst(true));
        var tel = new TransformerEncoderLayer(8, 2, TransformerEncoderLayer.Options.defaults().withDimFeedforward(16));
        Tensor x = Tensor.randn(2, 3, 8);
        long before = Scope.gcOwnedLive();
        var o = mha.forward(x, x, x);
        long afterMha = Scope.gcOwnedLive();
        Tensor y = tel.forward(x.transpose(0, 1));
        long afterTel = Scope.gcOwnedLive();
        assertTrue(afterMha - before <= 2, "only the output and the weights reach the GC, not " + (afterMha - before));
        assertTrue(afterTel - afterMha <= 2, "only the transposed input and the output reach the GC, not " + (afterTel - afterMha));
        assertArrayEquals(new long[]{2, 3, 8}, o.output().shape());
        assertArrayEquals(new long[]{3, 2, 8}, y.shape());
    }

    @Test
    void badInputsNameExpectedAndActual() {
        try (Scope s = Scope.open()) {
            var mha = new MultiheadAttention(8, 2);
            Tensor x = Tensor.randn(4, 2, 8);
            assertEquals("MultiheadAttention: query must have 8 features (embed_dim); got float32 [4, 2, 6]",
                    message(() -> mha.forward(Tensor.randn(4, 2, 6), x, x)));
            assertEquals("MultiheadAttention: query must be 3-D [seq, batch, embed] (batched) or 2-D [seq, embed] (unbatched); got float32 [8]",
                    message(() -> mha.forward(Tensor.randn(8), Tensor.randn(8), Tensor.randn(8))));
            assertEquals("MultiheadAttention: for a batched (3-D) query, key and value must be 3-D; got key float32 [4, 8] and value float32 [4, 2, 8]",
                    message(() -> mha.forward(x, Tensor.randn(4, 8), x)));
            assertEquals("MultiheadAttention: a 2-D attn_mask must have shape [4, 4]; got bool [4, 5]",
                    message(() -> mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(Tensor.zeros(DType.BOOL, 4, 5)))));
            assertEquals("MultiheadAttention: a 3-D attn_mask must have shape [4, 4, 4] (batch * num_heads, target, source); got float32 [2, 4, 4]",
                    message(() -> mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(Tensor.zeros(2, 4, 4)))));
            assertEquals("MultiheadAttention: key_padding_mask must have shape [2, 4] (batch, source); got bool [4, 2]",
                    message(() -> mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withKeyPaddingMask(Tensor.zeros(DType.BOOL, 4, 2)))));
            assertEquals("MultiheadAttention: attn_mask must be bool, uint8 or floating point; got int64 [4, 4]",
                    message(() -> mha.forward(x, x, x, MultiheadAttention.ForwardOptions.defaults().withAttnMask(Tensor.zeros(DType.INT64, 4, 4)))));
            assertEquals("MultiheadAttention: key float32 [5, 2, 8] and value float32 [4, 2, 8] must have the same shape",
                    message(() -> mha.forward(x, Tensor.randn(5, 2, 8), x)));
        }
    }

    @Test
    void badOptionsFailAtConstruction() {
        assertEquals("Invalid num_heads: 3 (embed_dim 8 must be divisible by it)", message(() -> new MultiheadAttention(8, 3)));
        assertEquals("Invalid embed_dim: 0 (must be >= 1)", message(() -> new MultiheadAttention(0, 1)));
        assertEquals("Invalid dropout: -0.1 (must be in [0, 1])", message(() -> MultiheadAttention.Options.defaults().withDropout(-0.1)));
        assertEquals("Invalid kdim: 0 (must be >= 1)", message(() -> MultiheadAttention.Options.defaults().withKdim(0)));
        assertEquals("Invalid dim_feedforward: 0 (must be >= 1)", message(() -> TransformerEncoderLayer.Options.defaults().withDimFeedforward(0)));
        assertEquals("Invalid activation: 'tanh' (expected relu or gelu)", message(() -> TransformerEncoderLayer.Activation.parse("tanh")));
        assertEquals("Invalid layer_norm_eps: -1.0 (must be >= 0)", message(() -> TransformerEncoderLayer.Options.defaults().withLayerNormEps(-1)));
        assertEquals("Invalid num_heads: 3 (embed_dim 8 must be divisible by it)", message(() -> new TransformerEncoderLayer(8, 3)));
    }
}
