package dev.wick.nn.attention;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bytedeco.pytorch.global.torch;

import dev.wick.nn.F;
import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * The functional forms of {@link MultiheadAttention} and {@link TransformerEncoderLayer}, composed of
 * matmuls, softmax and layer norms in the order PyTorch 1.13's {@code F.multi_head_attention_forward}
 * and {@code TransformerEncoderLayer.forward} use, so values and gradients agree to float32 rounding.
 *
 * <pre>{@code
 * MultiheadAttention.Output o = Attention.multiHeadAttentionForward(x, x, x, 8, mha.weights(), false, 0.0, false,
 *         MultiheadAttention.ForwardOptions.defaults());   // x: (T, B, 512)
 * }</pre>
 *
 * <p>Attention, per head {@code h} with head size {@code d = E / heads}:
 * {@code A_h = softmax(Q_h K_hᵀ / sqrt(d) + mask)}, {@code out = concat_h(A_h V_h) W_oᵀ + b_o}, where
 * {@code Q = query W_qᵀ + b_q} and so on. Boolean masks turn true into {@code -inf}; a row that masks
 * every key gives NaN, as in PyTorch.
 *
 * <p>Intermediates are freed on return (an inner {@link Scope}); only the results are handed to the
 * caller's scope.
 */
public final class Attention {
    private Attention() {}

    /**
     * Multi-head attention, sequence first: {@code query} {@code (L, N, E)} or {@code (L, E)},
     * {@code key} {@code (S, N, kdim)}, {@code value} {@code (S, N, vdim)}. Passing the same tensor
     * object as query, key and value (self-attention) projects it with one packed matmul; the same
     * object as key and value, with one matmul for both.
     *
     * @param dropout  dropout on the attention weights, applied only when {@code training}
     */
    public static MultiheadAttention.Output multiHeadAttentionForward(Tensor query, Tensor key, Tensor value, long numHeads,
            MultiheadAttention.Weights w, boolean addZeroAttn, double dropout, boolean training,
            MultiheadAttention.ForwardOptions o) {
        final String who = "MultiheadAttention";
        Objects.requireNonNull(w, who + ": weights are null");
        Objects.requireNonNull(o, who + ": forward options are null");
        if (!(dropout >= 0.0 && dropout <= 1.0)) throw new IllegalArgumentException("Invalid dropout: " + dropout + " (must be in [0, 1])");
        if (query == null || key == null || value == null) throw new IllegalArgumentException(who + ": query, key and value must not be null");
        boolean batched = checkShapes(who, query, key, value, o.keyPaddingMask(), o.attnMask(), numHeads);
        boolean qIsK = query == key, kIsV = key == value;
        try (Scope s = Scope.open()) {
            Tensor q0 = batched ? query : query.unsqueeze(1);
            Tensor k0 = qIsK ? q0 : batched ? key : key.unsqueeze(1);
            Tensor v0 = kIsV ? k0 : batched ? value : value.unsqueeze(1);
            Tensor kpm = o.keyPaddingMask() == null || batched ? o.keyPaddingMask() : o.keyPaddingMask().unsqueeze(0);

            long tgtLen = q0.size(0), bsz = q0.size(1), embedDim = q0.size(2);
            long expectedE = w.outProjWeight().size(1);
            if (embedDim != expectedE)
                throw new IllegalArgumentException(who + ": query must have " + expectedE + " features (embed_dim); got " + describe(query));
            if (embedDim % numHeads != 0)
                throw new IllegalArgumentException(who + ": embed_dim " + embedDim + " not divisible by num_heads " + numHeads);
            long headDim = embedDim / numHeads;
            if (kpm != null && kpm.dtype() != DType.BOOL && !kpm.isFloatingPoint())
                throw new IllegalArgumentException(who + ": key_padding_mask must be bool or floating point; got " + describe(o.keyPaddingMask()));
            if (kpm != null && (kpm.size(0) != bsz || kpm.size(1) != k0.size(0)))
                throw new IllegalArgumentException(who + ": key_padding_mask must have shape "
                        + (batched ? "[" + bsz + ", " + k0.size(0) + "] (batch, source)" : "[" + k0.size(0) + "] (source)")
                        + "; got " + describe(o.keyPaddingMask()));
            boolean separate = w.inProjWeight() == null;
            if (separate ? k0.size(0) != v0.size(0) || k0.size(1) != v0.size(1) : !Arrays.equals(k0.shape(), v0.shape()))
                throw new IllegalArgumentException(who + ": key " + describe(key) + " and value " + describe(value)
                        + (separate ? " must have the same sequence and batch sizes" : " must have the same shape"));

            // ---- input projections
            Tensor[] qkv = project(who, q0, k0, v0, qIsK, kIsV, w, embedDim);
            Tensor q = qkv[0], k = qkv[1], v = qkv[2];

            // ---- attention mask: bool or float, as (1 or N*H, L, S)
            Tensor attnMask = o.attnMask();
            if (attnMask != null) {
                if (attnMask.dtype() == DType.UINT8) attnMask = attnMask.to(DType.BOOL);
                else if (attnMask.dtype() != DType.BOOL && !attnMask.isFloatingPoint())
                    throw new IllegalArgumentException(who + ": attn_mask must be bool, uint8 or floating point; got " + describe(attnMask));
                long srcLen = k0.size(0);
                if (attnMask.dim() == 2) {
                    if (attnMask.size(0) != tgtLen || attnMask.size(1) != srcLen)
                        throw new IllegalArgumentException(who + ": a 2-D attn_mask must have shape [" + tgtLen + ", " + srcLen + "]; got " + describe(attnMask));
                    attnMask = attnMask.unsqueeze(0);
                } else {
                    if (attnMask.size(0) != bsz * numHeads || attnMask.size(1) != tgtLen || attnMask.size(2) != srcLen)
                        throw new IllegalArgumentException(who + ": a 3-D attn_mask must have shape [" + bsz * numHeads + ", " + tgtLen + ", " + srcLen
                                + "] (batch * num_heads, target, source); got " + describe(attnMask));
                }
            }

            // ---- learnt extra key/value
            if ((w.biasK() == null) != (w.biasV() == null))
                throw new IllegalArgumentException(who + ": bias_k and bias_v must be given together");
            if (w.biasK() != null) {
                k = Tensor.cat(0, k, w.biasK().repeat(1, bsz, 1));      // (S+1, N, E)
                v = Tensor.cat(0, v, w.biasV().repeat(1, bsz, 1));
                if (attnMask != null) attnMask = F.pad(attnMask, 0, 1);
                if (kpm != null) kpm = F.pad(kpm, 0, 1);
            }

            // ---- split heads: (S, N, E) -> (N*H, S, d)
            q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
            k = k.contiguous().view(k.size(0), bsz * numHeads, headDim).transpose(0, 1);
            v = v.contiguous().view(v.size(0), bsz * numHeads, headDim).transpose(0, 1);

            if (addZeroAttn) {
                k = Tensor.cat(1, k, Tensor.zeros(k.dtype(), bsz * numHeads, 1, headDim));   // (N*H, S+1, d)
                v = Tensor.cat(1, v, Tensor.zeros(v.dtype(), bsz * numHeads, 1, headDim));
                if (attnMask != null) attnMask = F.pad(attnMask, 0, 1);
                if (kpm != null) kpm = F.pad(kpm, 0, 1);
            }
            long srcLen = k.size(1);

            // ---- merge the key padding mask into the attention mask
            if (kpm != null) {
                kpm = kpm.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
                if (attnMask == null) attnMask = kpm;
                else if (attnMask.dtype() == DType.BOOL && kpm.dtype() == DType.BOOL) attnMask = attnMask.logicalOr(kpm);
                else attnMask = toFloatMask(attnMask, q.dtype()).add(toFloatMask(kpm, q.dtype()));
            }
            if (attnMask != null) attnMask = toFloatMask(attnMask, q.dtype());

            // ---- scaled dot product
            Tensor qScaled = q.div(Math.sqrt((double) headDim));
            Tensor kT = k.transpose(-2, -1);
            Tensor scores = attnMask != null ? baddbmm(attnMask, qScaled, kT) : qScaled.bmm(kT);   // (N*H, L, S)
            Tensor weights = F.softmax(scores, -1);
            if (training && dropout > 0.0) weights = F.dropout(weights, dropout, true);
            Tensor out = weights.bmm(v);                                                          // (N*H, L, d)
            out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
            out = F.linear(out, w.outProjWeight(), w.outProjBias()).view(tgtLen, bsz, embedDim);

            Tensor attn = null;
            if (o.needWeights()) {
                attn = weights.view(bsz, numHeads, tgtLen, srcLen);
                if (o.averageAttnWeights()) attn = attn.sum(1, false).div((double) numHeads);
                if (!batched) attn = attn.squeeze(0);
                attn = s.keep(attn);
            }
            if (!batched) out = out.squeeze(1);
            return new MultiheadAttention.Output(s.keep(out), attn);
        }
    }

    /** PyTorch's in-projection: one packed matmul for self-attention, two when key is value, else three. */
    private static Tensor[] project(String who, Tensor q, Tensor k, Tensor v, boolean qIsK, boolean kIsV,
                                    MultiheadAttention.Weights w, long e) {
        Tensor b = w.inProjBias();
        if (w.inProjWeight() == null) {
            if (w.qProjWeight() == null || w.kProjWeight() == null || w.vProjWeight() == null)
                throw new IllegalArgumentException(who + ": give in_proj_weight or all of q_proj_weight, k_proj_weight and v_proj_weight");
            checkFeatures(who, "key", k, w.kProjWeight());
            checkFeatures(who, "value", v, w.vProjWeight());
            List<Tensor> bs = b == null ? null : b.chunk(3, 0);
            return new Tensor[]{
                    F.linear(q, w.qProjWeight(), bs == null ? null : bs.get(0)),
                    F.linear(k, w.kProjWeight(), bs == null ? null : bs.get(1)),
                    F.linear(v, w.vProjWeight(), bs == null ? null : bs.get(2))};
        }
        Tensor wIn = w.inProjWeight();
        checkFeatures(who, "key", k, wIn);
        checkFeatures(who, "value", v, wIn);
        if (kIsV && qIsK) {
            List<Tensor> qkv = F.linear(q, wIn, b).chunk(3, -1);
            return qkv.toArray(new Tensor[0]);
        }
        if (kIsV) {
            List<Tensor> ws = wIn.split(new long[]{e, 2 * e}, 0);
            List<Tensor> bs = b == null ? null : b.split(new long[]{e, 2 * e}, 0);
            List<Tensor> kv = F.linear(k, ws.get(1), bs == null ? null : bs.get(1)).chunk(2, -1);
            return new Tensor[]{F.linear(q, ws.get(0), bs == null ? null : bs.get(0)), kv.get(0), kv.get(1)};
        }
        List<Tensor> ws = wIn.chunk(3, 0);
        List<Tensor> bs = b == null ? null : b.chunk(3, 0);
        return new Tensor[]{
                F.linear(q, ws.get(0), bs == null ? null : bs.get(0)),
                F.linear(k, ws.get(1), bs == null ? null : bs.get(1)),
                F.linear(v, ws.get(2), bs == null ? null : bs.get(2))};
    }

    private static void checkFeatures(String who, String what, Tensor x, Tensor weight) {
        long want = weight.size(1);
        if (x.size(x.dim() - 1) != want)
            throw new IllegalArgumentException(who + ": " + what + " must have " + want + " features; got " + x.size(x.dim() - 1)
                    + " (shape " + Arrays.toString(x.shape()) + ")");
    }

    private static Tensor toFloatMask(Tensor mask, DType dtype) {
        if (mask.dtype() != DType.BOOL) return mask;
        return Tensor.zeros(dtype, mask.shape()).maskedFill_(mask, Double.NEGATIVE_INFINITY);
    }

    private static Tensor baddbmm(Tensor self, Tensor b1, Tensor b2) {
        try {
            return Tensor.wrap(torch.baddbmm(self.unwrap(), b1.unwrap(), b2.unwrap()));
        } catch (RuntimeException e) {
            throw TorchException.from(e, "MultiheadAttention");
        }
    }

    /** PyTorch's {@code _mha_shape_check}: whether the call is batched. */
    private static boolean checkShapes(String who, Tensor query, Tensor key, Tensor value, Tensor kpm, Tensor attnMask, long numHeads) {
        if (query.dim() == 3) {
            if (key.dim() != 3 || value.dim() != 3)
                throw new IllegalArgumentException(who + ": for a batched (3-D) query, key and value must be 3-D; got key "
                        + describe(key) + " and value " + describe(value));
            if (kpm != null && kpm.dim() != 2)
                throw new IllegalArgumentException(who + ": for a batched (3-D) query, key_padding_mask must be 2-D [batch, source]; got " + describe(kpm));
            if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3)
                throw new IllegalArgumentException(who + ": attn_mask must be 2-D or 3-D; got " + describe(attnMask));
            return true;
        }
        if (query.dim() == 2) {
            if (key.dim() != 2 || value.dim() != 2)
                throw new IllegalArgumentException(who + ": for an unbatched (2-D) query, key and value must be 2-D; got key "
                        + describe(key) + " and value " + describe(value));
            if (kpm != null && kpm.dim() != 1)
                throw new IllegalArgumentException(who + ": for an unbatched (2-D) query, key_padding_mask must be 1-D [source]; got " + describe(kpm));
            if (attnMask != null) {
                if (attnMask.dim() != 2 && attnMask.dim() != 3)
                    throw new IllegalArgumentException(who + ": attn_mask must be 2-D or 3-D; got " + describe(attnMask));
                if (attnMask.dim() == 3 && (attnMask.size(0) != numHeads || attnMask.size(1) != query.size(0) || attnMask.size(2) != key.size(0)))
                    throw new IllegalArgumentException(who + ": a 3-D attn_mask must have shape [" + numHeads + ", " + query.size(0) + ", "
                            + key.size(0) + "] (num_heads, target, source); got " + describe(attnMask));
            }
            return false;
        }
        throw new IllegalArgumentException(who + ": query must be 3-D [seq, batch, embed] (batched) or 2-D [seq, embed] (unbatched); got " + describe(query));
    }

    // ================================================================== transformer encoder layer

    /**
     * One transformer encoder layer ({@code nn.TransformerEncoderLayer.forward}): self-attention and a
     * feed-forward block, each with a residual connection and a layer norm, after
     * ({@code normFirst = false}) or before ({@code normFirst = true}) the block:
     * <pre>
     * post-norm: x = norm1(x + drop1(sa(x)));  x = norm2(x + drop2(ff(x)))
     * pre-norm:  x = x + drop1(sa(norm1(x)));  x = x + drop2(ff(norm2(x)))
     * ff(x) = linear2(drop(act(linear1(x))))
     * </pre>
     * {@code src}: {@code (L, N, E)}, {@code (N, L, E)} when batch-first, or {@code (L, E)};
     * {@code srcMask} {@code (L, L)} or {@code (N*heads, L, L)}, {@code srcKeyPaddingMask}
     * {@code (N, L)} (each may be null). Dropouts act only when {@code training}.
     */
    public static Tensor transformerEncoderLayer(Tensor src, TransformerEncoderLayer.Weights w, long nhead,
            TransformerEncoderLayer.Options o, Tensor srcMask, Tensor srcKeyPaddingMask, boolean training) {
        final String who = "TransformerEncoderLayer";
        Objects.requireNonNull(w, who + ": weights are null");
        Objects.requireNonNull(o, who + ": options are null");
        if (src == null) throw new IllegalArgumentException(who + ": src is null");
        if (srcKeyPaddingMask != null && srcKeyPaddingMask.dtype() != DType.BOOL && !srcKeyPaddingMask.isFloatingPoint())
            throw new IllegalArgumentException(who + ": src_key_padding_mask must be bool or floating point; got " + describe(srcKeyPaddingMask));
        long[] normShape = {w.norm1Weight() != null ? w.norm1Weight().size(0) : src.size(src.dim() - 1)};
        try (Scope s = Scope.open()) {
            Tensor x = src;
            if (o.normFirst()) {
                x = x.add(selfAttentionBlock(F.layerNorm(x, normShape, w.norm1Weight(), w.norm1Bias(), o.layerNormEps()),
                        w, nhead, o, srcMask, srcKeyPaddingMask, training));
                x = x.add(feedForwardBlock(F.layerNorm(x, normShape, w.norm2Weight(), w.norm2Bias(), o.layerNormEps()), w, o, training));
            } else {
                x = F.layerNorm(x.add(selfAttentionBlock(x, w, nhead, o, srcMask, srcKeyPaddingMask, training)),
                        normShape, w.norm1Weight(), w.norm1Bias(), o.layerNormEps());
                x = F.layerNorm(x.add(feedForwardBlock(x, w, o, training)), normShape, w.norm2Weight(), w.norm2Bias(), o.layerNormEps());
            }
            return s.keep(x);
        }
    }

    private static Tensor selfAttentionBlock(Tensor x, TransformerEncoderLayer.Weights w, long nhead, TransformerEncoderLayer.Options o,
                                             Tensor mask, Tensor kpm, boolean training) {
        boolean transpose = o.batchFirst() && x.dim() == 3;
        Tensor seqFirst = transpose ? x.transpose(1, 0) : x;                 // (N, L, E) -> (L, N, E)
        Tensor a = multiHeadAttentionForward(seqFirst, seqFirst, seqFirst, nhead, w.selfAttn(), false, o.dropout(), training,
                new MultiheadAttention.ForwardOptions(kpm, mask, false, true)).output();
        if (transpose) a = a.transpose(1, 0);
        return F.dropout(a, o.dropout(), training);
    }

    private static Tensor feedForwardBlock(Tensor x, TransformerEncoderLayer.Weights w, TransformerEncoderLayer.Options o, boolean training) {
        Tensor h = F.linear(x, w.linear1Weight(), w.linear1Bias());
        h = o.activation() == TransformerEncoderLayer.Activation.GELU ? F.gelu(h) : F.relu(h);
        h = F.linear(F.dropout(h, o.dropout(), training), w.linear2Weight(), w.linear2Bias());
        return F.dropout(h, o.dropout(), training);
    }

    private static String describe(Tensor t) {
        return t.dtype().torchName() + " " + Arrays.toString(t.shape());
    }
}
