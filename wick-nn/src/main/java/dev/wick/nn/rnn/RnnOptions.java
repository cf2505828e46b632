package dev.wick.nn.rnn;

/**
 * The optional settings of {@link LSTM} and {@link GRU}, with PyTorch's names and defaults.
 *
 * <pre>{@code
 * var lstm = new LSTM(300, 256, RnnOptions.defaults().withNumLayers(2).withBidirectional(true).withBatchFirst(true));
 * }</pre>
 *
 * @param numLayers     stacked layers, each feeding the next ({@code >= 1})
 * @param bias          whether each layer has the biases {@code b_ih} and {@code b_hh}
 * @param batchFirst    inputs and outputs are {@code (batch, seq, feature)} instead of
 *                      {@code (seq, batch, feature)}; the states stay {@code (layers * directions, batch, hidden)}
 * @param dropout       in [0, 1]: dropout on the outputs of every layer but the last, in training mode
 * @param bidirectional whether each layer also runs over the reversed sequence (outputs concatenated)
 */
public record RnnOptions(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
    public RnnOptions {
        if (numLayers < 1) throw new IllegalArgumentException("Invalid num_layers: " + numLayers + " (must be >= 1)");
        if (!(dropout >= 0.0 && dropout <= 1.0))
            throw new IllegalArgumentException("Invalid dropout: " + dropout + " (must be in [0, 1])");
    }

    /** One layer, with biases, sequence first, no dropout, one direction (PyTorch's defaults). */
    public static RnnOptions defaults() { return new RnnOptions(1, true, false, 0.0, false); }

    public RnnOptions withNumLayers(int numLayers) { return new RnnOptions(numLayers, bias, batchFirst, dropout, bidirectional); }
    public RnnOptions withBias(boolean bias) { return new RnnOptions(numLayers, bias, batchFirst, dropout, bidirectional); }
    public RnnOptions withBatchFirst(boolean batchFirst) { return new RnnOptions(numLayers, bias, batchFirst, dropout, bidirectional); }
    public RnnOptions withDropout(double dropout) { return new RnnOptions(numLayers, bias, batchFirst, dropout, bidirectional); }
    public RnnOptions withBidirectional(boolean bidirectional) { return new RnnOptions(numLayers, bias, batchFirst, dropout, bidirectional); }

    /** 2 when bidirectional, else 1. */
    public int numDirections() { return bidirectional ? 2 : 1; }
}
