package dev.wick.distributed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the processes of one job find each other: this process's rank, the world size and the
 * store they meet in. {@link #fromEnv()} reads what {@link Launcher} (and PyTorch's {@code torchrun})
 * sets; {@link #tcp} and {@link #file} build it in code.
 *
 * <pre>{@code
 * ProcessGroup group = ProcessGroup.init(Rendezvous.fromEnv());                 // RANK, WORLD_SIZE, ...
 * ProcessGroup group = ProcessGroup.init(Rendezvous.tcp(rank, 2, "10.0.0.1", 29500)
 *         .withTimeout(Duration.ofMinutes(5)));
 * ProcessGroup group = ProcessGroup.init(Rendezvous.file(rank, 2, Path.of("/shared/run42.store")));
 * }</pre>
 *
 * <p>Settings, with PyTorch's defaults:
 * <ul>
 *   <li>{@code rank} in {@code [0, worldSize)}, {@code worldSize >= 1}; {@code localRank} (the index of
 *       this process on its machine, {@code LOCAL_RANK}) defaults to 0 in code and is informational.</li>
 *   <li>TCP store (default): rank 0 serves a c10d {@code TCPStore} on {@code masterPort} and every rank
 *       connects to {@code masterAddr:masterPort}. File store: every rank opens the same c10d
 *       {@code FileStore} file, which must be new for each job (on one machine, or a shared file system).</li>
 *   <li>{@code timeout}: the limit of every collective, 30 minutes by default (PyTorch's
 *       {@code default_pg_timeout}); a collective that waits longer fails with a
 *       {@link DistributedException} instead of hanging.</li>
 *   <li>{@code rendezvousTimeout}: how long {@link ProcessGroup#init} waits for the master and for every
 *       rank to join; defaults to {@code timeout}.</li>
 *   <li>The network address Gloo binds: {@code glooInterface} (a network interface name, PyTorch's
 *       {@code GLOO_SOCKET_IFNAME}) or {@code glooHost} (an address or host name of this machine); when
 *       neither is set, the local address this machine uses to reach {@code masterAddr} (127.0.0.1 for
 *       a local master and for a file store).</li>
 * </ul>
 * Every rule is checked here, when the value is made, with the environment variable's name in the
 * message.
 */
public record Rendezvous(int rank, int worldSize, int localRank, String masterAddr, int masterPort, Path storeFile,
                         Duration timeout, Duration rendezvousTimeout, String glooInterface, String glooHost) {

    /** PyTorch's {@code default_pg_timeout}: 30 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public Rendezvous {
        if (worldSize < 1) throw new IllegalArgumentException("Invalid WORLD_SIZE: " + worldSize + " (must be >= 1)");
        if (rank < 0 || rank >= worldSize)
            throw new IllegalArgumentException("Invalid RANK: " + rank + " (must be in [0, " + (worldSize - 1) + "] for WORLD_SIZE " + worldSize + ")");
        if (localRank < 0) throw new IllegalArgumentException("Invalid LOCAL_RANK: " + localRank + " (must be >= 0)");
        if (storeFile == null) {
            if (masterAddr == null || masterAddr.isBlank())
                throw new IllegalArgumentException("Invalid MASTER_ADDR: '" + masterAddr + "' (must be a host name or address)");
            if (masterPort < 1 || masterPort > 65535)
                throw new IllegalArgumentException("Invalid MASTER_PORT: " + masterPort + " (must be in 1..65535)");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(rendezvousTimeout, "rendezvousTimeout");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("Invalid timeout: " + timeout + " (must be > 0)");
        if (rendezvousTimeout.isZero() || rendezvousTimeout.isNegative())
            throw new IllegalArgumentException("Invalid rendezvous timeout: " + rendezvousTimeout + " (must be > 0)");
        if (glooInterface != null && glooInterface.isBlank()) glooInterface = null;
        if (glooHost != null && glooHost.isBlank()) glooHost = null;
        if (glooInterface != null && glooHost != null)
            throw new IllegalArgumentException("glooInterface ('" + glooInterface + "') and glooHost ('" + glooHost + "') are mutually exclusive");
    }

    /** Rendezvous over a TCP store served by rank 0 at {@code masterAddr:masterPort}. */
    public static Rendezvous tcp(int rank, int worldSize, String masterAddr, int masterPort) {
        return new Rendezvous(rank, worldSize, 0, masterAddr, masterPort, null, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, null, null);
    }

    /** Rendezvous through a store file every rank opens; use a new file for every job. */
    public static Rendezvous file(int rank, int worldSize, Path storeFile) {
        Objects.requireNonNull(storeFile, "storeFile");
        return new Rendezvous(rank, worldSize, 0, null, 0, storeFile, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, null, null);
    }

    /** From this process's environment; see {@link #fromEnv(Map)}. */
    public static Rendezvous fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * From environment variables, as {@code torchrun} sets them: {@code RANK}, {@code WORLD_SIZE},
     * {@code MASTER_ADDR}, {@code MASTER_PORT} (required), {@code LOCAL_RANK} (default 0) and
     * {@code GLOO_SOCKET_IFNAME} (optional).
     */
    public static Rendezvous fromEnv(Map<String, String> env) {
        int worldSize = intVar(env, "WORLD_SIZE");
        int rank = intVar(env, "RANK");
        String localRankText = env.get("LOCAL_RANK");
        int localRank = localRankText == null ? 0 : intVar(env, "LOCAL_RANK");
        String addr = env.get("MASTER_ADDR");
        if (addr == null) throw missing("MASTER_ADDR");
        int port = intVar(env, "MASTER_PORT");
        return new Rendezvous(rank, worldSize, localRank, addr.trim(), port, null, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT,
                env.get("GLOO_SOCKET_IFNAME"), null);
    }

    /** Whether the environment says this process was started by a launcher ({@code RANK} and {@code WORLD_SIZE} set). */
    public static boolean launchedByLauncher(Map<String, String> env) {
        return env.get("RANK") != null && env.get("WORLD_SIZE") != null;
    }

    private static int intVar(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null) throw missing(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + ": '" + v + "' (must be an integer)");
        }
    }

    private static IllegalArgumentException missing(String name) {
        return new IllegalArgumentException("Environment variable " + name + " is not set: start the processes with the"
                + " launcher (wick launch / dev.wick.distributed.Launcher) or set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT");
    }

    public Rendezvous withLocalRank(int localRank) {
        return new Rendezvous(rank, worldSize, localRank, masterAddr, masterPort, storeFile, timeout, rendezvousTimeout, glooInterface, glooHost);
    }

    /** Sets the collective timeout, and the rendezvous timeout too unless it was set apart. */
    public Rendezvous withTimeout(Duration timeout) {
        Duration rdzv = rendezvousTimeout.equals(this.timeout) ? timeout : rendezvousTimeout;
        return new Rendezvous(rank, worldSize, localRank, masterAddr, masterPort, storeFile, timeout, rdzv, glooInterface, glooHost);
    }

    public Rendezvous withRendezvousTimeout(Duration rendezvousTimeout) {
        return new Rendezvous(rank, worldSize, localRank, masterAddr, masterPort, storeFile, timeout, rendezvousTimeout, glooInterface, glooHost);
    }

    public Rendezvous withGlooInterface(String glooInterface) {
        return new Rendezvous(rank, worldSize, localRank, masterAddr, masterPort, storeFile, timeout, rendezvousTimeout, glooInterface, null);
    }

    public Rendezvous withGlooHost(String glooHost) {
        return new Rendezvous(rank, worldSize, localRank, masterAddr, masterPort, storeFile, timeout, rendezvousTimeout, null, glooHost);
    }

    /** Whether the store is a file (else a TCP store at {@code masterAddr:masterPort}). */
    public boolean usesFileStore() { return storeFile != null; }

    /** Where the store is, for messages: {@code 10.0.0.1:29500} or {@code file /tmp/x}. */
    public String storeDescription() {
        return storeFile != null ? "file " + storeFile : masterAddr + ":" + masterPort;
    }
}
