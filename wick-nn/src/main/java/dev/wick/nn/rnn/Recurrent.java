package dev.wick.nn.rnn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;

/**
 * The functional forms of {@link LSTM} and {@link GRU}: libtorch's fused {@code lstm} / {@code gru}
 * over a flat weight list, with the input and state checks and the unbatched case handled as
 * {@code nn.LSTM} / {@code nn.GRU} do.
 *
 * <pre>{@code
 * LSTM.Output out = Recurrent.lstm(x, null, lstm.flatWeights(), lstm.options(), true);
 * }</pre>
 *
 * <p>{@code flatWeights}: per layer, per direction, {@code w_ih, w_hh[, b_ih, b_hh]} (see
 * {@link RecurrentLayer}); the input and hidden sizes are read from the first layer's weights.
 */
public final class Recurrent {
    private Recurrent() {}

    /**
     * An LSTM over {@code input} ({@code (seq, batch, in)}, {@code (batch, seq, in)} when batch-first,
     * or {@code (seq, in)} unbatched) from {@code state} (null: zeros). {@code training} turns on the
     * dropout between layers.
     */
    public static LSTM.Output lstm(Tensor input, LSTM.State state, List<Tensor> flatWeights, RnnOptions options, boolean training) {
        Layout l = Layout.of("LSTM", 4, input, flatWeights, options);
        Tensor h0 = state == null ? null : state.h();
        Tensor c0 = state == null ? null : state.c();
        if (state != null && (h0 == null || c0 == null)) throw new IllegalArgumentException("LSTM: state must hold both h and c");
        Tensor x = l.batched ? input : input.unsqueeze(l.batchDim);
        Tensor h = l.initialState("h0", h0);
        Tensor c = l.initialState("c0", c0);
        Tensor out, hn, cn;
        try (TensorVector hx = new TensorVector(h.unwrap(), c.unwrap()); TensorVector w = l.weights();
             T_TensorTensorTensor_T r = torch.lstm(x.unwrap(), hx, w, options.bias(), options.numLayers(),
                     options.dropout(), training, options.bidirectional(), options.batchFirst())) {
            out = Tensor.wrap(new org.bytedeco.pytorch.Tensor(r.get0()));
            hn = Tensor.wrap(new org.bytedeco.pytorch.Tensor(r.get1()));
            cn = Tensor.wrap(new org.bytedeco.pytorch.Tensor(r.get2()));
        } catch (RuntimeException e) {
            throw TorchException.from(e, "LSTM");
        } finally {
            l.release(x, input, h, h0);
            l.release(c, c0);
        }
        if (l.batched) return new LSTM.Output(out, new LSTM.State(hn, cn));
        return new LSTM.Output(squeezeClose(out, l.batchDim), new LSTM.State(squeezeClose(hn, 1), squeezeClose(cn, 1)));
    }

    /**
     * A GRU over {@code input} (shapes as {@link #lstm}) from {@code h0} (null: zeros).
     * {@code training} turns on the dropout between layers.
     */
    public static GRU.Output gru(Tensor input, Tensor h0, List<Tensor> flatWeights, RnnOptions options, boolean training) {
        Layout l = Layout.of("GRU", 3, input, flatWeights, options);
        Tensor x = l.batched ? input : input.unsqueeze(l.batchDim);
        Tensor h = l.initialState("h0", h0);
        Tensor out, hn;
        try (TensorVector w = l.weights();
             T_TensorTensor_T r = torch.gru(x.unwrap(), h.unwrap(), w, options.bias(), options.numLayers(),
                     options.dropout(), training, options.bidirectional(), options.batchFirst())) {
            out = Tensor.wrap(new org.bytedeco.pytorch.Tensor(r.get0()));
            hn = Tensor.wrap(new org.bytedeco.pytorch.Tensor(r.get1()));
        } catch (RuntimeException e) {
            throw TorchException.from(e, "GRU");
        } finally {
            l.release(x, input, h, h0);
        }
        if (l.batched) return new GRU.Output(out, hn);
        return new GRU.Output(squeezeClose(out, l.batchDim), squeezeClose(hn, 1));
    }

    private static Tensor squeezeClose(Tensor t, int dim) {
        try (t) { return t.squeeze(dim); }
    }

    /** The checked geometry of one call. */
    private static final class Layout {
        final String mode;
        final List<Tensor> flatWeights;
        final RnnOptions options;
        final boolean batched;
        final int batchDim;
        final long[] stateShape;
        final Tensor input;

        private Layout(String mode, List<Tensor> flatWeights, RnnOptions options, Tensor input, boolean batched, long[] stateShape) {
            this.mode = mode;
            this.flatWeights = flatWeights;
            this.options = options;
            this.input = input;
            this.batched = batched;
            this.batchDim = options.batchFirst() ? 0 : 1;
            this.stateShape = stateShape;
        }

        static Layout of(String mode, int gates, Tensor input, List<Tensor> flatWeights, RnnOptions options) {
            Objects.requireNonNull(options, mode + ": options is null");
            Objects.requireNonNull(flatWeights, mode + ": weights are null");
            if (input == null) throw new IllegalArgumentException(mode + ": input is null");
            int perDirection = options.bias() ? 4 : 2;
            int d = options.numDirections();
            int expected = options.numLayers() * d * perDirection;
            if (flatWeights.size() != expected)
                throw new IllegalArgumentException(mode + ": expected " + expected + " weights (" + options.numLayers() + " layers x "
                        + d + " directions x " + perDirection + "), got " + flatWeights.size());
            for (int i = 0; i < flatWeights.size(); i++)
                if (flatWeights.get(i) == null) throw new IllegalArgumentException(mode + ": weight " + i + " is null");
            Tensor wih = flatWeights.get(0), whh = flatWeights.get(1);
            long hidden = whh.size(1);
            long inputSize = wih.size(1);
            if (wih.size(0) != gates * hidden)
                throw new IllegalArgumentException(mode + ": weight_ih_l0 must have " + gates + " * hidden_size = " + gates * hidden
                        + " rows; got " + Arrays.toString(wih.shape()));
            String seqBatch = options.batchFirst() ? "[batch, seq, " : "[seq, batch, ";
            boolean ok = input.isFloatingPoint() && input.dtype() == wih.dtype()
                    && (input.dim() == 2 || input.dim() == 3) && input.size(input.dim() - 1) == inputSize;
            if (!ok)
                throw new IllegalArgumentException(mode + ": input must be " + wih.dtype().torchName() + " of shape " + seqBatch + inputSize
                        + "] (or [seq, " + inputSize + "] unbatched); got " + describe(input));
            boolean batched = input.dim() == 3;
            long layersDirs = (long) options.numLayers() * d;
            long[] stateShape = batched ? new long[]{layersDirs, input.size(options.batchFirst() ? 0 : 1), hidden}
                                        : new long[]{layersDirs, hidden};
            return new Layout(mode, flatWeights, options, input, batched, stateShape);
        }

        /** The given state, checked and given a batch dim when unbatched, or zeros. */
        Tensor initialState(String name, Tensor given) {
            if (given == null) {
                long[] s = batched ? stateShape : new long[]{stateShape[0], 1, stateShape[1]};
                return Tensor.zeros(input.dtype(), s);
            }
            if (!Arrays.equals(given.shape(), stateShape) || given.dtype() != input.dtype())
                throw new IllegalArgumentException(mode + ": " + name + " must be " + input.dtype().torchName() + " of shape "
                        + Arrays.toString(stateShape) + " (layers * directions, " + (batched ? "batch, " : "") + "hidden); got " + describe(given));
            return batched ? given : given.unsqueeze(1);
        }

        TensorVector weights() {
            org.bytedeco.pytorch.Tensor[] arr = new org.bytedeco.pytorch.Tensor[flatWeights.size()];
            for (int i = 0; i < arr.length; i++) arr[i] = flatWeights.get(i).unwrap();
            return new TensorVector(arr);
        }

        /** Frees the temporaries this call made (never the caller's tensors). */
        void release(Tensor made, Tensor callers) { if (made != null && made != callers) made.close(); }

        void release(Tensor made1, Tensor callers1, Tensor made2, Tensor callers2) {
            release(made1, callers1);
            release(made2, callers2);
        }
    }

    private static String describe(Tensor t) {
        return t.dtype().torchName() + " " + Arrays.toString(t.shape());
    }
}
