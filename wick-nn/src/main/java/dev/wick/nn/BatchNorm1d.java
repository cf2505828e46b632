package dev.wick.nn;

/**
 * Batch normalisation of (N, C) or (N, C, L) input, as {@code nn.BatchNorm1d}.
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(64);
 * bn.eval();                          // now normalises with the running statistics
 * }</pre>
 *
 * @see BatchNorm for the maths and the state
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(long numFeatures) { this(numFeatures, BatchNormOptions.defaults()); }

    public BatchNorm1d(long numFeatures, BatchNormOptions options) { super(numFeatures, options); }

    @Override
    protected int[] acceptedDims() { return new int[]{2, 3}; }
}
