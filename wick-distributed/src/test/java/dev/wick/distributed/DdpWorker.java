package dev.wick.distributed;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of the equivalence runs: {@code DdpWorker OUT_DIR}. Reads RANK, WORLD_SIZE, MASTER_ADDR,
 * MASTER_PORT from the environment, trains one epoch with batch 64 per rank, then again with gradient
 * accumulation 2, and writes {@code rank<R>-acc<K>.bin} to OUT_DIR. On failure it prints the error and exits 1.
 */
public final class DdpWorker {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long t0 = System.nanoTime();
        try (ProcessGroup g = ProcessGroup.init(Rendezvous.fromEnv().withTimeout(Duration.ofSeconds(60)))) {
            System.out.printf("joined: rank %d of %d, gloo on %s (JVM up %d ms, init %d ms)%n", g.rank(), g.worldSize(), g.glooAddress(),
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), (System.nanoTime() - t0) / 1_000_000);
            for (int acc : new int[]{1, 2}) {
                Equivalence.Result r = Equivalence.train(g, 64, acc, DistributedDataParallel.Options.defaults());
                Equivalence.write(r, out.resolve("rank" + g.rank() + "-acc" + acc + ".bin"));
                System.out.printf("acc %d: %d steps, %d micro-batches (at %d ms)%n", acc, r.steps(), r.microBatches(), (System.nanoTime() - t0) / 1_000_000);
            }
            g.barrier();
        } catch (RuntimeException e) {
            System.err.println("DdpWorker failed: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
