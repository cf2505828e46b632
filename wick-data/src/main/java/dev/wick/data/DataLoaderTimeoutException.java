package dev.wick.data;

/**
 * A worker did not deliver a batch within the loader's {@code timeout}: names the worker, the batch and
 * the seconds.
 */
public class DataLoaderTimeoutException extends DataLoaderException {
    private final int workerId;
    private final double seconds;

    DataLoaderTimeoutException(int workerId, long batch, double seconds) {
        super("DataLoader timed out after " + seconds + " seconds waiting for worker " + workerId + " to deliver batch " + batch, null);
        this.workerId = workerId;
        this.seconds = seconds;
    }

    public int workerId() { return workerId; }
    public double seconds() { return seconds; }
}
