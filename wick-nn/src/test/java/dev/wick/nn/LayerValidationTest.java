package dev.wick.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/** Bad settings fail at construction with the value and the rule; the functional forms equal the layers. */
class LayerValidationTest {

    static void rejects(String message, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, ex.getMessage());
    }

    @Test
    void constructionErrorsNameTheValue() {
        rejects("Invalid in_features: -1 (must be >= 0)", () -> new Linear(-1, 3));
        rejects("Invalid Conv2d: in_channels (3) must be divisible by groups (2)", () -> new Conv2d(3, 4, 3, ConvOptions.defaults().withGroups(2)));
        rejects("Invalid Conv2d: out_channels (5) must be divisible by groups (2)", () -> new Conv2d(4, 5, 3, ConvOptions.defaults().withGroups(2)));
        rejects("Invalid groups: 0 (must be > 0)", () -> ConvOptions.defaults().withGroups(0));
        rejects("Invalid Conv2d: padding='same' is not supported for strided convolutions (stride (2, 2))",
                () -> new Conv2d(3, 4, 3, ConvOptions.defaults().withStride(2).withPadding("same")));
        rejects("Invalid padding string: 'full' (must be 'same' or 'valid')", () -> ConvOptions.defaults().withPadding("full"));
        rejects("Invalid padding_mode: 'mirror' (must be zeros, reflect, replicate or circular)", () -> ConvOptions.defaults().withPaddingMode("mirror"));
        rejects("Invalid kernel_size: [3, 3, 3] (give 1 or 2 values)", () -> new Conv2d(1, 1, new long[]{3, 3, 3}, ConvOptions.defaults()));
        rejects("Invalid stride: [0] (each must be >= 1)", () -> new Conv1d(1, 1, 3, ConvOptions.defaults().withStride(0)));
        rejects("Invalid Conv2d: output_padding applies to transposed convolutions only", () -> new Conv2d(1, 1, 3, ConvOptions.defaults().withOutputPadding(1)));
        rejects("Invalid ConvTranspose2d: output_padding (2, 2) must be smaller than either stride (2, 2) or dilation (1, 1)",
                () -> new ConvTranspose2d(1, 1, 3, ConvOptions.defaults().withStride(2).withOutputPadding(2)));
        rejects("Invalid ConvTranspose2d: only the 'zeros' padding mode is supported, got 'reflect'",
                () -> new ConvTranspose2d(1, 1, 3, ConvOptions.defaults().withPaddingMode("reflect")));
        rejects("Invalid MaxPool2d: padding [2, 2] should be at most half of the effective kernel size [3, 3]",
                () -> new MaxPool2d(3, PoolOptions.defaults().withPadding(2)));
        rejects("Invalid MaxPool2d: count_include_pad and divisor_override apply to average pooling only",
                () -> new MaxPool2d(2, PoolOptions.defaults().withCountIncludePad(false)));
        rejects("Invalid AvgPool2d: dilation applies to max pooling only", () -> new AvgPool2d(2, PoolOptions.defaults().withDilation(2)));
        rejects("Invalid divisor_override: 0 (must be > 0)", () -> PoolOptions.defaults().withDivisorOverride(0));
        rejects("Invalid momentum: 1.5 (must be between 0 and 1, or null for a cumulative average)", () -> BatchNormOptions.defaults().withMomentum(1.5));
        rejects("Invalid eps: -1.0E-5 (must be >= 0)", () -> BatchNormOptions.defaults().withEps(-1e-5));
        rejects("Invalid num_features: 0 (must be > 0)", () -> new BatchNorm2d(0));
        rejects("Invalid GroupNorm: num_channels (6) must be divisible by num_groups (4)", () -> new GroupNorm(4, 6));
        rejects("Invalid normalized_shape: () (give at least one size)", () -> new LayerNorm());
        rejects("Invalid dropout probability: 1.2 (must be between 0 and 1)", () -> new Dropout(1.2));
        rejects("Invalid dropout probability: NaN (must be between 0 and 1)", () -> new Dropout2d(Double.NaN));
        rejects("Invalid padding_idx: 10 (must be within [-10, 9])", () -> new Embedding(10, 3, 10));
        rejects("Invalid GELU approximation: 'fast' (must be 'none' or 'tanh')", () -> new GELU("fast"));
        rejects("Invalid unflattened_size: (-1, -1) (only one size may be -1)", () -> new Unflatten(1, -1, -1));
        rejects("Invalid output_size: [1, 2, 3] (give 1 or 2 values)", () -> new AdaptiveAvgPool2d(1, 2, 3));
    }

    @Test
    void runtimeShapeErrorsAreOneLine() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Linear fc = new Linear(4, 2);
        try (Scope s = Scope.open()) {
            rejects("BatchNorm2d: expected 4D input (got 2D input of shape [2, 3])", () -> bn.forward(Tensor.zeros(2, 3)));
            TorchException e = assertThrows(TorchException.class, () -> fc.forward(Tensor.zeros(2, 5)));
            assertTrue(e.getMessage().startsWith("linear: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void functionalFormsEqualTheLayers() {
        Generator g = new Generator(9);
        Conv2d conv = new Conv2d(2, 3, 3, ConvOptions.defaults().withStride(2).withPadding(1));
        Linear fc = new Linear(5, 4);
        BatchNorm1d bn = new BatchNorm1d(4);
        try (Scope s = Scope.open()) {
            Tensor img = Tensor.randn(g, 2, 2, 6, 6);
            assertTrue(conv.forward(img).equal(F.conv2d(img, conv.weight(), conv.bias(), new long[]{2}, new long[]{1}, new long[]{1}, 1)));
            Tensor v = Tensor.randn(g, 3, 5);
            assertTrue(fc.forward(v).equal(F.linear(v, fc.weight(), fc.bias())));
            assertTrue(fc.forward(v).allclose(v.matmul(fc.weight().t()).add(fc.bias()), 1e-6, 1e-6));
            assertTrue(new MaxPool2d(2).forward(img).equal(F.maxPool2d(img, 2)));
            assertTrue(new GELU("tanh").forward(v).equal(F.gelu(v, "tanh")));
            assertTrue(new LeakyReLU(0.2).forward(v).equal(F.leakyRelu(v, 0.2)));
            Tensor h = Tensor.randn(g, 8, 4);
            Tensor rm = Tensor.zeros(4), rv = Tensor.ones(4);
            assertTrue(bn.forward(h).equal(F.batchNorm(h, rm, rv, bn.weight(), bn.bias(), true, 0.1, 1e-5)));
            assertTrue(bn.runningMean().equal(rm) && bn.runningVar().equal(rv), "both updated their running statistics alike");
            // the loss entries delegate to Losses: cross entropy of uniform scores is log(C)
            Tensor labels = Tensor.of(new long[]{0, 3, 1}, 3);
            assertEquals(Math.log(4), F.crossEntropy(Tensor.zeros(3, 4), labels).item(), 1e-6);
            assertTrue(F.crossEntropy(v.narrow(1, 0, 4), labels).equal(dev.wick.nn.loss.Losses.crossEntropy(v.narrow(1, 0, 4), labels)));
            assertEquals(4.0, F.mseLoss(Tensor.zeros(2, 2), Tensor.full(2, 2, 2)).item(), 0.0);
        }
    }

    @Test
    void dropoutInEvalModeOrWithZeroPReturnsTheInput() {
        Dropout d = new Dropout(0.5);
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.ones(3, 3);
            d.eval();
            assertSame(x, d.forward(x));
            assertSame(x, F.dropout(x, 0.0, true));
            d.train();
            Tensor y = d.forward(Tensor.ones(1000));
            float[] v = y.toFloatArray();
            int zeros = 0;
            for (float f : v) { if (f == 0) zeros++; else assertEquals(2.0f, f); }
            assertTrue(zeros > 400 && zeros < 600, "about half dropped: " + zeros);
            assertEquals(0.0, F.dropout(x, 1.0, true, new Generator(1)).abs().sum().item());
        }
    }

    @Test
    void dropout2dDropsWholeChannels() {
        try (Scope s = Scope.open()) {
            Tensor y = F.dropout2d(Tensor.ones(4, 16, 3, 3), 0.5, true, new Generator(2));
            Tensor perChannel = y.view(4, 16, 9);
            Tensor mn = perChannel.min(2, false)[0], mx = perChannel.max(2, false)[0];
            assertTrue(mn.equal(mx), "each channel is all zero or all kept");
        }
    }

    @Test
    void embeddingPaddingRowGetsNoGradient() {
        Embedding e = new Embedding(5, 2, 0);
        try (Scope s = Scope.open()) {
            e.forward(Tensor.of(new long[]{0, 1, 0, 4}, 4)).sum().backward();
            assertArrayEquals(new float[]{0, 0, 1, 1, 0, 0, 0, 0, 1, 1}, e.weight().grad().toFloatArray());
        }
        Tensor pre = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        Embedding frozen = Embedding.fromPretrained(pre, true, null);
        assertTrue(!frozen.weight().requiresGrad());
        pre.fill_(7);
        assertEquals(7.0, frozen.weight().get(1, 1).item(), "shares memory with the given weights");
    }

    @Test
    void batchNormMomentumNoneIsACumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(1, BatchNormOptions.defaults().withMomentum(null));
        try (Scope s = Scope.open()) {
            bn.forward(Tensor.of(new float[]{1, 3}, 2, 1));   // batch mean 2
            bn.forward(Tensor.of(new float[]{5, 7}, 2, 1));   // batch mean 6
            bn.forward(Tensor.of(new float[]{-1, 1}, 2, 1));  // batch mean 0
        }
        assertEquals((2 + 6 + 0) / 3.0, bn.runningMean().item(), 1e-6);
        assertEquals(3L, bn.numBatchesTracked().itemLong());
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        bn.resetRunningStats();
        assertEquals(0L, bn.numBatchesTracked().itemLong());
        assertEquals(1.0, bn.runningVar().item());
    }
}
