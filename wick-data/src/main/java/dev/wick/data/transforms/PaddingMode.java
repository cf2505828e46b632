package dev.wick.data.transforms;

/** How {@link RandomCrop} pads (torchvision's {@code padding_mode}, less {@code symmetric}). */
public enum PaddingMode {
    /** Pad with the fill value. */
    CONSTANT,
    /** Repeat the edge pixel ({@code replicate}). */
    EDGE,
    /** Mirror without repeating the edge pixel. */
    REFLECT
}
