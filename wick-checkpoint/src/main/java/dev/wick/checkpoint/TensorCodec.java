package dev.wick.checkpoint;

import java.io.IOException;

/**
 * What the file formats need from a tensor type: its element bytes and description when writing, and
 * storages, strided views and dtypes when reading. {@link WickTensors} implements it for Wick's
 * {@code Tensor}; the parsers themselves never see a native type.
 */
interface TensorCodec {

    /** A tensor about to be written: its contiguous little-endian bytes come from {@code bytes}. */
    record Source(ElementType type, long[] shape, boolean requiresGrad, String location, BytesSupplier bytes) { }

    @FunctionalInterface
    interface BytesSupplier {
        byte[] get() throws IOException;
    }

    /** The tensor behind {@code value}, or null when {@code value} is not a tensor. */
    Source inspect(Object value);

    /** The element type {@code value} names when it is a dtype, else null. */
    ElementType dtypeOf(Object value);

    /** The dtype value of {@code type}. */
    Object dtype(ElementType type);

    /** Whether {@code value} is a tensor or dtype this codec made (a leaf of a loaded value). */
    boolean isLeaf(Object value);

    /** A one-dimensional tensor of {@code numel} elements holding {@code bytes}: the storage views share. */
    Object storage(ElementType type, byte[] bytes, long numel);

    /** A strided view of {@code storage} (bounds already checked). */
    Object view(Object storage, long[] size, long[] stride, long offset);

    /** A new tensor of {@code shape} holding {@code bytes}. */
    Object tensor(ElementType type, byte[] bytes, long[] shape);

    /** Sets requires_grad on a tensor this codec made. */
    void requiresGrad(Object tensor, boolean on);

    /** Frees a tensor this codec made. */
    void free(Object tensor);
}
