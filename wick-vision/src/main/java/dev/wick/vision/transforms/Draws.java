package dev.wick.vision.transforms;

import java.util.random.RandomGenerator;

import dev.wick.tensor.DType;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Where a random transform's numbers come from, and the arithmetic torchvision does on them.
 *
 * <p>NOTE [two sources]: torchvision draws through libtorch ({@code torch.empty(1).uniform_(a, b)},
 * {@code torch.randint}, {@code torch.randperm}) in float32. {@link #torch(Generator)} makes the same
 * calls on a libtorch {@link Generator}, so a generator seeded like {@code torch.manual_seed} gives
 * torchvision's exact parameters. {@link #java(RandomGenerator)} draws from a Java generator (the data
 * loader's per-sample {@code SampleRandom}) in double precision with no native call: the same
 * algorithm, different numbers.
 */
interface Draws {
    /** Uniform in {@code [lo, hi)}. */
    double uniform(double lo, double hi);

    /** Uniform integer in {@code [lo, hi)}. */
    long randint(long lo, long hi);

    /** A random permutation of {@code 0..n-1}. */
    int[] randperm(int n);

    /** {@code log(x)} as the source computes it (float32 for torch). */
    double log(double x);

    /** {@code exp(x)} as the source computes it (float32 for torch). */
    double exp(double x);

    static Draws torch(Generator g) {
        return new Draws() {
            @Override public double uniform(double lo, double hi) {
                try (Scope s = Scope.open()) {
                    return Tensor.empty(DType.FLOAT32, 1).uniform_(lo, hi, g).item();   // torch.empty(1).uniform_(lo, hi).item()
                }
            }

            @Override public long randint(long lo, long hi) {
                try (Scope s = Scope.open()) {
                    return Tensor.randint(g, lo, hi, 1).itemLong();                  // torch.randint(lo, hi, size=(1,)).item()
                }
            }

            @Override public int[] randperm(int n) {
                try (Scope s = Scope.open()) {
                    return Tensor.randperm(g, n).toIntArray();
                }
            }

            @Override public double log(double x) {
                try (Scope s = Scope.open()) {
                    return Tensor.of(new float[]{(float) x}).log().item();           // torch.log(torch.tensor(x))
                }
            }

            @Override public double exp(double x) {
                try (Scope s = Scope.open()) {
                    return Tensor.of(new float[]{(float) x}).exp().item();
                }
            }
        };
    }

    static Draws java(RandomGenerator r) {
        return new Draws() {
            @Override public double uniform(double lo, double hi) { return lo + (hi - lo) * r.nextDouble(); }

            @Override public long randint(long lo, long hi) { return lo + r.nextInt(Math.toIntExact(hi - lo)); }

            @Override public int[] randperm(int n) {
                int[] p = new int[n];
                for (int i = 0; i < n; i++) p[i] = i;
                for (int i = n - 1; i > 0; i--) {                                      // Fisher-Yates
                    int j = r.nextInt(i + 1);
                    int t = p[i]; p[i] = p[j]; p[j] = t;
                }
                return p;
            }

            @Override public double log(double x) { return Math.log(x); }

            @Override public double exp(double x) { return Math.exp(x); }
        };
    }
}
