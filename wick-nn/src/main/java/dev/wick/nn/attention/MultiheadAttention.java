package dev.wick.nn.attention;

import java.util.Objects;

import dev.wick.nn.Linear;
import dev.wick.nn.Module;
import dev.wick.nn.init.Init;
import dev.wick.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention ({@code nn.MultiheadAttention}); the maths is
 * {@link Attention#multiHeadAttentionForward}.
 *
 * <pre>{@code
 * var mha = new MultiheadAttention(512, 8, MultiheadAttention.Options.defaults().withBatchFirst(true));
 * MultiheadAttention.Output o = mha.forward(x, x, x,                   // self-attention, x: (B, T, 512)
 *         MultiheadAttention.ForwardOptions.defaults().withKeyPaddingMask(padding));   // (B, T) bool
 * o.output();        // (B, T, 512)
 * o.attnWeights();   // (B, T, T), averaged over heads
 * }</pre>
 *
 * <p>Parameters (PyTorch's names): {@code in_proj_weight} {@code (3E, E)} packing the query, key and
 * value projections (or {@code q_proj_weight} {@code (E, E)}, {@code k_proj_weight} {@code (E, kdim)},
 * {@code v_proj_weight} {@code (E, vdim)} when kdim or vdim differ from E), {@code in_proj_bias}
 * {@code (3E)}, {@code bias_k} / {@code bias_v} {@code (1, 1, E)} with {@code addBiasKv}, and the child
 * {@code out_proj} ({@link Linear}, E to E). Initialisation, in PyTorch's order so a seeded build is
 * PyTorch's bit for bit: {@code out_proj} as a Linear, then Xavier-uniform input projections, zero
 * biases (both {@code in_proj_bias} and {@code out_proj.bias}), Xavier-normal {@code bias_k},
 * {@code bias_v}.
 */
public final class MultiheadAttention extends Module {

    /**
     * @param dropout     in [0, 1]: dropout on the attention weights in training mode
     * @param bias        whether the input and output projections have biases
     * @param addBiasKv   appends a learnt key and value ({@code bias_k}, {@code bias_v}) to every sequence
     * @param addZeroAttn appends an all-zero key and value to every sequence
     * @param kdim        the key features, or null for embed_dim
     * @param vdim        the value features, or null for embed_dim
     * @param batchFirst  inputs and output are {@code (batch, seq, feature)} instead of {@code (seq, batch, feature)}
     */
    public record Options(double dropout, boolean bias, boolean addBiasKv, boolean addZeroAttn, Long kdim, Long vdim, boolean batchFirst) {
        public Options {
            if (!(dropout >= 0.0 && dropout <= 1.0))
                throw new IllegalArgumentException("Invalid dropout: " + dropout + " (must be in [0, 1])");
            if (kdim != null && kdim < 1) throw new IllegalArgumentException("Invalid kdim: " + kdim + " (must be >= 1)");
            if (vdim != null && vdim < 1) throw new IllegalArgumentException("Invalid vdim: " + vdim + " (must be >= 1)");
        }

        /** No dropout, biases, no extra keys, kdim = vdim = embed_dim, sequence first (PyTorch's defaults). */
        public static Options defaults() { return new Options(0.0, true, false, false, null, null, false); }

        public Options withDropout(double dropout) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withBias(boolean bias) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withAddBiasKv(boolean addBiasKv) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withAddZeroAttn(boolean addZeroAttn) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withKdim(long kdim) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withVdim(long vdim) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
        public Options withBatchFirst(boolean batchFirst) { return new Options(dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst); }
    }

    /**
     * The optional inputs of one call.
     *
     * @param keyPaddingMask     {@code (N, S)} ({@code (S)} unbatched): true (or -inf when float, added)
     *                           marks keys to ignore; null for none
     * @param attnMask           {@code (L, S)} or {@code (N*heads, L, S)}: true marks pairs that may not
     *                           attend; a float mask is added to the scores; null for none
     * @param needWeights        whether to return the attention weights
     * @param averageAttnWeights average the weights over heads ({@code (N, L, S)}) instead of per head
     *                           ({@code (N, heads, L, S)})
     */
    public record ForwardOptions(Tensor keyPaddingMask, Tensor attnMask, boolean needWeights, boolean averageAttnWeights) {
        /** No masks; weights returned, averaged over heads (PyTorch's defaults). */
        public static ForwardOptions defaults() { return new ForwardOptions(null, null, true, true); }

        public ForwardOptions withKeyPaddingMask(Tensor keyPaddingMask) { return new ForwardOptions(keyPaddingMask, attnMask, needWeights, averageAttnWeights); }
        public ForwardOptions withAttnMask(Tensor attnMask) { return new ForwardOptions(keyPaddingMask, attnMask, needWeights, averageAttnWeights); }
        public ForwardOptions withNeedWeights(boolean needWeights) { return new ForwardOptions(keyPaddingMask, attnMask, needWeights, averageAttnWeights); }
        public ForwardOptions withAverageAttnWeights(boolean averageAttnWeights) { return new ForwardOptions(keyPaddingMask, attnMask, needWeights, averageAttnWeights); }
    }

    /**
     * The tensors of one attention layer, for {@link Attention#multiHeadAttentionForward}: either the
     * packed {@code inProjWeight} or the three separate projections; any bias may be null
     * ({@code biasK} and {@code biasV} together).
     */
    public record Weights(Tensor inProjWeight, Tensor qProjWeight, Tensor kProjWeight, Tensor vProjWeight, Tensor inProjBias,
                          Tensor biasK, Tensor biasV, Tensor outProjWeight, Tensor outProjBias) {}

    /** The attended values, and the attention weights (null unless asked for). */
    public record Output(Tensor output, Tensor attnWeights) {}

    private final long embedDim;
    private final long numHeads;
    private final long kdim;
    private final long vdim;
    private final Options options;
    private final boolean packed;
    private final Linear outProj;

    public MultiheadAttention(long embedDim, long numHeads) { this(embedDim, numHeads, Options.defaults()); }

    public MultiheadAttention(long embedDim, long numHeads, Options options) {
        this.options = Objects.requireNonNull(options, "MultiheadAttention: options is null");
        if (embedDim < 1) throw new IllegalArgumentException("Invalid embed_dim: " + embedDim + " (must be >= 1)");
        if (numHeads < 1) throw new IllegalArgumentException("Invalid num_heads: " + numHeads + " (must be >= 1)");
        if (embedDim % numHeads != 0)
            throw new IllegalArgumentException("Invalid num_heads: " + numHeads + " (embed_dim " + embedDim + " must be divisible by it)");
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.kdim = options.kdim() == null ? embedDim : options.kdim();
        this.vdim = options.vdim() == null ? embedDim : options.vdim();
        this.packed = kdim == embedDim && vdim == embedDim;
        // registration order is PyTorch's, so state-dict keys come out in its order
        if (packed) {
            registerParameter("in_proj_weight", Tensor.empty(3 * embedDim, embedDim));
            registerParameter("q_proj_weight", null);
            registerParameter("k_proj_weight", null);
            registerParameter("v_proj_weight", null);
        } else {
            registerParameter("q_proj_weight", Tensor.empty(embedDim, embedDim));
            registerParameter("k_proj_weight", Tensor.empty(embedDim, kdim));
            registerParameter("v_proj_weight", Tensor.empty(embedDim, vdim));
            registerParameter("in_proj_weight", null);
        }
        registerParameter("in_proj_bias", options.bias() ? Tensor.empty(3 * embedDim) : null);
        // out_proj draws its Linear initialisation here, before the input projections, as in PyTorch
        this.outProj = register("out_proj", new Linear(embedDim, embedDim, options.bias()));
        registerParameter("bias_k", options.addBiasKv() ? Tensor.empty(1, 1, embedDim) : null);
        registerParameter("bias_v", options.addBiasKv() ? Tensor.empty(1, 1, embedDim) : null);
        resetParameters();
    }

    /**
     * Xavier-uniform input projections, zero biases, Xavier-normal {@code bias_k}/{@code bias_v}
     * ({@code out_proj.weight} keeps its Linear initialisation).
     */
    public void resetParameters() {
        if (packed) {
            Init.xavierUniform(parameter("in_proj_weight"));
        } else {
            Init.xavierUniform(parameter("q_proj_weight"));
            Init.xavierUniform(parameter("k_proj_weight"));
            Init.xavierUniform(parameter("v_proj_weight"));
        }
        if (parameter("in_proj_bias") != null) {
            Init.zeros(parameter("in_proj_bias"));
            Init.zeros(outProj.bias());
        }
        if (parameter("bias_k") != null) Init.xavierNormal(parameter("bias_k"));
        if (parameter("bias_v") != null) Init.xavierNormal(parameter("bias_v"));
    }

    /** The current tensors, read through the registry (so {@link #setParameter} is followed). */
    public Weights weights() {
        return new Weights(parameter("in_proj_weight"), parameter("q_proj_weight"), parameter("k_proj_weight"), parameter("v_proj_weight"),
                parameter("in_proj_bias"), parameter("bias_k"), parameter("bias_v"), outProj.weight(), outProj.bias());
    }

    /** Attention with no masks, weights averaged over heads. */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, ForwardOptions.defaults());
    }

    /**
     * Attends {@code query} {@code (L, N, E)} to {@code key} {@code (S, N, kdim)} / {@code value}
     * {@code (S, N, vdim)} ({@code (N, L, E)} ... when batch-first; {@code (L, E)} ... unbatched).
     * Passing one tensor as query, key and value projects it with a single matmul, as PyTorch does.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, ForwardOptions forwardOptions) {
        Objects.requireNonNull(forwardOptions, "MultiheadAttention: forward options are null");
        boolean transpose = options.batchFirst() && query != null && query.dim() == 3;
        if (!transpose) {
            return Attention.multiHeadAttentionForward(query, key, value, numHeads, weights(), options.addZeroAttn(),
                    options.dropout(), isTraining(), forwardOptions);
        }
        // (N, L, E) -> (L, N, E), keeping "the same tensor" the same so self-attention packs its projection
        Tensor q = query.transpose(1, 0);
        Tensor k = key == query ? q : key.transpose(1, 0);
        Tensor v = value == key ? k : value.transpose(1, 0);
        try {
            Output o = Attention.multiHeadAttentionForward(q, k, v, numHeads, weights(), options.addZeroAttn(),
                    options.dropout(), isTraining(), forwardOptions);
            Tensor seqFirst = o.output();
            Tensor out = seqFirst.transpose(1, 0);
            seqFirst.close();
            return new Output(out, o.attnWeights());
        } finally {
            q.close();
            if (k != q) k.close();
            if (v != k && v != q) v.close();
        }
    }

    public long embedDim() { return embedDim; }
    public long numHeads() { return numHeads; }
    public Options options() { return options; }

    /** The output projection (child {@code out_proj}). */
    public Linear outProj() { return outProj; }
}
