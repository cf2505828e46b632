package dev.wick.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.BoolVector;
import org.bytedeco.pytorch.LoggerOptional;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.SizeTVector;
import org.bytedeco.pytorch.SizeTVectorVector;
import org.bytedeco.pytorch.T_SizeTVectorVectorSizeTVector_T;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.wick.nn.F;
import dev.wick.nn.models.ResNet;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The all-reduce cost per step of ResNet-18's gradients, bucketed or not (run by hand, 2 ranks):
 * <pre>
 * java ... dev.wick.distributed.Launcher --nproc-per-node 2 -- java ... dev.wick.distributed.AllReduceBench [reps] [batch]
 * </pre>
 * Part 1, communication only, gradients already computed: one all-reduce per parameter tensor (no
 * buckets), one all-reduce of all gradients flattened (one bucket), and 25 MB buckets (1 MB first, as
 * DDP) launched together. Part 2, whole training steps (forward + backward, batch of 32x32 images):
 * without DDP, with DDP's default buckets (all-reduce overlapping backward) and with one bucket
 * (all-reduce after backward). Rank 0 prints median and best milliseconds.
 */
public final class AllReduceBench {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        try (ProcessGroup g = ProcessGroup.init(Rendezvous.fromEnv().withTimeout(Duration.ofMinutes(5)))) {
            Engine.manualSeed(0);
            ResNet net = ResNet.resnet18(10);
            List<Tensor> params = net.parameters();
            long numel = params.stream().mapToLong(Tensor::numel).sum();
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : params) grads.add(Scope.outside(() -> Tensor.randn(p.shape())));
            say(g, String.format("ResNet-18: %d parameter tensors, %d elements (%.1f MB of float32 gradients), %d ranks, %s threads each",
                    params.size(), numel, numel * 4 / 1e6, g.worldSize(), Engine.threads()));

            time(g, "per-tensor all-reduce (" + params.size() + " collectives, no buckets)", reps, () -> {
                for (Tensor t : grads) g.allReduce(t, ReduceOp.SUM);
            });
            Tensor flatBuffer = Scope.outside(() -> Tensor.randn(numel));
            time(g, "all-reduce of one preallocated 44.7 MB buffer (no copies)", reps, () -> g.allReduce(flatBuffer, ReduceOp.SUM));
            time(g, "one flat all-reduce (1 bucket, with copies in and out)", reps, () -> {
                try (Scope s = Scope.open(); var ng = Autograd.noGrad()) {
                    List<Tensor> flat = new ArrayList<>();
                    for (Tensor t : grads) flat.add(t.reshape(-1));
                    Tensor all = Tensor.cat(flat, 0);
                    g.allReduce(all, ReduceOp.SUM);
                    long off = 0;
                    for (Tensor t : grads) { t.copy_(all.narrow(0, off, t.numel()).view(t.shape())); off += t.numel(); }
                }
            });
            List<List<Integer>> buckets = buckets(params, 1L << 20, 25L << 20);
            time(g, buckets.size() + " buckets of <= 25 MB (1 MB first), launched together", reps, () -> {
                try (Scope s = Scope.open(); var ng = Autograd.noGrad()) {
                    List<Work> works = new ArrayList<>();
                    List<Tensor> flats = new ArrayList<>();
                    for (List<Integer> b : buckets) {
                        List<Tensor> flat = new ArrayList<>();
                        for (int i : b) flat.add(grads.get(i).reshape(-1));
                        Tensor all = Tensor.cat(flat, 0);
                        flats.add(all);
                        works.add(g.allReduceAsync(all, ReduceOp.SUM));
                    }
                    for (int k = 0; k < buckets.size(); k++) {
                        works.get(k).await();
                        long off = 0;
                        for (int i : buckets.get(k)) {
                            Tensor t = grads.get(i);
                            t.copy_(flats.get(k).narrow(0, off, t.numel()).view(t.shape()));
                            off += t.numel();
                        }
                    }
                }
            });

            Generator gen = new Generator(g.rank());
            Tensor x = Scope.outside(() -> Tensor.randn(gen, batch, 3, 32, 32));
            Tensor y = Scope.outside(() -> Tensor.randint(gen, 0, 10, batch));
            time(g, "training step without DDP (batch " + batch + ", 32x32)", reps, () -> {
                try (Scope s = Scope.open()) {
                    F.crossEntropy(net.forward(x), y).backward();
                    net.zeroGrad();
                }
            });
            for (DistributedDataParallel.Options o : List.of(DistributedDataParallel.Options.defaults(), DistributedDataParallel.Options.defaults().withSingleBucket())) {
                var ddp = new DistributedDataParallel<>(net, g, o);
                String what = o.bucketCapMb() == Double.POSITIVE_INFINITY ? "DDP step, 1 bucket (all-reduce after backward)"
                        : "DDP step, 25 MB buckets (all-reduce overlaps backward)";
                long[] seq = new long[1];
                time(g, what, reps, () -> {
                    try (Scope s = Scope.open()) {
                        long before = g.sequenceNumber();
                        F.crossEntropy(ddp.forward(x), y).backward();
                        seq[0] = g.sequenceNumber() - before;
                        ddp.zeroGrad();
                    }
                });
                say(g, "  (" + seq[0] + " collectives per step)");
                ddp.close();
            }
        }
    }

    static List<List<Integer>> buckets(List<Tensor> params, long first, long cap) {
        try (TensorVector pv = Tensor.toNativeVector(params);
             SizeTVector limits = new SizeTVector(first, cap);
             BoolVector sparse = new BoolVector(params.size());
             LongVector idx = new LongVector();
             LoggerOptional lo = new LoggerOptional();
             T_SizeTVectorVectorSizeTVector_T a = torch.compute_bucket_assignment_by_size(pv, limits, sparse, idx, lo);
             SizeTVectorVector b = a.get0()) {
            List<List<Integer>> out = new ArrayList<>();
            for (long i = b.size() - 1; i >= 0; i--) {
                List<Integer> bucket = new ArrayList<>();
                for (long j : b.get(i).get()) bucket.add((int) j);
                out.add(bucket);
            }
            return out;
        }
    }

    static void time(ProcessGroup g, String what, int reps, Runnable body) {
        body.run();                                  // warm-up
        body.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            g.barrier();
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] slowest = new double[reps];
        for (int i = 0; i < reps; i++) slowest[i] = g.allReduce(ms[i], ReduceOp.MAX);   // a step lasts as long as its slowest rank
        Arrays.sort(slowest);
        say(g, String.format("%-62s median %7.1f ms, best %7.1f ms", what, slowest[reps / 2], slowest[0]));
    }

    static void say(ProcessGroup g, String s) {
        if (g.isMain()) System.out.println(s);
    }
}
