package dev.wick.data;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The random numbers of one sample: a small, fast generator whose stream is a pure function of
 * (loader seed, epoch, sample index). Random transforms draw from it, so a sample is augmented the same
 * way whichever worker thread loads it, with 0, 1 or N workers, and again after a resume that sets the
 * epoch.
 *
 * <pre>{@code
 * // inside Dataset.get(i), or a transform it calls:
 * SampleRandom r = SampleRandom.current();   // the loader set it up for sample i
 * boolean flip = r.nextDouble() < 0.5;
 * int top = r.nextInt(9);                    // uniform in [0, 9)
 * }</pre>
 *
 * <p>Lifecycle: for each sample it fetches, the {@link DataLoader} makes a fresh {@code SampleRandom}
 * for (seed, epoch, index) and makes it {@link #current()} on that thread while {@code get(index)}
 * runs; every transform of that sample then draws, in order, from the same stream. Outside a loader,
 * {@link #current()} returns a per-thread stream seeded with (0, -1, 0) that simply continues, and
 * {@link #with(long, int, long, Supplier)} sets one up explicitly.
 *
 * <p>NOTE [per-sample randomness]: PyTorch gives each worker process its own RNG stream (seeded
 * {@code base_seed + worker_id}), so which augmentation a sample gets depends on which worker loaded it
 * and on the number of workers. Here the stream is keyed by the sample instead. The generator is
 * SplitMix64 (Steele, Lea and Flood 2014, the algorithm behind {@code java.util.SplittableRandom}),
 * written out here so that its numbers never change with the JDK: the state starts at
 * {@code mix(mix(mix(seed) ^ epoch * K1) ^ index * K2)} and each {@code nextLong()} adds the golden gamma
 * and mixes. It is not cryptographic; it is fast (a few ns per draw) and statistically sound for
 * augmentation. For tensor-level random ops seed a {@link dev.wick.tensor.Generator} with
 * {@link #nextLong()}.
 */
public final class SampleRandom implements RandomGenerator {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final long K1 = 0xBF58476D1CE4E5B9L;
    private static final long K2 = 0x94D049BB133111EBL;
    private static final ThreadLocal<SampleRandom[]> CURRENT = ThreadLocal.withInitial(() -> new SampleRandom[1]);

    private final long seed;
    private final int epoch;
    private final long index;
    private long state;

    private SampleRandom(long seed, int epoch, long index) {
        this.seed = seed;
        this.epoch = epoch;
        this.index = index;
        this.state = mix(mix(mix(seed) ^ (epoch * K1)) ^ (index * K2));
    }

    /** The stream of sample {@code index} in {@code epoch} of a loader seeded {@code seed}. */
    public static SampleRandom of(long seed, int epoch, long index) {
        return new SampleRandom(seed, epoch, index);
    }

    /**
     * The stream of the sample being loaded on this thread. Outside a loader (and outside
     * {@link #with}), a per-thread stream seeded with (0, -1, 0).
     */
    public static SampleRandom current() {
        SampleRandom[] slot = CURRENT.get();
        SampleRandom r = slot[0];
        if (r == null) slot[0] = r = new SampleRandom(0, -1, 0);
        return r;
    }

    /** Runs {@code body} with {@link #current()} set to the stream of (seed, epoch, index). */
    public static <R> R with(long seed, int epoch, long index, Supplier<R> body) {
        SampleRandom[] slot = CURRENT.get();
        SampleRandom saved = slot[0];
        slot[0] = new SampleRandom(seed, epoch, index);
        try {
            return body.get();
        } finally {
            slot[0] = saved;
        }
    }

    /** The per-thread slot, for the loader's hot loop (one ThreadLocal lookup per batch). */
    static SampleRandom[] slot() { return CURRENT.get(); }

    public long seed() { return seed; }
    public int epoch() { return epoch; }
    public long index() { return index; }

    @Override
    public long nextLong() {
        state += GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, unbiased (rejection on the top bits). */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long b = bound;
        while (true) {
            long r = nextLong() >>> 33;                       // 31 uniform bits
            long v = r % b;
            if (r - v + (b - 1) < (1L << 31)) return (int) v;    // no partial block at the top
        }
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [0, 1)} with 24 random bits. */
    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** {@code true} with probability {@code p} (one {@link #nextDouble()} draw). */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Standard normal, by Box-Muller (two {@link #nextDouble()} draws per value). */
    @Override
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();                       // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * K1;
        z = (z ^ (z >>> 27)) * K2;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() { return "SampleRandom(seed=" + seed + ", epoch=" + epoch + ", index=" + index + ")"; }
}
