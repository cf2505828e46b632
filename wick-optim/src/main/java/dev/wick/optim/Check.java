package dev.wick.optim;

import java.util.List;

/**
 * Reads and validates a group's options, with errors that name the option and the value, worded as
 * PyTorch's ({@code Invalid learning rate: -0.1}).
 */
final class Check {
    private Check() {}

    /** The option as a number; an error naming it when it is missing or of another type. */
    static double number(ParamGroup g, String key) {
        Object v = g.get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(missingOrType(g, key, v, "a number"));
    }

    /** The option as a whole number. */
    static long integer(ParamGroup g, String key) {
        Object v = g.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()))
            return n.longValue();
        throw new IllegalArgumentException(missingOrType(g, key, v, "a whole number"));
    }

    static boolean bool(ParamGroup g, String key) {
        Object v = g.get(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(missingOrType(g, key, v, "a boolean"));
    }

    /** {@code Invalid <label>: <value>}, with {@code (<rule>)} after it when a rule is given. */
    static IllegalArgumentException invalid(String label, Object value, String rule) {
        return new IllegalArgumentException("Invalid " + label + ": " + value + (rule == null ? "" : " (" + rule + ")"));
    }

    /** A number {@code >= 0} (NaN rejected): {@code Invalid <label>: <value>}. */
    static double nonNegative(ParamGroup g, String key, String label) {
        double v = number(g, key);
        if (!(v >= 0.0)) throw invalid(label, v, null);
        return v;
    }

    /** A number in [0, 1]: {@code Invalid rho value: 1.1 (must be in [0, 1])}. */
    static double unitInterval(ParamGroup g, String key, String label) {
        double v = number(g, key);
        if (!(v >= 0.0 && v <= 1.0)) throw invalid(label, v, "must be in [0, 1]");
        return v;
    }

    /** A whole number {@code >= 1}: {@code Invalid max_iter value: 0 (must be >= 1)}. */
    static long positive(ParamGroup g, String key, String label) {
        long v = integer(g, key);
        if (v < 1) throw invalid(label, v, "must be >= 1");
        return v;
    }

    /** {@code lr >= 0}: {@code Invalid learning rate: -0.1}. */
    static double lr(ParamGroup g) { return nonNegative(g, "lr", "learning rate"); }

    /** {@code eps >= 0}: {@code Invalid epsilon value: -1.0E-8}. */
    static double eps(ParamGroup g) { return nonNegative(g, "eps", "epsilon value"); }

    /** {@code weight_decay >= 0}. */
    static double weightDecay(ParamGroup g) { return nonNegative(g, "weight_decay", "weight_decay value"); }

    /** {@code betas}: a list of two numbers, each in [0, 1). */
    static double[] betas(ParamGroup g) {
        Object v = g.get("betas");
        if (!(v instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Number) || !(l.get(1) instanceof Number))
            throw new IllegalArgumentException(missingOrType(g, "betas", v, "a list of two numbers (beta1, beta2)"));
        double b1 = ((Number) l.get(0)).doubleValue(), b2 = ((Number) l.get(1)).doubleValue();
        if (!(b1 >= 0.0 && b1 < 1.0)) throw invalid("beta parameter at index 0", b1, "must be in [0, 1)");
        if (!(b2 >= 0.0 && b2 < 1.0)) throw invalid("beta parameter at index 1", b2, "must be in [0, 1)");
        return new double[]{b1, b2};
    }

    /** The options every Adam variant has, in PyTorch's order: lr, eps, betas, weight_decay. */
    static void adamCommon(ParamGroup g) {
        lr(g);
        eps(g);
        betas(g);
        weightDecay(g);
    }

    /** {@code maximize}: a boolean. */
    static boolean maximize(ParamGroup g) { return bool(g, "maximize"); }

    /**
     * PyTorch's implementation switches ({@code foreach}, {@code fused}: None or a boolean) are kept
     * for state-dict compatibility and ignored: Wick always uses its multi-tensor kernels.
     */
    static void implSwitch(ParamGroup g, String key) {
        if (!g.has(key)) return;
        Object v = g.get(key);
        if (v != null && !(v instanceof Boolean))
            throw new IllegalArgumentException(missingOrType(g, key, v, "None or a boolean"));
    }

    /** {@code differentiable} / {@code capturable}: accepted only as false (Wick has neither mode). */
    static void unsupportedTrue(ParamGroup g, String key) {
        if (!g.has(key)) return;
        Object v = g.get(key);
        if (v == null || Boolean.FALSE.equals(v)) return;
        if (Boolean.TRUE.equals(v))
            throw new IllegalArgumentException("Unsupported option " + key + "=True: Wick's optimizers have no " + key + " mode");
        throw new IllegalArgumentException(missingOrType(g, key, v, "a boolean"));
    }

    private static String missingOrType(ParamGroup g, String key, Object v, String expected) {
        if (!g.has(key)) return "Missing option '" + key + "' (expected " + expected + ")";
        return "Invalid " + key + ": " + (v == null ? "None" : v + " (" + typeName(v) + ")") + ", expected " + expected;
    }

    private static String typeName(Object v) {
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Long || v instanceof Integer) return "an integer";
        if (v instanceof Double || v instanceof Float) return "a float";
        if (v instanceof List<?> l) return "a list of " + l.size();
        if (v instanceof java.util.Map<?, ?>) return "a map";
        return v.getClass().getSimpleName();
    }
}
