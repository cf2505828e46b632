package dev.wick.train;

import java.nio.file.Path;
import java.time.Duration;

import dev.wick.distributed.Distributed;
import dev.wick.distributed.Rendezvous;

/**
 * One rank of the data-parallel trainer tests, started by the {@code Launcher} (RANK, WORLD_SIZE,
 * MASTER_ADDR, MASTER_PORT from the environment): {@code DdpTrainWorker first|resume OUT_DIR}.
 *
 * <ul>
 *   <li>{@code first}: the equivalence runs ({@code eq-acc1}, {@code eq-acc2}: 1 epoch, 64 per rank),
 *       the uninterrupted resumable run ({@code full}) and two interrupted ones ({@code stopA}: stop
 *       requested inside an accumulation window of epoch 1; {@code stopB}: stop at epoch 0's end, inside
 *       a window carried over the epoch's end);</li>
 *   <li>{@code resume}: {@code resumeA} and {@code resumeB}, each from rank 0's checkpoint of the
 *       interrupted run, in that run's folder.</li>
 * </ul>
 * Each run's parameters and records go to {@code OUT_DIR/<run>-rank<R>.pt/.jsonl}; its run folder is
 * {@code OUT_DIR/<run>/rank<R>}. Exits 1 on failure, 3 when it runs longer than 150 s.
 */
public final class DdpTrainWorker {
    public static void main(String[] args) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(150_000);
                System.err.println("DdpTrainWorker: still running after 150 s, exiting");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String phase = args[0];
            Path out = Path.of(args[1]);
            Distributed.init(Rendezvous.fromEnv().withTimeout(Duration.ofSeconds(30)));
            int world = Distributed.worldSize(), rank = Distributed.rank();
            System.out.println("joined: rank " + rank + " of " + world);
            if (phase.equals("first")) {
                for (int acc : new int[]{1, 2}) {
                    String name = "eq-acc" + acc;
                    run(name, DdpRuns.equivalence(64, acc), out, null, true, null);
                }
                run("full", DdpRuns.resumable(), out, null, false, null);
                Path mine = out.resolve("stopA").resolve("rank" + rank).resolve("checkpoints").resolve("stop.pt");
                run("stopA", DdpRuns.resumable(), out, null, false, new DdpRuns.StopAtBatch(1, 4, mine));
                mine = out.resolve("stopB").resolve("rank" + rank).resolve("checkpoints").resolve("stop.pt");
                run("stopB", DdpRuns.resumable(), out, null, false, new DdpRuns.StopAtEpochEnd(0, mine));
            } else if (phase.equals("resume")) {
                for (String cut : new String[]{"stopA", "stopB"}) {
                    Path rank0s = out.resolve(cut).resolve("rank0").resolve("checkpoints").resolve("stop.pt");
                    run("resume" + cut.substring(4), DdpRuns.resumable(), out, cut, false, null, rank0s);
                }
            } else {
                throw new IllegalArgumentException("Unknown phase '" + phase + "' (expected first or resume)");
            }
            Distributed.barrier();
            Distributed.destroy();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String name, DdpRuns.Config c, Path out, String folder, boolean print, Callback stop) {
        run(name, c, out, folder, print, stop, null);
    }

    /** Builds, fits (or resumes from {@code resumeFrom}), saves and closes one run; its folder is {@code out/<folder or name>/rank<R>}. */
    private static void run(String name, DdpRuns.Config c, Path out, String folder, boolean print, Callback stop, Path resumeFrom) {
        int rank = Distributed.rank();
        Path runDir = out.resolve(folder != null ? folder : name).resolve("rank" + rank);
        Callback[] extra = stop == null ? new Callback[]{new DdpRuns.PrintValidation(System.out, name)}
                : new Callback[]{new DdpRuns.PrintValidation(System.out, name), stop};
        DdpRuns.Run run = DdpRuns.build(c, Distributed.worldSize(), rank, null, runDir, print ? System.out : null, extra);
        try {
            FitResult r = run.fit(resumeFrom);
            DdpRuns.save(run, out, name + "-rank" + rank);
            System.out.println("DONE " + name + " steps=" + r.globalStep() + " epochs=" + r.epochsCompleted() + " reason=" + r.stopReason());
        } finally {
            run.close();
        }
    }
}
