package dev.wick.metrics;

import java.util.Arrays;

import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** Turns a classifier's (output, target) into predicted and true class indices, with shape checks. */
final class Classes {
    private Classes() {}

    /** {@code [predicted, true]} class indices of one batch. */
    static long[][] of(String metric, Tensor output, Tensor target) {
        if (output == null || target == null)
            throw new IllegalArgumentException(metric + ".update: output and target are required (got "
                    + (output == null ? "no output" : "an output") + " and " + (target == null ? "no target" : "a target") + ")");
        try (Scope s = Scope.open(); Autograd.Guard g = Autograd.noGrad()) {
            Tensor pred;
            if (output.dim() == target.dim() + 1) pred = output.argmax(1, false);                 // (B, C) scores -> (B)
            else if (output.dim() == target.dim() && !output.isFloatingPoint()) pred = output;   // class indices already
            else throw new IllegalArgumentException(metric + ".update: output of shape " + Arrays.toString(output.shape())
                    + " does not fit target of shape " + Arrays.toString(target.shape())
                    + " (expected scores (B, C) with target (B), or integer class indices of the target's shape)");
            if (pred.numel() != target.numel())
                throw new IllegalArgumentException(metric + ".update: " + pred.numel() + " predictions for " + target.numel()
                        + " targets (output " + Arrays.toString(output.shape()) + ", target " + Arrays.toString(target.shape()) + ")");
            if (target.isFloatingPoint())
                throw new IllegalArgumentException(metric + ".update: target has dtype " + target.dtype() + "; class indices must be integers");
            return new long[][] {pred.toLong().reshape(-1).toLongArray(), target.toLong().reshape(-1).toLongArray()};
        }
    }

    static void checkRange(String metric, long[] classes, int numClasses, String what) {
        for (long c : classes)
            if (c < 0 || c >= numClasses)
                throw new IllegalArgumentException(metric + ".update: " + what + " class " + c + " is out of range for numClasses=" + numClasses
                        + " (must be in [0, " + numClasses + "))");
    }

    static long asLong(java.util.Map<String, Object> sd, String key, String metric) {
        Object v = sd.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException(metric + ".loadStateDict: key '" + key + "' is missing or not a number (got " + v + ")");
        return n.longValue();
    }

    static double asDouble(java.util.Map<String, Object> sd, String key, String metric) {
        Object v = sd.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException(metric + ".loadStateDict: key '" + key + "' is missing or not a number (got " + v + ")");
        return n.doubleValue();
    }

    static void checkKeys(java.util.Map<String, Object> sd, String metric, String... keys) {
        java.util.Set<String> expected = new java.util.LinkedHashSet<>(Arrays.asList(keys));
        for (String k : sd.keySet())
            if (!expected.contains(k)) throw new IllegalArgumentException(metric + ".loadStateDict: unexpected key '" + k + "' (expected " + expected + ")");
        for (String k : keys)
            if (!sd.containsKey(k)) throw new IllegalArgumentException(metric + ".loadStateDict: missing key '" + k + "'");
    }
}
