package dev.wick.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Element types, with PyTorch's names.
 *
 * <pre>{@code
 * Tensor x = Tensor.zeros(DType.INT64, 3);   // torch.zeros(3, dtype=torch.int64)
 * }</pre>
 */
public enum DType {
    FLOAT32(ScalarType.Float, 4, "float32", true),
    FLOAT64(ScalarType.Double, 8, "float64", true),
    FLOAT16(ScalarType.Half, 2, "float16", true),
    BFLOAT16(ScalarType.BFloat16, 2, "bfloat16", true),
    INT8(ScalarType.Char, 1, "int8", false),
    UINT8(ScalarType.Byte, 1, "uint8", false),
    INT16(ScalarType.Short, 2, "int16", false),
    INT32(ScalarType.Int, 4, "int32", false),
    INT64(ScalarType.Long, 8, "int64", false),
    BOOL(ScalarType.Bool, 1, "bool", false);

    final ScalarType scalarType;
    private final int itemSize;
    private final String torchName;
    private final boolean floatingPoint;

    DType(ScalarType scalarType, int itemSize, String torchName, boolean floatingPoint) {
        this.scalarType = scalarType;
        this.itemSize = itemSize;
        this.torchName = torchName;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int itemSize() { return itemSize; }

    /** PyTorch's name without the {@code torch.} prefix, e.g. {@code "float32"}. */
    public String torchName() { return torchName; }

    /** True for float32/64, float16 and bfloat16. */
    public boolean isFloatingPoint() { return floatingPoint; }

    /** The libtorch scalar type (escape hatch). */
    public ScalarType scalarType() { return scalarType; }

    /** The DType of a libtorch scalar type. */
    public static DType of(ScalarType st) {
        for (DType d : values()) if (d.scalarType.value == st.value) return d;
        throw new IllegalArgumentException("Unsupported libtorch scalar type: " + st);
    }

    /** Parses {@code "float32"}, {@code "torch.float32"}, {@code "float"}, {@code "long"}, ... */
    public static DType parse(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        switch (n) {
            case "float": return FLOAT32;
            case "double": return FLOAT64;
            case "half": return FLOAT16;
            case "long": return INT64;
            case "int": return INT32;
            case "short": return INT16;
            default:
                for (DType d : values()) if (d.torchName.equals(n)) return d;
        }
        throw new IllegalArgumentException("Unknown dtype: '" + name + "' (expected one of float32, float64, float16, bfloat16, int8, uint8, int16, int32, int64, bool)");
    }

    @Override public String toString() { return "torch." + torchName; }
}
