package dev.wick.nn.attention;

import java.util.Locale;
import java.util.Objects;

import dev.wick.nn.Dropout;
import dev.wick.nn.LayerNorm;
import dev.wick.nn.Linear;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * One transformer encoder layer: self-attention and a feed-forward network, each with a residual
 * connection and layer norm ({@code nn.TransformerEncoderLayer}); the maths is
 * {@link Attention#transformerEncoderLayer}.
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(512, 8, TransformerEncoderLayer.Options.defaults()
 *         .withBatchFirst(true).withNormFirst(true).withActivation(TransformerEncoderLayer.Activation.GELU));
 * Tensor y = layer.forward(x);                      // (B, T, 512) -> (B, T, 512)
 * Tensor causal = layer.forward(x, mask, padding);  // mask (T, T) bool, padding (B, T) bool
 * }</pre>
 *
 * <p>Children (PyTorch's names, so state-dict keys are {@code self_attn.in_proj_weight},
 * {@code linear1.weight}, {@code norm1.weight}, ...): {@code self_attn} ({@link MultiheadAttention}),
 * {@code linear1} (d_model to dim_feedforward), {@code dropout}, {@code linear2}, {@code norm1},
 * {@code norm2}, {@code dropout1}, {@code dropout2}; built in that order, so a seeded build is
 * PyTorch's bit for bit.
 */
public final class TransformerEncoderLayer extends UnaryModule {

    /** The feed-forward activation. */
    public enum Activation {
        RELU, GELU;

        /** {@code "relu"} or {@code "gelu"}, as PyTorch's {@code activation=} string. */
        public static Activation parse(String name) {
            for (Activation a : values()) if (a.name().equalsIgnoreCase(name)) return a;
            throw new IllegalArgumentException("Invalid activation: '" + name + "' (expected relu or gelu)");
        }

        public String torchName() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * @param dimFeedforward the hidden size of the feed-forward network
     * @param dropout        in [0, 1]: dropout on the attention weights, the feed-forward hidden layer and both residual branches
     * @param activation     the feed-forward activation
     * @param layerNormEps   the layer norms' epsilon ({@code >= 0})
     * @param batchFirst     input and output are {@code (batch, seq, feature)} instead of {@code (seq, batch, feature)}
     * @param normFirst      pre-norm (layer norm before each block) instead of post-norm
     */
    public record Options(long dimFeedforward, double dropout, Activation activation, double layerNormEps, boolean batchFirst, boolean normFirst) {
        public Options {
            if (dimFeedforward < 1) throw new IllegalArgumentException("Invalid dim_feedforward: " + dimFeedforward + " (must be >= 1)");
            if (!(dropout >= 0.0 && dropout <= 1.0)) throw new IllegalArgumentException("Invalid dropout: " + dropout + " (must be in [0, 1])");
            if (activation == null) throw new IllegalArgumentException("Invalid activation: null (expected RELU or GELU)");
            if (!(layerNormEps >= 0.0)) throw new IllegalArgumentException("Invalid layer_norm_eps: " + layerNormEps + " (must be >= 0)");
        }

        /** dim_feedforward 2048, dropout 0.1, ReLU, eps 1e-5, sequence first, post-norm (PyTorch's defaults). */
        public static Options defaults() { return new Options(2048, 0.1, Activation.RELU, 1e-5, false, false); }

        public Options withDimFeedforward(long dimFeedforward) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
        public Options withDropout(double dropout) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
        public Options withActivation(Activation activation) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
        public Options withLayerNormEps(double layerNormEps) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
        public Options withBatchFirst(boolean batchFirst) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
        public Options withNormFirst(boolean normFirst) { return new Options(dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst); }
    }

    /** The tensors of one layer, for {@link Attention#transformerEncoderLayer}; biases and norm affines may be null. */
    public record Weights(MultiheadAttention.Weights selfAttn, Tensor linear1Weight, Tensor linear1Bias, Tensor linear2Weight, Tensor linear2Bias,
                          Tensor norm1Weight, Tensor norm1Bias, Tensor norm2Weight, Tensor norm2Bias) {}

    private final long dModel;
    private final long nhead;
    private final Options options;
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;

    public TransformerEncoderLayer(long dModel, long nhead) { this(dModel, nhead, Options.defaults()); }

    public TransformerEncoderLayer(long dModel, long nhead, Options options) {
        this.options = Objects.requireNonNull(options, "TransformerEncoderLayer: options is null");
        this.dModel = dModel;
        this.nhead = nhead;
        // PyTorch's order: it fixes both the state-dict order and the draws from the seeded generator
        this.selfAttn = register("self_attn", new MultiheadAttention(dModel, nhead,
                MultiheadAttention.Options.defaults().withDropout(options.dropout()).withBatchFirst(options.batchFirst())));
        this.linear1 = register("linear1", new Linear(dModel, options.dimFeedforward()));
        register("dropout", new Dropout(options.dropout()));
        this.linear2 = register("linear2", new Linear(options.dimFeedforward(), dModel));
        this.norm1 = register("norm1", new LayerNorm(new long[]{dModel}, options.layerNormEps(), true, true));
        this.norm2 = register("norm2", new LayerNorm(new long[]{dModel}, options.layerNormEps(), true, true));
        register("dropout1", new Dropout(options.dropout()));
        register("dropout2", new Dropout(options.dropout()));
    }

    /** The current tensors of every child. */
    public Weights weights() {
        return new Weights(selfAttn.weights(), linear1.weight(), linear1.bias(), linear2.weight(), linear2.bias(),
                norm1.weight(), norm1.bias(), norm2.weight(), norm2.bias());
    }

    /** Encodes {@code src} with no masks. */
    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /**
     * Encodes {@code src}: {@code srcMask} {@code (L, L)} (true, or {@code -inf}, where a position may
     * not attend), {@code srcKeyPaddingMask} {@code (N, L)} (true at padding); either may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return Attention.transformerEncoderLayer(src, weights(), nhead, options, srcMask, srcKeyPaddingMask, isTraining());
    }

    public long dModel() { return dModel; }
    public long nhead() { return nhead; }
    public Options options() { return options; }
    public MultiheadAttention selfAttn() { return selfAttn; }
}
