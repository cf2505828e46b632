package dev.wick.nn;

/**
 * Batch normalisation of (N, C, H, W) input, as {@code nn.BatchNorm2d}.
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(64);
 * bn.eval();                          // now normalises with the running statistics
 * }</pre>
 *
 * @see BatchNorm for the maths and the state
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(long numFeatures) { this(numFeatures, BatchNormOptions.defaults()); }

    public BatchNorm2d(long numFeatures, BatchNormOptions options) { super(numFeatures, options); }

    @Override
    protected int[] acceptedDims() { return new int[]{4}; }
}
