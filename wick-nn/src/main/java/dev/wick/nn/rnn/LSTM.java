package dev.wick.nn.rnn;

import dev.wick.tensor.Tensor;

/**
 * A multi-layer long short-term memory network ({@code nn.LSTM}) on libtorch's fused kernel; the
 * functional form is {@link Recurrent#lstm}.
 *
 * <pre>{@code
 * var lstm = new LSTM(10, 20, RnnOptions.defaults().withNumLayers(2).withBatchFirst(true));
 * LSTM.Output out = lstm.forward(x);        // x: (B, T, 10)
 * out.output();                             // (B, T, 20): the last layer's h_t for every t
 * out.state().h();                          // (2, B, 20): h_T of every layer
 * out = lstm.forward(next, out.state().detach());   // carry the state on (truncated BPTT)
 * }</pre>
 *
 * <p>Per layer and time step, with {@code σ} the sigmoid and {@code ⊙} the element-wise product:
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * The gates are stacked in {@code weight_ih} / {@code weight_hh} in the order i, f, g, o. Parameters and
 * initialisation: see {@link RecurrentLayer}.
 */
public final class LSTM extends RecurrentLayer {

    /** The hidden and cell states, each {@code (layers * directions, batch, hidden)} (no batch dim when unbatched). */
    public record State(Tensor h, Tensor c) {
        /** The same state cut from the graph (for truncated back-propagation through time). */
        public State detach() { return new State(h.detach(), c.detach()); }
    }

    /** The last layer's output at every step, and the final state of every layer. */
    public record Output(Tensor output, State state) {
        /** {@code h_n}. */
        public Tensor hN() { return state.h(); }
        /** {@code c_n}. */
        public Tensor cN() { return state.c(); }
    }

    public LSTM(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, RnnOptions.defaults()); }

    public LSTM(long inputSize, long hiddenSize, RnnOptions options) {
        super("LSTM", 4, inputSize, hiddenSize, options);
    }

    /** Runs from a zero state. Input {@code (seq, batch, in)}, {@code (batch, seq, in)} when batch-first, or {@code (seq, in)}. */
    public Output forward(Tensor input) { return forward(input, null); }

    /** Runs from {@code state} (null: zeros). */
    public Output forward(Tensor input, State state) {
        return Recurrent.lstm(input, state, flatWeights(), options(), isTraining());
    }
}
