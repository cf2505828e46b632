package dev.wick.nn;

import dev.wick.nn.init.Init;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as
 * {@code nn.Embedding}: integer indices of any shape in, indices.shape + (embeddingDim) out.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10000, 128, 0);   // row 0 is padding: zero and never trained
 * Tensor v = emb.forward(tokens);                 // (B, T) int64 -> (B, T, 128)
 * }</pre>
 *
 * Initialisation (PyTorch's): weight ~ N(0, 1), then the padding row set to zero.
 */
public class Embedding extends UnaryModule {
    private final long numEmbeddings;
    private final long embeddingDim;
    /** Normalised to [0, numEmbeddings), or -1 for none. */
    private final long paddingIdx;

    public Embedding(long numEmbeddings, long embeddingDim) {
        this(numEmbeddings, embeddingDim, null, null);
    }

    /** {@code paddingIdx} may be negative (counted from the end, as in PyTorch). */
    public Embedding(long numEmbeddings, long embeddingDim, long paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
    }

    private Embedding(long numEmbeddings, long embeddingDim, Long paddingIdx, Tensor weight) {
        Layers.checkPositive("num_embeddings", numEmbeddings);
        Layers.checkPositive("embedding_dim", embeddingDim);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings))
            throw new IllegalArgumentException("Invalid padding_idx: " + paddingIdx + " (must be within [-" + numEmbeddings + ", " + (numEmbeddings - 1) + "])");
        this.paddingIdx = paddingIdx == null ? -1 : paddingIdx < 0 ? numEmbeddings + paddingIdx : paddingIdx;
        if (weight == null) {
            registerParameter("weight", Tensor.empty(numEmbeddings, embeddingDim));
            resetParameters();
        } else {
            registerParameter("weight", weight);
        }
    }

    /**
     * An embedding over the rows of {@code weights} (num, dim), sharing their memory;
     * {@code freeze} stops them being trained ({@code nn.Embedding.from_pretrained}).
     */
    public static Embedding fromPretrained(Tensor weights, boolean freeze, Long paddingIdx) {
        if (weights.dim() != 2) throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional, got shape " + java.util.Arrays.toString(weights.shape()));
        Embedding e = new Embedding(weights.size(0), weights.size(1), paddingIdx, weights.detach());
        e.weight().requiresGrad(!freeze);
        return e;
    }

    /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
    public void resetParameters() {
        Init.normal(weight(), 0, 1);
        if (paddingIdx >= 0) {
            try (var g = Autograd.noGrad(); Tensor row = weight().get(paddingIdx)) {
                row.fill_(0);
            }
        }
    }

    public Tensor weight() { return parameter("weight"); }
    public long numEmbeddings() { return numEmbeddings; }
    public long embeddingDim() { return embeddingDim; }
    /** The padding row, or null for none. */
    public Long paddingIdx() { return paddingIdx < 0 ? null : paddingIdx; }

    @Override
    public Tensor forward(Tensor indices) { return F.embedding(indices, weight(), paddingIdx()); }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
