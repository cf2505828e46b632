package dev.wick.nn.rnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import dev.wick.nn.Module;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Tensor;

/**
 * What {@link LSTM} and {@link GRU} share: the stacked, optionally bidirectional weight layout and
 * its initialisation (PyTorch's {@code RNNBase}).
 *
 * <pre>{@code
 * RecurrentLayer rnn = useGru ? new GRU(32, 64) : new LSTM(32, 64);
 * rnn.flatWeights();   // [weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0], as libtorch's kernels take them
 * }</pre>
 *
 * <p>Parameters, per layer {@code k} and direction (suffix {@code _reverse} for the backward one), in
 * this order: {@code weight_ih_lk} {@code (G*hidden, in)}, {@code weight_hh_lk} {@code (G*hidden, hidden)},
 * {@code bias_ih_lk} and {@code bias_hh_lk} {@code (G*hidden)}, where {@code G} is the number of gates
 * (4 for LSTM, 3 for GRU) and {@code in} is the input size for layer 0 and
 * {@code hidden * directions} above. All are drawn from {@code U(-1/sqrt(hidden), 1/sqrt(hidden))} in
 * that order with libtorch's default generator, so after the same {@code Engine.manualSeed} the
 * values are PyTorch's bit for bit.
 */
public abstract sealed class RecurrentLayer extends Module permits LSTM, GRU {
    private final long inputSize;
    private final long hiddenSize;
    private final RnnOptions options;
    private final List<String> flatWeightNames;

    RecurrentLayer(String mode, int gates, long inputSize, long hiddenSize, RnnOptions options) {
        if (inputSize < 1) throw new IllegalArgumentException("Invalid input_size for " + mode + ": " + inputSize + " (must be >= 1)");
        if (hiddenSize < 1) throw new IllegalArgumentException("Invalid hidden_size for " + mode + ": " + hiddenSize + " (must be >= 1)");
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = Objects.requireNonNull(options, mode + ": options is null");
        List<String> names = new ArrayList<>();
        int d = options.numDirections();
        for (int layer = 0; layer < options.numLayers(); layer++) {
            long layerInput = layer == 0 ? inputSize : hiddenSize * d;
            for (int dir = 0; dir < d; dir++) {
                String sfx = "_l" + layer + (dir == 1 ? "_reverse" : "");
                names.add(register("weight_ih" + sfx, gates * hiddenSize, layerInput));
                names.add(register("weight_hh" + sfx, gates * hiddenSize, hiddenSize));
                if (options.bias()) {
                    names.add(register("bias_ih" + sfx, gates * hiddenSize));
                    names.add(register("bias_hh" + sfx, gates * hiddenSize));
                }
            }
        }
        this.flatWeightNames = Collections.unmodifiableList(names);
        resetParameters();
    }

    private String register(String name, long... shape) {
        registerParameter(name, Tensor.empty(shape));
        return name;
    }

    /** Re-draws every weight from {@code U(-1/sqrt(hidden), 1/sqrt(hidden))}, in registration order. */
    public void resetParameters() {
        double stdv = 1.0 / Math.sqrt((double) hiddenSize);
        try (var g = Autograd.noGrad()) {
            for (Tensor w : parameters()) w.uniform_(-stdv, stdv);
        }
    }

    /**
     * The weights in libtorch's flat order (the order above), read through the registry so
     * {@link #setParameter} is followed.
     */
    public List<Tensor> flatWeights() {
        List<Tensor> out = new ArrayList<>(flatWeightNames.size());
        for (String n : flatWeightNames) out.add(parameter(n));
        return out;
    }

    public long inputSize() { return inputSize; }
    public long hiddenSize() { return hiddenSize; }
    public RnnOptions options() { return options; }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (options.numLayers() != 1) sb.append(", num_layers=").append(options.numLayers());
        if (!options.bias()) sb.append(", bias=False");
        if (options.batchFirst()) sb.append(", batch_first=True");
        if (options.dropout() != 0) sb.append(", dropout=").append(options.dropout());
        if (options.bidirectional()) sb.append(", bidirectional=True");
        return sb.toString();
    }
}
