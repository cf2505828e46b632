package dev.wick.nn;

import java.util.Arrays;
import java.util.StringJoiner;

import dev.wick.nn.init.Init;
import dev.wick.tensor.Tensor;

/** Shared pieces of the layers: PyTorch's default initialisations, argument checks, printing. */
final class Layers {
    private Layers() {}

    /** {@code kaiming_uniform_(w, a=sqrt(5))}: the default weight init of Linear and the convolutions. */
    static void kaimingUniformDefault(Tensor weight) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
    }

    /** bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in of {@code weight} (nothing when bias is null or fan_in is 0). */
    static void fanInUniform(Tensor bias, Tensor weight) {
        if (bias == null) return;
        long fanIn = Init.fans(weight)[0];
        double bound = fanIn > 0 ? 1 / Math.sqrt((double) fanIn) : 0;
        Init.uniform(bias, -bound, bound);
    }

    /** Expands a one-value-or-n-values argument to n values, checking each against {@code min}. */
    static long[] tuple(String what, long[] v, int n, long min) {
        if (v == null || (v.length != 1 && v.length != n))
            throw new IllegalArgumentException("Invalid " + what + ": " + Arrays.toString(v) + " (give 1 or " + n + " values)");
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.length == 1 ? v[0] : v[i];
            if (out[i] < min) throw new IllegalArgumentException("Invalid " + what + ": " + Arrays.toString(v) + " (each must be >= " + min + ")");
        }
        return out;
    }

    static long[] fill(long v, int n) {
        long[] out = new long[n];
        Arrays.fill(out, v);
        return out;
    }

    /** Python's tuple repr: {@code (5, 5)}, {@code (5,)}. */
    static String pyTuple(long[] v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (long x : v) j.add(Long.toString(x));
        return j.toString();
    }

    static String pyBool(boolean b) { return b ? "True" : "False"; }

    /** Python's float repr for the common cases: {@code 1e-05}, {@code 0.1}, {@code 1.0}. */
    static String pyFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) return Long.toString((long) d) + ".0";
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp > -5 && exp < 16) return new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    static void checkPositive(String what, long v) {
        if (v <= 0) throw new IllegalArgumentException("Invalid " + what + ": " + v + " (must be > 0)");
    }
}
