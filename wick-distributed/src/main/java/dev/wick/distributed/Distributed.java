package dev.wick.distributed;

import java.util.Map;

/**
 * The process-wide default {@link ProcessGroup}, as {@code torch.distributed}'s module-level functions,
 * and the rank questions a trainer asks whether or not it runs distributed.
 *
 * <pre>{@code
 * Distributed.init();                                   // from RANK, WORLD_SIZE, MASTER_ADDR, ...
 * var model = new DistributedDataParallel<>(new Mlp()); // uses the default group
 * ...
 * if (Distributed.isMain()) checkpoint.save(...);        // only rank 0 writes
 * Map<String, Double> val = Distributed.reduceMetrics(localVal);   // the same numbers on every rank
 * Distributed.destroy();
 * }</pre>
 *
 * <p>Without {@link #init} (a plain single-process run) the answers are those of a world of one:
 * {@link #rank()} is 0 (or {@code RANK} from the environment when a launcher started this process and
 * the group is not set up yet), {@link #worldSize()} is 1, {@link #isMain()} is true,
 * {@link #barrier()} returns at once and {@link #reduceMetrics} returns its argument. So trainer code
 * calls these unconditionally.
 */
public final class Distributed {
    private static volatile ProcessGroup group;

    private Distributed() {}

    /** Sets up the default group from the environment ({@link Rendezvous#fromEnv()}). */
    public static ProcessGroup init() {
        return init(Rendezvous.fromEnv());
    }

    /** Sets up the default group; an error when one is already set up. */
    public static synchronized ProcessGroup init(Rendezvous rendezvous) {
        if (group != null && !group.isClosed())
            throw new IllegalStateException("The default process group is already initialized (" + group + "); call Distributed.destroy() first");
        group = ProcessGroup.init(rendezvous);
        return group;
    }

    /** Whether {@link #init} set up a default group that is still open. */
    public static boolean isInitialized() {
        ProcessGroup g = group;
        return g != null && !g.isClosed();
    }

    /** The default group; an error when there is none. */
    public static ProcessGroup group() {
        ProcessGroup g = group;
        if (g == null || g.isClosed())
            throw new IllegalStateException("No default process group: call Distributed.init() first (or pass a ProcessGroup explicitly)");
        return g;
    }

    /** This process's rank: the default group's, else {@code RANK} from the environment, else 0. */
    public static int rank() {
        if (isInitialized()) return group.rank();
        return envInt("RANK", 0);
    }

    /** The number of processes: the default group's, else {@code WORLD_SIZE} from the environment, else 1. */
    public static int worldSize() {
        if (isInitialized()) return group.worldSize();
        return envInt("WORLD_SIZE", 1);
    }

    /** This process's index on its machine: the default group's, else {@code LOCAL_RANK}, else 0. */
    public static int localRank() {
        if (isInitialized()) return group.localRank();
        return envInt("LOCAL_RANK", 0);
    }

    /** Whether this process is rank 0: the one that writes logs, plots and checkpoints. */
    public static boolean isMain() {
        return rank() == 0;
    }

    /** Waits for every rank; returns at once without a default group. */
    public static void barrier() {
        if (isInitialized()) group.barrier();
    }

    /** The mean of each metric over the ranks (see {@link ProcessGroup#reduceMetrics(Map)}); the argument itself without a default group. */
    public static Map<String, Double> reduceMetrics(Map<String, Double> metrics) {
        return isInitialized() ? group.reduceMetrics(metrics) : metrics;
    }

    /** The weighted mean of each metric over the ranks (see {@link ProcessGroup#reduceMetrics(Map, double)}). */
    public static Map<String, Double> reduceMetrics(Map<String, Double> metrics, double weight) {
        return isInitialized() ? group.reduceMetrics(metrics, weight) : metrics;
    }

    /**
     * A clear error for a failed training step when it is a communication failure (see
     * {@link ProcessGroup#explain}); {@code e} itself otherwise or without a default group.
     */
    public static RuntimeException explain(RuntimeException e) {
        return isInitialized() ? group.explain(e) : e;
    }

    /** Closes the default group (PyTorch's {@code destroy_process_group}); nothing happens without one. */
    public static synchronized void destroy() {
        ProcessGroup g = group;
        group = null;
        if (g != null) g.close();
    }

    private static int envInt(String name, int dflt) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + ": '" + v + "' (must be an integer)");
        }
    }
}
