package dev.wick.checkpoint;

/**
 * The element types the file formats know, with their names in each format. Kept free of
 * {@code dev.wick.tensor} so the parsers can be read (and tested) without libtorch; the mapping to
 * {@code DType} is by constant name and lives in {@link WickTensors}.
 *
 * <p>NOTE [safetensors order]: {@link #safetensorsRank} is the position of the code in the reference
 * implementation's dtype enum, which is declared in increasing alignment order. Its writer lays
 * tensors out by descending rank, then by name, so that every tensor's data stays aligned.
 */
enum ElementType {
    FLOAT32(4, "FloatStorage", "float32", "F32", 15),
    FLOAT64(8, "DoubleStorage", "float64", "F64", 17),
    FLOAT16(2, "HalfStorage", "float16", "F16", 11),
    BFLOAT16(2, "BFloat16Storage", "bfloat16", "BF16", 12),
    INT8(1, "CharStorage", "int8", "I8", 5),
    UINT8(1, "ByteStorage", "uint8", "U8", 4),
    INT16(2, "ShortStorage", "int16", "I16", 9),
    INT32(4, "IntStorage", "int32", "I32", 13),
    INT64(8, "LongStorage", "int64", "I64", 18),
    BOOL(1, "BoolStorage", "bool", "BOOL", 0);

    final int itemSize;
    /** PyTorch's legacy typed-storage class, pickled as the global {@code torch.<storageClass>}. */
    final String storageClass;
    /** PyTorch's dtype name, pickled as the global {@code torch.<torchName>}. */
    final String torchName;
    /** The safetensors dtype code. */
    final String safetensorsCode;
    final int safetensorsRank;

    ElementType(int itemSize, String storageClass, String torchName, String safetensorsCode, int safetensorsRank) {
        this.itemSize = itemSize;
        this.storageClass = storageClass;
        this.torchName = torchName;
        this.safetensorsCode = safetensorsCode;
        this.safetensorsRank = safetensorsRank;
    }

    static ElementType ofStorageClass(String name) {
        for (ElementType t : values()) if (t.storageClass.equals(name)) return t;
        return null;
    }

    static ElementType ofTorchName(String name) {
        for (ElementType t : values()) if (t.torchName.equals(name)) return t;
        return null;
    }

    static ElementType ofSafetensorsCode(String code) {
        for (ElementType t : values()) if (t.safetensorsCode.equals(code)) return t;
        return null;
    }
}
