package dev.wick.data;

import java.util.List;

/**
 * An exception thrown while a loader worker read or collated a batch, re-thrown on the thread that
 * iterates the loader, with the worker, the batch's sample indices and the original exception as the
 * cause.
 *
 * <pre>{@code
 * try { for (var b : loader) { ... } }
 * catch (WorkerException e) { log(e.workerId(), e.indices(), e.getCause()); }
 * }</pre>
 */
public class WorkerException extends DataLoaderException {
    private final int workerId;
    private final List<Integer> indices;
    private final Integer failedIndex;

    WorkerException(int workerId, List<Integer> indices, Integer failedIndex, String what, Throwable cause) {
        super(message(workerId, indices, failedIndex, what, cause), cause);
        this.workerId = workerId;
        this.indices = indices == null ? List.of() : List.copyOf(indices);
        this.failedIndex = failedIndex;
    }

    private static String message(int workerId, List<Integer> indices, Integer failedIndex, String what, Throwable cause) {
        String where = workerId < 0 ? "the calling thread (numWorkers=0)" : "DataLoader worker " + workerId;
        StringBuilder sb = new StringBuilder("Caught ").append(cause.getClass().getSimpleName()).append(" in ").append(where)
                .append(" while ").append(what);
        if (failedIndex != null) sb.append(" sample ").append(failedIndex).append(" of");
        if (indices != null) sb.append(" the batch with sample indices ").append(abbreviate(indices));
        sb.append(": ").append(cause.getMessage());
        return sb.toString();
    }

    private static String abbreviate(List<Integer> indices) {
        if (indices.size() <= 16) return indices.toString();
        return indices.subList(0, 16).toString().replace("]", ", ... (" + indices.size() + " in all)]");
    }

    /** The worker that failed, or -1 for the calling thread (0 workers). */
    public int workerId() { return workerId; }

    /** The sample indices of the batch being loaded (empty for an iterable data set). */
    public List<Integer> indices() { return indices; }

    /** The index whose {@code get} threw, or null when collate (or an iterable data set) threw. */
    public Integer failedIndex() { return failedIndex; }
}
