package dev.wick.checkpoint;

import dev.wick.tensor.DType;
import dev.wick.tensor.Device;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** {@link TensorCodec} for Wick's {@link Tensor}; element types map to {@link DType} by name. */
final class WickTensors implements TensorCodec {
    static final WickTensors INSTANCE = new WickTensors();

    private WickTensors() { }

    static DType dtypeOfType(ElementType t) { return DType.valueOf(t.name()); }

    static ElementType typeOf(DType d) { return ElementType.valueOf(d.name()); }

    @Override
    public Source inspect(Object value) {
        if (!(value instanceof Tensor t)) return null;
        if (!t.isAlive()) throw new IllegalArgumentException("Cannot save a tensor that was already freed (closed or its scope ended)");
        Device device = t.device();
        long nbytes = t.nbytes();
        return new Source(typeOf(t.dtype()), t.shape(), t.requiresGrad(), device.toString(), () -> {
            if (nbytes > ZipReader.MAX_ENTRY_BYTES)
                throw new IllegalArgumentException("Tensor of shape " + java.util.Arrays.toString(t.shape()) + " holds " + nbytes
                        + " bytes; at most " + ZipReader.MAX_ENTRY_BYTES + " bytes per tensor can be written");
            if (device.isCpu()) return t.toBytes();
            return Scope.compute(() -> t.detach().to(Device.CPU).toBytes());
        });
    }

    @Override
    public ElementType dtypeOf(Object value) {
        return value instanceof DType d ? typeOf(d) : null;
    }

    @Override
    public Object dtype(ElementType type) { return dtypeOfType(type); }

    @Override
    public boolean isLeaf(Object value) { return value instanceof Tensor || value instanceof DType; }

    @Override
    public Object storage(ElementType type, byte[] bytes, long numel) {
        return Tensor.fromBytes(bytes, dtypeOfType(type), numel);
    }

    @Override
    public Object view(Object storage, long[] size, long[] stride, long offset) {
        return ((Tensor) storage).asStrided(size, stride, offset);
    }

    @Override
    public Object tensor(ElementType type, byte[] bytes, long[] shape) {
        return Tensor.fromBytes(bytes, dtypeOfType(type), shape);
    }

    @Override
    public void requiresGrad(Object tensor, boolean on) {
        Tensor t = (Tensor) tensor;
        if (t.requiresGrad() != on) t.requiresGrad(on);
    }

    @Override
    public void free(Object tensor) { ((Tensor) tensor).close(); }
}
