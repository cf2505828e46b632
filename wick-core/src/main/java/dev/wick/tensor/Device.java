package dev.wick.tensor;

import java.util.Objects;

/**
 * Where a tensor lives: {@code cpu} or {@code cuda:N}. Wick ships CPU natives; a CUDA build of the
 * natives makes {@code cuda} devices usable without code changes.
 *
 * <pre>{@code
 * Device d = Device.parse("cuda:0");
 * }</pre>
 */
public final class Device {
    /** The host CPU. */
    public static final Device CPU = new Device("cpu", -1);

    private final String type;
    private final int index;

    private Device(String type, int index) { this.type = type; this.index = index; }

    /** {@code cuda:index}. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("Invalid CUDA device index: " + index + " (must be >= 0)");
        return new Device("cuda", index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}. */
    public static Device parse(String s) {
        String t = s.trim();
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try { return cuda(Integer.parseInt(t.substring(5))); }
            catch (NumberFormatException e) { /* fall through */ }
        }
        throw new IllegalArgumentException("Invalid device: '" + s + "' (expected cpu, cuda or cuda:N)");
    }

    public String type() { return type; }
    public int index() { return index; }
    public boolean isCpu() { return type.equals("cpu"); }
    public boolean isCuda() { return type.equals("cuda"); }

    /** Whether libtorch sees a usable CUDA device. */
    public static boolean cudaAvailable() {
        Engine.init();
        return org.bytedeco.pytorch.global.torch.cuda_is_available();
    }

    org.bytedeco.pytorch.Device toNative() {
        return isCpu() ? new org.bytedeco.pytorch.Device("cpu") : new org.bytedeco.pytorch.Device("cuda:" + index);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Device d && d.type.equals(type) && d.index == index;
    }
    @Override public int hashCode() { return Objects.hash(type, index); }
    @Override public String toString() { return index < 0 ? type : type + ":" + index; }
}
