package dev.wick.distributed;

import java.time.Duration;

import dev.wick.nn.F;
import dev.wick.nn.models.Mlp;
import dev.wick.optim.SGD;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * A long data-parallel training run for the fault tests: {@code FaultWorker TIMEOUT_MS}. Prints
 * {@code step N} after every step; stops by itself after 60 s. Exits 1 with the (explained) error when a
 * step fails.
 */
public final class FaultWorker {
    public static void main(String[] args) {
        long timeoutMs = Long.parseLong(args[0]);
        ProcessGroup g = null;
        try {
            g = ProcessGroup.init(Rendezvous.fromEnv().withTimeout(Duration.ofMillis(timeoutMs)).withRendezvousTimeout(Duration.ofSeconds(60)));
            var model = new DistributedDataParallel<>(new Mlp(784, new long[]{64}, 10), g, DistributedDataParallel.Options.defaults());
            var opt = new SGD(model.parameters(), SGD.Options.lr(0.01));
            Generator gen = new Generator(g.rank());
            long end = System.nanoTime() + 60_000_000_000L;
            for (int step = 0; System.nanoTime() < end; step++) {
                try (Scope s = Scope.open()) {
                    Tensor x = Tensor.randn(gen, 32, 784);
                    Tensor y = Tensor.randint(gen, 0, 10, 32);
                    F.crossEntropy(model.forward(x), y).backward();
                    opt.step();
                    opt.zeroGrad();
                }
                System.out.println("step " + step);
                System.out.flush();
                Thread.sleep(20);
            }
            System.exit(0);
        } catch (RuntimeException e) {
            RuntimeException clear = g != null ? g.explain(e) : e;
            System.err.println("FaultWorker: " + clear.getMessage());
            System.err.flush();
            System.exit(1);
        } catch (InterruptedException e) {
            System.exit(2);
        }
    }
}
