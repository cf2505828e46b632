package dev.wick.distributed;

import org.bytedeco.pytorch.ReduceOp.RedOpType;

/**
 * How a collective combines the values of every rank, as PyTorch's {@code torch.distributed.ReduceOp}.
 *
 * <pre>{@code
 * group.allReduce(gradSum, ReduceOp.SUM);
 * double meanLoss = group.allReduce(loss, ReduceOp.AVG);
 * }</pre>
 *
 * <p>{@link #AVG} is the sum divided by the world size; on integer tensors it is refused (the result
 * would be truncated), reduce a floating-point value instead.
 */
public enum ReduceOp {
    SUM(RedOpType.SUM),
    AVG(RedOpType.AVG),
    PRODUCT(RedOpType.PRODUCT),
    MIN(RedOpType.MIN),
    MAX(RedOpType.MAX);

    final RedOpType nativeType;

    ReduceOp(RedOpType nativeType) { this.nativeType = nativeType; }
}
