package dev.wick.distributed;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Runs the ranks of a small world as threads of the test JVM (each with its own ProcessGroup). */
final class InProcess {
    private InProcess() {}

    interface RankBody<T> {
        T run(ProcessGroup group) throws Exception;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TCP rendezvous on 127.0.0.1 with short timeouts, one per rank. */
    static IntFunction<Rendezvous> localTcp(int world, Duration timeout) {
        int port = freePort();
        return rank -> Rendezvous.tcp(rank, world, "127.0.0.1", port).withTimeout(timeout);
    }

    static <T> List<T> run(int world, RankBody<T> body) {
        return run(world, localTcp(world, Duration.ofSeconds(20)), body);
    }

    /** Runs {@code body} on every rank; returns the results in rank order; rethrows the first failure. */
    static <T> List<T> run(int world, IntFunction<Rendezvous> rendezvous, RankBody<T> body) {
        List<Outcome<T>> outcomes = runAll(world, rank -> rendezvous.apply(rank), body);
        List<T> out = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            Outcome<T> o = outcomes.get(r);
            if (o.error != null) {
                if (o.error instanceof RuntimeException re) throw re;
                if (o.error instanceof Error err) throw err;
                throw new IllegalStateException("rank " + r + " failed", o.error);
            }
            out.add(o.value);
        }
        return out;
    }

    record Outcome<T>(T value, Throwable error, long millis) {}

    /** Like {@link #run} but returns every rank's outcome, failures included (for fault tests). */
    static <T> List<Outcome<T>> runAll(int world, IntFunction<Rendezvous> rendezvous, RankBody<T> body) {
        ExecutorService pool = Executors.newFixedThreadPool(world);
        try {
            List<Future<Outcome<T>>> fs = new ArrayList<>();
            for (int r = 0; r < world; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try (ProcessGroup g = ProcessGroup.init(rendezvous.apply(rank))) {
                        return new Outcome<>(body.run(g), null, (System.nanoTime() - t0) / 1_000_000);
                    } catch (Throwable e) {
                        return new Outcome<T>(null, e, (System.nanoTime() - t0) / 1_000_000);
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<Outcome<T>> f : fs) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("an in-process rank did not finish in 60 s", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
