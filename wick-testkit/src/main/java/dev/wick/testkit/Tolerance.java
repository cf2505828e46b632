package dev.wick.testkit;

/**
 * How far a value may be from its golden value {@code e}:
 * {@code |actual − e| ≤ rel·max(floor, |e|) + ofScale·max|E| + abs}, where {@code max|E|} is the
 * largest magnitude of the golden tensor the value belongs to. A NaN golden value needs a NaN, an
 * infinite one the same infinity, and equal values always pass.
 *
 * <pre>{@code
 * Tolerance.exact()                                 // equal values (-0.0 equals 0.0; Golden.assertBitEqual tells them apart)
 * Tolerance.relative(1e-9)                          // |a − e| ≤ 1e-9·|e|
 * Tolerance.relative(1e-6).withFloor(1)             // 1e-6 relative, 1e-6 absolute below magnitude 1
 * Tolerance.relative(1e-5).plusOfScale(1e-6)        // near-zero elements judged against the tensor's scale
 * Tolerance.absolute(2)                             // |a − e| ≤ 2 (8-bit pixels)
 * }</pre>
 */
public record Tolerance(double rel, double floor, double ofScale, double abs) {
    public Tolerance {
        check("rel", rel);
        check("floor", floor);
        check("ofScale", ofScale);
        check("abs", abs);
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("Invalid tolerance " + name + ": " + v + " (must be finite and >= 0)");
    }

    /** Only equal values (or NaN for NaN). */
    public static Tolerance exact() { return new Tolerance(0, 0, 0, 0); }

    /** {@code |a − e| ≤ rtol·|e|}. */
    public static Tolerance relative(double rtol) { return new Tolerance(rtol, 0, 0, 0); }

    /** {@code |a − e| ≤ atol}. */
    public static Tolerance absolute(double atol) { return new Tolerance(0, 0, 0, atol); }

    /** The relative part taken of {@code max(floor, |e|)}: values below {@code floor} in magnitude get {@code rel·floor} absolute. */
    public Tolerance withFloor(double floor) { return new Tolerance(rel, floor, ofScale, abs); }

    /** Adds {@code fraction} of the golden tensor's largest magnitude. */
    public Tolerance plusOfScale(double fraction) { return new Tolerance(rel, floor, fraction, abs); }

    /** Adds an absolute term. */
    public Tolerance plus(double atol) { return new Tolerance(rel, floor, ofScale, atol); }

    /** The largest difference allowed from golden value {@code e} of a tensor whose largest magnitude is {@code scale}. */
    public double bound(double e, double scale) {
        double relative = rel == 0 ? 0 : rel * Math.max(floor, Math.abs(e));
        double absolute = (ofScale == 0 ? 0 : ofScale * scale) + abs;
        return relative + absolute;
    }

    /** Whether {@code actual} is close enough to golden value {@code expected}. */
    public boolean accepts(double expected, double actual, double scale) {
        if (Double.isNaN(expected)) return Double.isNaN(actual);
        if (expected == actual) return true;
        if (Double.isInfinite(expected)) return false;
        return Math.abs(actual - expected) <= bound(expected, scale);
    }

    @Override
    public String toString() {
        if (rel == 0 && ofScale == 0 && abs == 0) return "exact";
        StringBuilder b = new StringBuilder();
        if (rel != 0) b.append(rel).append(floor == 0 ? "·|e|" : "·max(" + floor + ", |e|)");
        if (ofScale != 0) b.append(b.length() > 0 ? " + " : "").append(ofScale).append("·max|E|");
        if (abs != 0) b.append(b.length() > 0 ? " + " : "").append(abs);
        return b.toString();
    }
}
