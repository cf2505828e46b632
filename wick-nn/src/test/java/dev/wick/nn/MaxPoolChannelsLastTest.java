package dev.wick.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * NOTE [channels-last max pool] in {@link F#maxPool2d}: when it applies, and that it changes no bit
 * (values and gradients against libtorch's plain kernel, called directly).
 */
class MaxPoolChannelsLastTest {
    static final long[] K2 = {2}, K3 = {3}, S2 = {2}, S3 = {3}, P0 = {0}, P1 = {1}, D1 = {1};

    /** libtorch's plain (NCHW) kernel, called directly: the reference. */
    static Tensor plain(Tensor x, long[] k, long[] s) {
        return Tensor.wrap(torch.max_pool2d(x.unwrap(), k, s, P0, D1, false));
    }

    /** Output and input gradient of {@code pool} on a copy of {@code x} that requires grad. */
    static float[][] run(Tensor x, Tensor gradOut, java.util.function.Function<Tensor, Tensor> pool) {
        Tensor leaf = x.detach().clone().requiresGrad_(true);
        Tensor out = pool.apply(leaf);
        out.backward(gradOut);
        assertTrue(out.unwrap().is_contiguous(), "the result is a plain NCHW tensor");
        return new float[][] {out.toFloatArray(), leaf.grad().toFloatArray()};
    }

    @Test
    void sameValuesAndGradientsAsThePlainKernelWithTiesAndNaN() {
        try (Scope s = Scope.open()) {
            Engine.manualSeed(0);
            // ReLU makes ties (zeros); integer-valued entries make more; a few NaNs, one window with two
            Tensor x = Tensor.randint(-2, 3, 64, 10, 24, 24).to(DType.FLOAT32).relu();
            float[] v = x.toFloatArray();
            v[5] = Float.NaN; v[1000] = Float.NaN; v[1001] = Float.NaN; v[24 + 1001] = Float.NaN;
            x = Tensor.of(v, 64, 10, 24, 24);
            assertTrue(F.channelsLastPoolPays(x, K2, S2, P0, D1, false), "W2's first pool takes the channels-last path");
            Tensor g = Tensor.randn(64, 10, 12, 12);
            float[][] ref = run(x, g, t -> plain(t, K2, S2));
            float[][] got = run(x, g, t -> F.maxPool2d(t, 2));
            assertArrayEquals(ref[0], got[0], "values");
            assertArrayEquals(ref[1], got[1], "gradients");
            // stride larger than the window: still non-overlapping, still the same bits
            Tensor g3 = Tensor.randn(64, 10, 8, 8);
            assertTrue(F.channelsLastPoolPays(x, K2, S3, P0, D1, false));
            float[][] ref3 = run(x, g3, t -> plain(t, K2, S3));
            float[][] got3 = run(x, g3, t -> F.maxPool2d(t, K2, S3, P0, D1, false));
            assertArrayEquals(ref3[0], got3[0], "values, stride 3");
            assertArrayEquals(ref3[1], got3[1], "gradients, stride 3");
            // without a gradient (an input that does not require one, or no-grad mode): the values alone
            assertArrayEquals(ref[0], F.maxPool2d(x, 2).toFloatArray(), "values, input without grad");
            Tensor leaf = x.detach().clone().requiresGrad_(true);
            try (var ng = dev.wick.tensor.Autograd.noGrad()) {
                Tensor out = F.maxPool2d(leaf, 2);
                assertFalse(out.requiresGrad());
                assertArrayEquals(ref[0], out.toFloatArray(), "values, no-grad mode");
            }
        }
    }

    @Test
    void theRuleKeepsThePlainKernelOutsideItsWindow() {
        try (Scope s = Scope.open()) {
            Tensor small = Tensor.zeros(64, 20, 8, 8), big = Tensor.zeros(32, 64, 64, 64), mid = Tensor.zeros(64, 10, 24, 24);
            assertTrue(F.channelsLastPoolPays(Tensor.zeros(32, 64, 32, 32), K2, S2, P0, D1, false), "2M elements: inside");
            assertFalse(F.channelsLastPoolPays(small, K2, S2, P0, D1, false), "81,920 elements: the extra ops cost more");
            assertFalse(F.channelsLastPoolPays(big, K2, S2, P0, D1, false), "8M elements: the copy no longer fits the cache");
            assertFalse(F.channelsLastPoolPays(mid, K3, S2, P1, D1, false), "overlapping windows sum gradients in another order");
            assertFalse(F.channelsLastPoolPays(mid, K3, S2, P0, D1, false), "overlapping windows");
            assertFalse(F.channelsLastPoolPays(mid, K2, S2, P1, D1, false), "padding");
            assertFalse(F.channelsLastPoolPays(mid, K2, S2, P0, new long[] {2}, false), "dilation");
            assertFalse(F.channelsLastPoolPays(mid, K2, S2, P0, D1, true), "ceil mode");
            assertFalse(F.channelsLastPoolPays(mid.to(DType.FLOAT64), K2, S2, P0, D1, false), "float64");
            Tensor cl = Tensor.wrap(mid.unwrap().contiguous(torch.MemoryFormat.ChannelsLast));
            assertFalse(F.channelsLastPoolPays(cl, K2, S2, P0, D1, false), "already channels-last: libtorch's own choice");
            assertEquals(4, F.maxPool2d(cl, 2).dim());
        }
    }
}
