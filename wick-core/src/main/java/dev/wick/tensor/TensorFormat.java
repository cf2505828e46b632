package dev.wick.tensor;

import java.util.Locale;

/** PyTorch-like printing: precision 4, shared format per tensor, summarised beyond 1000 elements. */
final class TensorFormat {
    private static final int THRESHOLD = 1000, EDGE = 3, PRECISION = 4;

    private TensorFormat() {}

    static String format(Tensor t) {
        DType dt = t.dtype();
        long[] shape = t.shape();
        StringBuilder suffix = new StringBuilder();
        if (dt != DType.FLOAT32 && dt != DType.INT64 && dt != DType.BOOL) suffix.append(", dtype=").append(dt);
        if (t.numel() == 0) {
            if (shape.length != 1) suffix.insert(0, ", size=" + java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')'));
            return "tensor([]" + suffix + ")";
        }
        boolean summarize = t.numel() > THRESHOLD;
        double[] v;
        boolean isBool = dt == DType.BOOL;
        try (Scope s = Scope.open()) {
            v = t.detach().toDoubleArray();
        }
        String fn = t.gradFnName();
        if (fn != null) suffix.append(", grad_fn=<").append(fn).append('>');
        else if (t.requiresGrad()) suffix.append(", requires_grad=True");
        Fmt f = new Fmt(v, dt, isBool);
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.length == 0) {
            sb.append(f.fmt(v[0]).strip());
        } else {
            long[] strides = new long[shape.length];
            long st = 1;
            for (int i = shape.length - 1; i >= 0; i--) { strides[i] = st; st *= shape[i]; }
            rec(sb, v, shape, strides, 0, 0, f, summarize, 7);
        }
        return sb.append(suffix).append(')').toString();
    }

    private static void rec(StringBuilder sb, double[] v, long[] shape, long[] strides, int d, long off, Fmt f, boolean sum, int indent) {
        sb.append('[');
        long n = shape[d];
        boolean last = d == shape.length - 1;
        for (long i = 0; i < n; i++) {
            if (sum && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? " ..., " : "...,\n" + " ".repeat(indent + d + 1).replace("", "").substring(0, 0) + newlines(shape.length - d - 1, indent + d + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (last) sb.append(f.fmt(v[(int) (off + i * strides[d])]));
            else rec(sb, v, shape, strides, d + 1, off + i * strides[d], f, sum, indent);
            if (i < n - 1) {
                if (last) sb.append(", ");
                else sb.append(",").append(newlines(shape.length - d - 1, indent + d + 1));
            }
        }
        sb.append(']');
    }

    private static String newlines(int count, int indent) {
        return "\n".repeat(count) + " ".repeat(indent);
    }

    private static final class Fmt {
        final boolean intLike, sci, isBool, isInt;
        final int width;
        Fmt(double[] v, DType dt, boolean isBool) {
            this.isBool = isBool;
            this.isInt = !dt.isFloatingPoint() && !isBool;
            boolean allInt = true;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (double x : v) {
                if (!Double.isFinite(x)) continue;
                if (x != Math.rint(x)) allInt = false;
                double a = Math.abs(x);
                if (a > maxAbs) maxAbs = a;
                if (a != 0 && a < minAbs) minAbs = a;
            }
            intLike = allInt;
            boolean any = minAbs != Double.MAX_VALUE;
            sci = !isInt && !isBool && any && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!allInt && minAbs < 1e-4));
            int w = 0;
            for (double x : v) w = Math.max(w, raw(x).length());
            width = w;
        }
        String raw(double x) {
            if (isBool) return x != 0 ? "True" : "False";
            if (isInt) return Long.toString((long) x);
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            if (sci) return String.format(Locale.ROOT, "%." + PRECISION + "e", x).replace("e+0", "e+0").replaceAll("e([+-])(\\d)$", "e$10$2");
            if (intLike) return String.format(Locale.ROOT, "%.0f.", x);
            return String.format(Locale.ROOT, "%." + PRECISION + "f", x);
        }
        String fmt(double x) {
            String s = raw(x);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
