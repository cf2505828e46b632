package dev.wick.data;

/**
 * A failure while loading data: a sample that could not be read or collated ({@link WorkerException}),
 * or a worker that did not answer in time ({@link DataLoaderTimeoutException}).
 */
public class DataLoaderException extends RuntimeException {
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
