package dev.wick.distributed;

/**
 * A distributed operation failed: rendezvous (a rank missing, a wrong world size, an unreachable
 * master), or a collective (a peer died, a timeout). The message is one paragraph that names the
 * rank, the operation and the likely cause; the native error is the {@link #getCause() cause}.
 *
 * <pre>{@code
 * try { group.allReduce(t, ReduceOp.SUM); }
 * catch (DistributedException e) { System.err.println(e.getMessage()); System.exit(1); }
 * // rank 0 of 2: all_reduce failed: a peer closed its connection (Connection closed by peer
 * //   [127.0.0.1]:41517): another rank has probably died; look for its error
 * }</pre>
 */
public class DistributedException extends RuntimeException {
    public DistributedException(String message) {
        super(message);
    }

    public DistributedException(String message, Throwable cause) {
        super(message, cause);
    }
}
