package dev.wick.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * An explicit random-number generator (libtorch's CPU Philox/MT generator), as {@code torch.Generator}.
 * The same seed gives the same numbers as PyTorch's.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor x = Tensor.randn(g, 3);   // [0.33669037, 0.12880941, 0.23446237], as torch.randn(3, generator=g)
 * }</pre>
 */
public final class Generator implements AutoCloseable {
    static { Engine.init(); }
    private final org.bytedeco.pytorch.Generator gen;

    /** A generator seeded with {@code seed} ({@code torch.Generator().manual_seed(seed)}). */
    public Generator(long seed) {
        gen = torch.createCPUGenerator(seed);
    }

    private Generator(org.bytedeco.pytorch.Generator g) { gen = g; }

    /** libtorch's default CPU generator (what {@code torch.manual_seed} seeds). */
    public static Generator defaultGenerator() {
        return new Generator(new org.bytedeco.pytorch.Generator(torch.getDefaultCPUGenerator()));
    }

    /** Re-seeds; returns this. */
    public synchronized Generator manualSeed(long seed) {
        gen.set_current_seed(seed);
        return this;
    }

    /** The seed last set. */
    public synchronized long initialSeed() { return gen.current_seed(); }

    /** Draws a non-deterministic seed, sets it and returns it ({@code Generator.seed()}). */
    public synchronized long seed() { return gen.seed(); }

    /** A uniformly random 64-bit value drawn from this generator (advances it). */
    public synchronized long nextLong() {
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.empty(DType.INT64, 1);
            t.unwrap().random_(new org.bytedeco.pytorch.GeneratorOptional(gen));
            return t.itemLong();
        }
    }

    /** The full generator state as bytes ({@code get_state()}): restore it with {@link #setState(byte[])}. */
    public synchronized byte[] getState() {
        try (Scope s = Scope.open()) {
            return Tensor.wrap(gen.get_state()).toBytes();
        }
    }

    /** Restores a state from {@link #getState()}. */
    public synchronized void setState(byte[] state) {
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.fromBytes(state, DType.UINT8, state.length);
            gen.set_state(t.unwrap());
        } catch (RuntimeException e) {
            throw TorchException.from(e, "Generator.setState");
        }
    }

    /** Frees the native generator now (otherwise it lives as long as the process). */
    @Override public synchronized void close() { gen.close(); }

    /** The libtorch generator (escape hatch). */
    public org.bytedeco.pytorch.Generator nativeGenerator() { return gen; }
}
