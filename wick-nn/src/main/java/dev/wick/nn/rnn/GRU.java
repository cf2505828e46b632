package dev.wick.nn.rnn;

import dev.wick.tensor.Tensor;

/**
 * A multi-layer gated recurrent unit network ({@code nn.GRU}) on libtorch's fused kernel; the
 * functional form is {@link Recurrent#gru}.
 *
 * <pre>{@code
 * var gru = new GRU(10, 20, RnnOptions.defaults().withBidirectional(true));
 * GRU.Output out = gru.forward(x);     // x: (T, B, 10)
 * out.output();                        // (T, B, 40): both directions, concatenated
 * out.hN();                            // (2, B, 20)
 * }</pre>
 *
 * <p>Per layer and time step:
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)          z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))  h' = (1 - z) ⊙ n + z ⊙ h
 * </pre>
 * The gates are stacked in the order r, z, n. Parameters and initialisation: see {@link RecurrentLayer}.
 */
public final class GRU extends RecurrentLayer {

    /** The last layer's output at every step, and the final hidden state of every layer. */
    public record Output(Tensor output, Tensor hN) {}

    public GRU(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, RnnOptions.defaults()); }

    public GRU(long inputSize, long hiddenSize, RnnOptions options) {
        super("GRU", 3, inputSize, hiddenSize, options);
    }

    /** Runs from a zero state. Input {@code (seq, batch, in)}, {@code (batch, seq, in)} when batch-first, or {@code (seq, in)}. */
    public Output forward(Tensor input) { return forward(input, null); }

    /** Runs from {@code h0} {@code (layers * directions, batch, hidden)} (null: zeros). */
    public Output forward(Tensor input, Tensor h0) {
        return Recurrent.gru(input, h0, flatWeights(), options(), isTraining());
    }
}
