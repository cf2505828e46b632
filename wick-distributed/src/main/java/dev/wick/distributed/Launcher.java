package dev.wick.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts the processes of a data-parallel job on this machine, as PyTorch's {@code torchrun}:
 * {@code --nproc-per-node} copies of a command, each with {@code RANK}, {@code WORLD_SIZE},
 * {@code LOCAL_RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT} set (read by
 * {@link Rendezvous#fromEnv()}), their output prefixed with {@code [rank R] }.
 *
 * <pre>
 * java dev.wick.distributed.Launcher --nproc-per-node 2 -- java -cp app.jar my.Train --config run.yaml
 * java dev.wick.distributed.Launcher --nproc-per-node 4 --nnodes 2 --node-rank 0 \
 *      --master-addr 10.0.0.1 --master-port 29500 -- ./train.sh
 * </pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>ranks on node {@code R} are {@code R * nprocPerNode + localRank}; the world size is
 *       {@code nnodes * nprocPerNode}; {@code --master-addr} defaults to 127.0.0.1 (and is required
 *       with more than one node), {@code --master-port} to 29500;</li>
 *   <li>{@code GROUP_RANK} (the node rank) and {@code LOCAL_WORLD_SIZE} are set too; when
 *       {@code WICK_THREADS} / {@code OMP_NUM_THREADS} are not set, each process gets
 *       {@code max(1, cores / nprocPerNode)} threads (as torchrun, so processes do not oversubscribe the
 *       cores), and {@code OMP_WAIT_POLICY=PASSIVE} (see {@code Engine});</li>
 *   <li>when every process exits with 0, the launcher exits with 0;</li>
 *   <li>at the first process that exits with another code, the launcher stops the others (SIGTERM, then
 *       SIGKILL after {@link Options#killGrace()}), prints which rank failed with the last lines of its
 *       error output, and exits with that rank's code: a failed job never hangs on its survivors;</li>
 *   <li>when the launcher itself is stopped, it stops its processes.</li>
 * </ul>
 * Bad arguments are reported with the option's name and the usage, exit code 2.
 */
public final class Launcher {
    /** torchrun's default master port. */
    public static final int DEFAULT_MASTER_PORT = 29500;
    public static final String DEFAULT_MASTER_ADDR = "127.0.0.1";
    static final String USAGE = "usage: launch --nproc-per-node N [--nnodes M --node-rank R --master-addr HOST --master-port PORT] -- COMMAND [ARGS...]";
    private static final int ERROR_TAIL_LINES = 15;

    private Launcher() {}

    /**
     * What to start. {@code nprocPerNode >= 1}, {@code nnodes >= 1}, {@code nodeRank} in
     * {@code [0, nnodes)}, {@code masterPort} in 1..65535.
     */
    public record Options(int nprocPerNode, int nnodes, int nodeRank, String masterAddr, int masterPort, Duration killGrace) {
        public Options {
            if (nprocPerNode < 1) throw new IllegalArgumentException("Invalid --nproc-per-node: " + nprocPerNode + " (must be >= 1)");
            if (nnodes < 1) throw new IllegalArgumentException("Invalid --nnodes: " + nnodes + " (must be >= 1)");
            if (nodeRank < 0 || nodeRank >= nnodes)
                throw new IllegalArgumentException("Invalid --node-rank: " + nodeRank + " (must be in [0, " + (nnodes - 1) + "] for --nnodes " + nnodes + ")");
            if (masterAddr == null || masterAddr.isBlank()) throw new IllegalArgumentException("Invalid --master-addr: '" + masterAddr + "'");
            if (masterPort < 1 || masterPort > 65535) throw new IllegalArgumentException("Invalid --master-port: " + masterPort + " (must be in 1..65535)");
            Objects.requireNonNull(killGrace, "killGrace");
            if (killGrace.isNegative()) throw new IllegalArgumentException("Invalid kill grace: " + killGrace + " (must be >= 0)");
        }

        /** {@code nprocPerNode} processes on one node, master 127.0.0.1:29500, 5 s grace before SIGKILL. */
        public static Options local(int nprocPerNode) {
            return new Options(nprocPerNode, 1, 0, DEFAULT_MASTER_ADDR, DEFAULT_MASTER_PORT, Duration.ofSeconds(5));
        }

        public Options withNodes(int nnodes, int nodeRank) { return new Options(nprocPerNode, nnodes, nodeRank, masterAddr, masterPort, killGrace); }
        public Options withMaster(String addr, int port) { return new Options(nprocPerNode, nnodes, nodeRank, addr, port, killGrace); }
        public Options withKillGrace(Duration grace) { return new Options(nprocPerNode, nnodes, nodeRank, masterAddr, masterPort, grace); }

        public int worldSize() { return nprocPerNode * nnodes; }
    }

    /** Parsed command line: the options and the command to start. */
    public record Invocation(Options options, List<String> command) {
        public Invocation {
            command = List.copyOf(command);
            if (command.isEmpty()) throw new IllegalArgumentException("No command to launch: put it after '--'");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args}, launches, and returns the exit code (2 for bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Invocation inv;
        try {
            inv = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("launch: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        return launch(inv.options(), inv.command(), out, err);
    }

    /** Parses the command line (see {@link #USAGE}); torchrun's spellings ({@code --nproc_per_node}, {@code --opt=value}) are accepted. */
    public static Invocation parse(String[] args) {
        Integer nproc = null;
        int nnodes = 1, nodeRank = 0, port = DEFAULT_MASTER_PORT;
        String addr = null;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) { i++; break; }
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { name = a.substring(0, eq); value = a.substring(eq + 1); }
            name = name.replace('_', '-');
            if (!List.of("--nproc-per-node", "--nnodes", "--node-rank", "--master-addr", "--master-port").contains(name)) {
                throw new IllegalArgumentException(a.startsWith("-") ? "Unknown option: " + a : "Unexpected argument '" + a + "': put the command after '--'");
            }
            if (value == null) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("Option " + name + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--nproc-per-node" -> nproc = intOption(name, value);
                case "--nnodes" -> nnodes = intOption(name, value);
                case "--node-rank" -> nodeRank = intOption(name, value);
                case "--master-addr" -> addr = value;
                case "--master-port" -> port = intOption(name, value);
                default -> throw new AssertionError(name);
            }
        }
        if (nproc == null) throw new IllegalArgumentException("--nproc-per-node is required");
        if (addr == null) {
            if (nnodes > 1) throw new IllegalArgumentException("--master-addr is required with --nnodes " + nnodes + " (the address of node 0)");
            addr = DEFAULT_MASTER_ADDR;
        }
        Options o = new Options(nproc, nnodes, nodeRank, addr, port, Duration.ofSeconds(5));
        return new Invocation(o, Arrays.asList(args).subList(Math.min(i, args.length), args.length));
    }

    private static int intOption(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + ": '" + value + "' (must be an integer)");
        }
    }

    /** The environment of local rank {@code localRank} (added to the launcher's own). */
    static Map<String, String> rankEnvironment(Options o, int localRank) {
        int rank = o.nodeRank() * o.nprocPerNode() + localRank;
        return Map.of("RANK", String.valueOf(rank), "WORLD_SIZE", String.valueOf(o.worldSize()), "LOCAL_RANK", String.valueOf(localRank),
                "LOCAL_WORLD_SIZE", String.valueOf(o.nprocPerNode()), "GROUP_RANK", String.valueOf(o.nodeRank()),
                "MASTER_ADDR", o.masterAddr(), "MASTER_PORT", String.valueOf(o.masterPort()));
    }

    /**
     * Starts {@code command} once per local rank and supervises the processes (see the class comment);
     * returns 0 when all succeed, else the exit code of the first that failed.
     */
    public static int launch(Options o, List<String> command, PrintStream out, PrintStream err) {
        Objects.requireNonNull(o, "options");
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("No command to launch");
        int n = o.nprocPerNode();
        List<Child> children = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread hook = new Thread(() -> children.forEach(c -> {
            c.process.descendants().forEach(ProcessHandle::destroyForcibly);
            c.process.destroyForcibly();
        }), "wick-launcher-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String threads = String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() / n));
            for (int local = 0; local < n; local++) {
                ProcessBuilder pb = new ProcessBuilder(command);
                Map<String, String> env = pb.environment();
                env.putAll(rankEnvironment(o, local));
                env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
                env.putIfAbsent("WICK_THREADS", env.getOrDefault("OMP_NUM_THREADS", threads));
                env.putIfAbsent("OMP_NUM_THREADS", env.get("WICK_THREADS"));
                int rank = o.nodeRank() * n + local;
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    err.println("[launcher] cannot start rank " + rank + " (" + String.join(" ", command) + "): " + e.getMessage());
                    stopAll(children, o.killGrace());
                    return 127;
                }
                children.add(new Child(rank, p, out, err));
            }
            return supervise(children, o, err);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static int supervise(List<Child> children, Options o, PrintStream err) {
        List<Child> running = new ArrayList<>(children);
        while (!running.isEmpty()) {
            for (int i = 0; i < running.size(); i++) {
                Child c = running.get(i);
                if (c.process.isAlive()) continue;
                running.remove(i--);
                int code = c.process.exitValue();
                if (code != 0) {
                    stopAll(running, o.killGrace());
                    c.drain();
                    for (Child other : running) other.drain();
                    err.println("[launcher] rank " + c.rank + " failed with exit code " + code + (running.isEmpty() ? "" : "; stopped ranks "
                            + running.stream().map(x -> x.rank).toList()));
                    List<String> tail = c.errorTail();
                    if (!tail.isEmpty()) {
                        err.println("[launcher] rank " + c.rank + "'s last error output:");
                        for (String line : tail) err.println("[launcher]   " + line);
                    }
                    return code;
                }
                c.drain();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopAll(running, o.killGrace());
                return 130;
            }
        }
        return 0;
    }

    private static void stopAll(List<Child> children, Duration grace) {
        for (Child c : children) {
            c.process.descendants().forEach(ProcessHandle::destroy);    // e.g. the JVM a wrapper script started
            c.process.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Child c : children) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !c.process.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    c.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    c.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process.destroyForcibly();
            }
        }
        for (Child c : children) {
            try {
                c.process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One started process and the threads that copy its output with the rank prefix. */
    private static final class Child {
        final int rank;
        final Process process;
        private final Thread outPump, errPump;
        private final Deque<String> errTail = new ArrayDeque<>();

        Child(int rank, Process process, PrintStream out, PrintStream err) {
            this.rank = rank;
            this.process = process;
            this.outPump = pump(process.getInputStream(), out, false);
            this.errPump = pump(process.getErrorStream(), err, true);
        }

        private Thread pump(InputStream in, PrintStream target, boolean keepTail) {
            String prefix = "[rank " + rank + "] ";
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (target) { target.println(prefix + line); }
                        if (keepTail && !line.isBlank()) {
                            synchronized (errTail) {
                                errTail.addLast(line);
                                if (errTail.size() > ERROR_TAIL_LINES) errTail.removeFirst();
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            }, "wick-launcher-rank" + rank + (keepTail ? "-err" : "-out"));
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits (briefly) until the process's output has been copied. */
        void drain() {
            try {
                outPump.join(2000);
                errPump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> errorTail() {
            synchronized (errTail) { return new ArrayList<>(errTail); }
        }
    }
}
