package dev.wick.data;

import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.tensor.TorchException;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The random draws the samplers and the loader make, each exactly as PyTorch 1.13 makes it, so that the
 * same generator state gives the same indices. A null generator means libtorch's default (global) one.
 */
final class Draws {
    private Draws() {}

    /** {@code torch.empty((), dtype=torch.int64).random_(generator=g).item()}. */
    static long int64(Generator g) {
        try (Scope s = Scope.open(); GeneratorOptional opt = optional(g)) {
            Tensor t = Tensor.empty(DType.INT64);                       // 0-dim
            t.unwrap().random_(opt);
            return t.itemLong();
        } catch (RuntimeException e) {
            throw TorchException.from(e, "random_");
        }
    }

    /** {@code torch.randperm(n, generator=g).tolist()}. */
    static long[] randperm(Generator g, int n) {
        try (Scope s = Scope.open()) {
            return Tensor.randperm(g, n).toLongArray();
        }
    }

    /** {@code torch.randint(high=high, size=(size,), dtype=torch.int64, generator=g).tolist()}. */
    static long[] randint(Generator g, long high, int size) {
        if (size == 0) return new long[0];
        try (Scope s = Scope.open()) {
            return Tensor.randint(g, 0, high, size).toLongArray();
        }
    }

    /** {@code torch.multinomial(weights, numSamples, replacement, generator=g).tolist()}, weights as float64. */
    static long[] multinomial(Generator g, double[] weights, int numSamples, boolean replacement) {
        try (Scope s = Scope.open(); GeneratorOptional opt = optional(g)) {
            Tensor w = Tensor.of(weights);
            return Tensor.wrap(torch.multinomial(w.unwrap(), numSamples, replacement, opt)).toLongArray();
        } catch (RuntimeException e) {
            throw TorchException.from(e, "multinomial");
        }
    }

    /** The seed {@code g} was last seeded with (the default generator's when {@code g} is null). */
    static long initialSeed(Generator g) {
        if (g != null) return g.initialSeed();
        Tensor.scalar(0L).close();                                      // makes sure libtorch is loaded
        return torch.getDefaultCPUGenerator().current_seed();
    }

    private static GeneratorOptional optional(Generator g) {
        return g == null ? new GeneratorOptional() : new GeneratorOptional(g.nativeGenerator());
    }
}
