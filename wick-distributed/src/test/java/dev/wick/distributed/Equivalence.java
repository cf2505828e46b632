package dev.wick.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Dataset;
import dev.wick.data.DistributedSampler;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.F;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.models.Mlp;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * One epoch of W1's MLP (784-512-256-10, SGD lr 0.05 momentum 0.9) on a fixed synthetic data set, either
 * alone (group == null, the reference) or data-parallel. The order is DistributedSampler's (seed 7,
 * epoch 0): with W ranks, rank r takes positions r, r + W, ... of the same permutation, so W ranks of
 * batch b see, step by step, exactly the samples one process of batch W * b sees.
 */
final class Equivalence {
    /** 2112 = 16 * 128 + 64: the last global batch is a partial one (32 per rank). */
    static final int SAMPLES = 2112;
    static final long DATA_SEED = 1234;

    private Equivalence() {}

    /** Fashion-MNIST-shaped inputs (N, 1, 28, 28) and labels from a fixed random linear teacher. */
    static Dataset<Example<Tensor, Tensor>> data() {
        return Scope.outside(() -> {
            Generator g = new Generator(DATA_SEED);
            Tensor x = Tensor.randn(g, SAMPLES, 1, 28, 28);
            Tensor teacher = Tensor.randn(g, 784, 10);
            Tensor y;
            try (Scope s = Scope.open()) {
                y = s.keep(x.view(SAMPLES, 784).matmul(teacher).argmax(1, false));    // (N,)
            }
            Scope.detachFromScopes(y);
            return TensorDataset.examples(x, y);
        });
    }

    /**
     * Final parameters, and for each micro-batch whether its backward synchronized and how many collectives
     * the process group counted during its forward and backward.
     */
    record Result(Map<String, float[]> params, int steps, boolean[] synced, long[] collectives) {
        int microBatches() { return synced.length; }
    }

    static Result train(ProcessGroup group, int perRankBatch, int accumulation, DistributedDataParallel.Options options) {
        Dataset<Example<Tensor, Tensor>> data = data();
        int world = group == null ? 1 : group.worldSize();
        int rank = group == null ? 0 : group.rank();
        Mlp net;
        synchronized (Equivalence.class) {             // the global generator is shared by in-process ranks
            Engine.manualSeed(100 + rank);             // different on purpose: DDP must copy rank 0's weights
            net = new Mlp();
        }
        DistributedDataParallel<Mlp> ddp = group == null ? null : new DistributedDataParallel<>(net, group, options);
        UnaryModule model = ddp != null ? ddp : net;
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
        DistributedSampler sampler = new DistributedSampler(data.size(), world, rank, true, 7, false);
        sampler.setEpoch(0);
        int micro = 0, steps = 0;
        List<Boolean> synced = new ArrayList<>();
        List<Long> collectives = new ArrayList<>();
        try (DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> loader =
                     DataLoader.builder(data).sampler(sampler).batchSize(perRankBatch).build()) {
            int total = loader.size();
            for (Example<Tensor, Tensor> batch : loader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);
                    boolean sync = micro % accumulation == accumulation - 1 || micro == total - 1;
                    long before = group == null ? 0 : group.sequenceNumber();
                    try (var skip = !sync && ddp != null ? ddp.noSync() : null) {
                        Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target()).div(accumulation);
                        loss.backward();
                    }
                    synced.add(sync);
                    collectives.add(group == null ? 0 : group.sequenceNumber() - before);
                    if (sync) {
                        opt.step();
                        opt.zeroGrad();
                        steps++;
                    }
                    micro++;
                }
            }
        }
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) params.put(e.getKey(), e.getValue().toFloatArray());
        if (ddp != null) ddp.close();
        boolean[] s = new boolean[synced.size()];
        long[] c = new long[collectives.size()];
        for (int i = 0; i < s.length; i++) { s[i] = synced.get(i); c[i] = collectives.get(i); }
        return new Result(params, steps, s, c);
    }

    static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) throw new AssertionError("different parameter names: " + a.keySet() + " vs " + b.keySet());
        double max = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k), y = b.get(k);
            if (x.length != y.length) throw new AssertionError(k + ": " + x.length + " vs " + y.length + " values");
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    static void write(Result r, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(r.steps());
            out.writeInt(r.microBatches());
            for (int i = 0; i < r.microBatches(); i++) {
                out.writeBoolean(r.synced()[i]);
                out.writeLong(r.collectives()[i]);
            }
            out.writeInt(r.params().size());
            for (Map.Entry<String, float[]> e : r.params().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) out.writeFloat(f);
            }
        }
    }

    static Result read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int steps = in.readInt();
            boolean[] synced = new boolean[in.readInt()];
            long[] collectives = new long[synced.length];
            for (int i = 0; i < synced.length; i++) {
                synced[i] = in.readBoolean();
                collectives[i] = in.readLong();
            }
            int n = in.readInt();
            Map<String, float[]> params = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int j = 0; j < v.length; j++) v[j] = in.readFloat();
                params.put(k, v);
            }
            return new Result(params, steps, synced, collectives);
        }
    }

}
