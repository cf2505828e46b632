package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every op group against values real PyTorch computed (golden/make_tensor_golden.py). */
class TensorOpsTest {
    static final Golden G = new Golden("/golden/tensor_ops.json");
    static final double EXACT = 0, F32 = 1e-6;
    Scope scope;
    Tensor a, b, ii;

    @BeforeEach void open() {
        scope = Scope.open();
        a = Tensor.arange(12).toFloat().reshape(3, 4).div(7.0).sub(0.5);
        b = Tensor.arange(12).toFloat().reshape(4, 3).div(5.0).sub(1.0);
        ii = Tensor.arange(12).reshape(3, 4);
    }

    @AfterEach void close() { scope.close(); }

    @Test void creation() {
        G.check("arange10", Tensor.arange(10), EXACT);
        G.check("arange_f", Tensor.arange(0.5, 3.0, 0.5), EXACT);
        G.check("linspace", Tensor.linspace(-1, 1, 7), F32);
        G.check("eye3", Tensor.eye(3), EXACT);
        G.check("eye2x3", Tensor.eye(2, 3), EXACT);
        G.check("full", Tensor.full(3.5, 2, 2), EXACT);
        assertArrayEquals(new float[]{1, 2, 3, 4}, Tensor.of(new float[]{1, 2, 3, 4}, 2, 2).toFloatArray());
        assertEquals(DType.INT64, Tensor.of(new long[]{1, 2}).dtype());
        assertEquals(DType.BOOL, Tensor.of(new boolean[]{true, false}).dtype());
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(new boolean[]{true, false}).toBooleanArray());
        assertEquals(DType.UINT8, Tensor.of(new byte[]{(byte) 200}).dtype());
        assertEquals(200, Tensor.of(new byte[]{(byte) 200}).itemLong());
        assertArrayEquals(new long[]{2, 2}, Tensor.of(new float[][]{{1, 2}, {3, 4}}).shape());
        assertEquals(2.5, Tensor.scalar(2.5).item());
        assertEquals(0, Tensor.scalar(2.5).dim());
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new long[]{2, 3}, z.onesLike().shape());
        assertEquals(6, z.onesLike().sum().item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[]{1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.randint(5, 5, 3));
    }

    @Test void seededRandomnessIsPyTorchs() {
        Engine.manualSeed(42);
        G.check("randn_seed42", Tensor.randn(3), EXACT);
        Engine.manualSeed(0);
        G.check("randn_seed0_2x3", Tensor.randn(2, 3), EXACT);
        Engine.manualSeed(0);
        G.check("rand_seed0", Tensor.rand(5), EXACT);
        Engine.manualSeed(0);
        G.check("randint_seed0", Tensor.randint(0, 10, 6), EXACT);
        Engine.manualSeed(0);
        G.check("randperm_seed0", Tensor.randperm(10), EXACT);
        Generator g = new Generator(123);
        G.check("randn_gen123", Tensor.randn(g, 4), EXACT);
        G.check("randn_gen123_next", Tensor.randn(g, 2), EXACT);
        G.check("randperm_gen7", Tensor.randperm(new Generator(7), 20), EXACT);
        // state round trip
        Generator h = new Generator(5);
        byte[] st = h.getState();
        Tensor x1 = Tensor.randn(h, 4);
        h.setState(st);
        assertTrue(x1.equal(Tensor.randn(h, 4)));
    }

    @Test void viewsAndShapes() {
        G.check("view", a.view(4, 3), EXACT);
        G.check("view_neg", a.view(-1, 6), EXACT);
        G.check("permute", a.reshape(3, 2, 2).permute(2, 0, 1).contiguous(), EXACT);
        G.check("transpose", a.transpose(0, 1), EXACT);
        G.check("t", a.t(), EXACT);
        G.check("flatten", a.reshape(3, 2, 2).flatten(1, -1), EXACT);
        G.check("unflatten", a.unflatten(1, 2, 2), EXACT);
        G.check("squeeze", a.reshape(3, 1, 4).squeeze(1), EXACT);
        G.check("unsqueeze", a.unsqueeze(0), EXACT);
        G.check("expand", Tensor.of(new float[]{1, 2, 3}).unsqueeze(1).expand(3, 4), EXACT);
        G.check("repeat", Tensor.of(new float[]{1, 2}).repeat(2, 3), EXACT);
        G.check("cat0", Tensor.cat(0, a, a.mul(2.0)), EXACT);
        G.check("cat1", Tensor.cat(1, a, a.mul(2.0)), EXACT);
        G.check("stack", Tensor.stack(1, a, a.add(1.0)), EXACT);
        G.checkAll("split", a.split(2, 1), EXACT);
        G.checkAll("split_sizes", a.split(new long[]{1, 3}, 1), EXACT);
        G.checkAll("chunk", a.chunk(2, 0), EXACT);
        G.check("narrow", a.narrow(1, 1, 2), EXACT);
        G.check("slice", a.slice(1, 1, 4, 2), EXACT);
        G.check("select", a.get(1), EXACT);
        G.check("get", a.get(2, 3), EXACT);
        Tensor idx = Tensor.of(new long[]{2, 0});
        G.check("index_select", a.indexSelect(1, idx), EXACT);
        Tensor gi = Tensor.of(new long[]{0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 1, 1}, 3, 4);
        G.check("gather", a.gather(1, gi), EXACT);
        G.check("scatter", Tensor.zeros(3, 4).scatter(1, Tensor.of(new long[]{1, 3, 0}, 3, 1), 5.0), EXACT);
        G.check("scatter_src", Tensor.zeros(3, 4).scatter(1, gi, a), EXACT);
        G.check("scatter_add", Tensor.zeros(3, 4).scatterAdd(1, Tensor.of(new long[]{0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 0, 0}, 3, 4), a), EXACT);
        Tensor mask = a.gt(0.0);
        G.check("masked_fill", a.maskedFill(mask, -1.0), EXACT);
        G.check("masked_select", a.maskedSelect(mask), EXACT);
        G.check("where", Tensor.where(mask, a, b.t()), EXACT);
        G.check("where_scalar", Tensor.where(mask, a, 0.0), EXACT);
        G.check("nonzero", mask.nonzero(), EXACT);
        G.check("tril", a.tril(0), EXACT);
        G.check("triu", a.triu(1), EXACT);
        G.check("flip", a.flip(1), EXACT);
        G.check("roll", a.roll(new long[]{1}, 1), EXACT);
        assertEquals(3, a.size(0));
        assertEquals(4, a.size(-1));
        assertArrayEquals(new long[]{4, 1}, a.stride());
        assertArrayEquals(new long[]{1, 4}, a.t().stride());
        assertFalse(a.t().isContiguous());
        assertEquals(1, a.slice(1, 1, 4, 2).storageOffset());
    }

    @Test void elementwise() {
        Tensor bt = b.t();
        G.check("add", a.add(bt), F32);
        G.check("add_alpha", a.add(bt, 2.5), F32);
        G.check("add_scalar", a.add(1.5), F32);
        G.check("sub", a.sub(bt), F32);
        G.check("mul", a.mul(bt), F32);
        G.check("div", a.div(bt.add(3.0)), F32);
        G.check("mul_scalar", a.mul(3L), F32);
        G.check("int_add_int", ii.add(2), EXACT);
        G.check("int_add_float", ii.add(2.0), EXACT);
        G.check("int_div", ii.div(4.0), F32);
        G.check("floor_divide", ii.floorDivide(Tensor.scalar(5L)), EXACT);
        G.check("pow", a.pow(2), F32);
        G.check("pow_frac", a.add(1.0).pow(0.5), F32);
        G.check("exp", a.exp(), F32);
        G.check("log", a.add(1.0).log(), F32);
        G.check("sqrt", a.add(1.0).sqrt(), F32);
        G.check("rsqrt", a.add(1.0).rsqrt(), F32);
        G.check("abs", a.abs(), EXACT);
        G.check("neg", a.neg(), EXACT);
        G.check("sign", a.sign(), EXACT);
        G.check("tanh", a.tanh(), F32);
        G.check("sigmoid", a.sigmoid(), F32);
        G.check("relu", a.relu(), EXACT);
        G.check("erf", a.erf(), F32);
        G.check("clamp", a.clamp(-0.2, 0.3), EXACT);
        G.check("clamp_min", a.clampMin(0.1), EXACT);
        G.check("floor", a.mul(3.0).floor(), EXACT);
        G.check("ceil", a.mul(3.0).ceil(), EXACT);
        G.check("round", a.mul(3.0).round(), EXACT);
        G.check("reciprocal", a.add(1.0).reciprocal(), F32);
        G.check("square", a.square(), F32);
        G.check("sin", a.sin(), F32);
        G.check("cos", a.cos(), F32);
        G.check("log1p", a.add(0.5).log1p(), F32);
        G.check("maximum", a.maximum(bt), EXACT);
        G.check("minimum", a.minimum(bt), EXACT);
        G.check("softmax1", a.softmax(1), F32);
        G.check("log_softmax1", a.logSoftmax(1), F32);
        G.check("lerp", a.lerp(bt, 0.3), F32);
        G.check("remainder", a.mul(10.0).remainder(3), F32);
        // in-place forms agree with out-of-place ones and return this
        Tensor c = a.clone();
        assertSame(c, c.add_(bt).mul_(2.0).sub_(1.0));
        assertTrue(c.allclose(a.add(bt).mul(2.0).sub(1.0), 0, 0));
        Tensor d = a.clone();
        d.addcmul_(a, bt, 0.5).addcdiv_(a, bt.add(3.0), 2.0);
        assertTrue(d.allclose(a.add(a.mul(bt).mul(0.5)).add(a.div(bt.add(3.0)).mul(2.0)), 1e-6, 1e-6));
        assertEquals(0.0, a.clone().zero_().abs().sum().item());
        assertEquals(12 * 2.5, a.clone().fill_(2.5).sum().item(), 1e-6);
    }

    @Test void comparisons() {
        G.check("eq", a.eq(b.t()), EXACT);
        G.check("gt_scalar", a.gt(0.1), EXACT);
        G.check("le", a.le(b.t()), EXACT);
        G.check("ne_scalar", ii.ne(3), EXACT);
        Tensor special = Tensor.of(new float[]{1f, Float.NaN, Float.POSITIVE_INFINITY});
        G.check("isnan", special.isnan(), EXACT);
        G.check("isfinite", special.isfinite(), EXACT);
        assertTrue(a.equal(a.clone()));
        assertFalse(a.equal(a.add(1e-3)));
    }

    @Test void reductions() {
        G.check("sum", a.sum(), F32);
        G.check("sum_d1", a.sum(1, false), F32);
        G.check("sum_d0_keep", a.sum(0, true), F32);
        G.check("sum_dims", a.reshape(3, 2, 2).sum(new long[]{0, 2}, false), F32);
        G.check("mean", a.mean(), F32);
        G.check("mean_d1", a.mean(1, false), F32);
        G.check("prod", a.add(1.0).prod(), F32);
        G.check("max", a.max(), EXACT);
        G.check("min", a.min(), EXACT);
        Tensor[] mx = a.max(1, false);
        G.check("max_d1.0", mx[0], EXACT);
        G.check("max_d1.1", mx[1], EXACT);
        Tensor[] mn = a.min(0, true);
        G.check("min_d0_keep.0", mn[0], EXACT);
        G.check("min_d0_keep.1", mn[1], EXACT);
        G.check("argmax", a.argmax(), EXACT);
        G.check("argmax_d1", a.argmax(1, false), EXACT);
        G.check("argmin_d0", a.argmin(0, false), EXACT);
        G.check("std", a.std(), F32);
        G.check("std_d1", a.std(1, true, false), F32);
        G.check("std_d1_biased", a.std(1, false, false), F32);
        G.check("var", a.var(), F32);
        G.check("var_d0", a.var(0, true, false), F32);
        G.check("norm", a.norm(), F32);
        G.check("norm1", a.norm(1), F32);
        G.check("norm_inf", a.norm(Double.POSITIVE_INFINITY), F32);
        G.check("norm_d1", a.norm(2, 1, false), F32);
        G.check("logsumexp", a.logsumexp(1, false), F32);
        G.check("cumsum", a.cumsum(1), F32);
        G.check("all", a.gt(-1.0).all(), EXACT);
        G.check("any", a.gt(10.0).any(), EXACT);
        Tensor[] tk = a.topk(2, 1, true, true);
        G.check("topk.0", tk[0], EXACT);
        G.check("topk.1", tk[1], EXACT);
        Tensor[] so = a.sort(1, true);
        G.check("sort_desc.0", so[0], EXACT);
        G.check("sort_desc.1", so[1], EXACT);
        G.check("argsort", a.argsort(0, true), EXACT);
    }

    @Test void linearAlgebra() {
        G.check("matmul", a.matmul(b), F32);
        G.check("mm", a.mm(b), F32);
        Tensor a3 = a.reshape(1, 3, 4).expand(2, 3, 4).mul(Tensor.of(new float[]{1, -2}).view(2, 1, 1));
        Tensor b3 = b.reshape(1, 4, 3).expand(2, 4, 3).contiguous();
        G.check("bmm", a3.bmm(b3), F32);
        G.check("matmul_batched", a3.matmul(b), F32);
        G.check("dot", a.get(0).dot(b.select(1, 0)), F32);
        G.check("outer", a.get(0).outer(b.get(0)), F32);
        G.check("einsum_ij_jk", Tensor.einsum("ij,jk->ik", a, b), F32);
        G.check("einsum_trace", Tensor.einsum("ii->", a.slice(1, 0, 3)), F32);
        G.check("einsum_batch", Tensor.einsum("bij,bjk->bik", a3, b3), F32);
        TorchException e = assertThrows(TorchException.class, () -> a.matmul(a));
        assertEquals("matmul: mat1 and mat2 shapes cannot be multiplied (3x4 and 3x4)", e.getMessage());
        assertTrue(e.nativeBacktrace().length() > e.getMessage().length());
    }

    @Test void conversion() {
        G.check("to_int", a.mul(10.0).to(DType.INT64), EXACT);
        G.check("to_double", a.to(DType.FLOAT64), EXACT);
        G.check("to_bool", a.gt(0.0).to(DType.FLOAT32), EXACT);
        G.check("to_half_back", a.to(DType.FLOAT16).toFloat(), EXACT);
        G.check("to_bf16_back", a.to(DType.BFLOAT16).toFloat(), EXACT);
        assertEquals(-0.5f, a.get(0, 0).itemFloat());
        assertArrayEquals(new long[]{0, 1, 2}, Tensor.arange(3).toLongArray());
        assertArrayEquals(new int[]{0, 1, 2}, Tensor.arange(3).toIntArray());
        byte[] raw = Tensor.of(new float[]{1f}).toBytes();
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3f}, raw);
        Tensor back = Tensor.fromBytes(a.toBytes(), DType.FLOAT32, 3, 4);
        assertTrue(back.equal(a));
        assertEquals(Device.CPU, a.device());
        assertEquals(48, a.nbytes());
        assertEquals(4 * 4, Tensor.zeros(DType.FLOAT32, 4).asByteBuffer().capacity());
    }

    @Test void autograd() {
        Tensor x = a.clone().requiresGrad(true);
        assertTrue(x.isLeaf());
        x.mul(x).sum().add(x.exp().mean()).backward();
        G.check("grad_sq_exp", x.grad(), F32);

        x = a.clone().requiresGrad(true);
        Tensor w = b.clone().requiresGrad(true);
        x.matmul(w).tanh().backward(Tensor.ones(3, 3).mul(0.5));
        G.check("grad_mm_x", x.grad(), F32);
        G.check("grad_mm_w", w.grad(), F32);

        x = a.clone().requiresGrad(true);
        Tensor h = x.mul(2.0);
        h.retainGrad();
        h.relu().mul(h).sum().backward();
        G.check("retain_grad_h", h.grad(), F32);
        G.check("retain_grad_x", x.grad(), F32);

        x = a.clone().requiresGrad(true);
        Tensor y = x.pow(3).sum();
        Tensor gx = Autograd.grad(List.of(y), List.of(x), null, true, true).get(0);
        G.check("autograd_grad", gx, F32);
        G.check("autograd_grad2", Autograd.grad(List.of(gx.sum()), List.of(x)).get(0), F32);

        x = a.clone().requiresGrad(true);
        x.softmax(1).mul(Tensor.arange(4).toFloat()).sum().backward();
        G.check("grad_softmax", x.grad(), F32);
        x = a.clone().requiresGrad(true);
        x.sum(1, false).mul(Tensor.of(new float[]{1, 2, 3})).sum().backward();
        G.check("grad_sum_dim", x.grad(), F32);
        x = a.clone().requiresGrad(true);
        x.max(1, false)[0].sum().backward();
        G.check("grad_max_dim", x.grad(), F32);
        x = a.clone().requiresGrad(true);
        x.norm().backward();
        G.check("grad_norm", x.grad(), F32);

        // detach, no-grad and enable-grad scopes, set grad to none
        assertFalse(x.detach().requiresGrad());
        try (var g = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            assertFalse(x.mul(2.0).requiresGrad());
            try (var e = Autograd.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertNotNull(x.grad());
        x.setGrad(null);
        assertNull(x.grad());
        x.setGrad(x.onesLike());
        assertEquals(12, x.grad().sum().item());
        assertNull(a.clone().requiresGrad(true).grad());
        TorchException e = assertThrows(TorchException.class, () -> a.clone().sum().backward());
        assertTrue(e.getMessage().startsWith("backward: element 0 of tensors does not require grad"), e.getMessage());
    }

    @Test void printing() {
        Engine.manualSeed(42);
        assertEquals(G.string("str_randn42"), Tensor.randn(3).toString());
        assertEquals(G.string("str_arange"), Tensor.arange(10).view(2, 5).toString());
        assertEquals(G.string("str_A"), a.toString());
        assertEquals(G.string("str_int_like"), Tensor.of(new float[]{1, 2, 3}).toString());
        assertEquals(G.string("str_scalar"), Tensor.scalar(0.7).toString());
        assertEquals(G.string("str_bool"), a.gt(0.0).toString());
        assertEquals(G.string("str_double"), a.to(DType.FLOAT64).get(0).toString());
        assertEquals(G.string("str_sci"), Tensor.of(new float[]{1e-5f, 1f, 1e5f}).toString());
        assertEquals(G.string("str_grad"), Tensor.of(new float[]{1, 2}).requiresGrad(true).toString());
        assertEquals(G.string("str_3d"), Tensor.arange(8).view(2, 2, 2).toString());
        assertEquals(G.string("str_empty"), Tensor.zeros(0).toString());
        assertEquals(G.string("str_grad_fn"), Tensor.of(new float[]{1, 2}).requiresGrad(true).mul(2.0).sum().toString());
        assertEquals(G.string("str_int_sci"), Tensor.of(new float[]{1, 5000}).toString());
    }
}
