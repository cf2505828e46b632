package dev.wick.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python {@code collections.OrderedDict}: a {@link LinkedHashMap} (insertion order) that also
 * carries the instance attributes Python pickles with it. PyTorch's {@code state_dict()} is an
 * OrderedDict whose {@code _metadata} attribute holds each submodule's version; keeping it lets a
 * state dict read from a PyTorch file be written back unchanged.
 *
 * <pre>{@code
 * var sd = (PyOrderedDict) TorchFiles.load(Path.of("resnet18.pt"));
 * Tensor w = (Tensor) sd.get("conv1.weight");
 * Object versions = sd.attributes().get("_metadata");   // Python: sd._metadata
 * }</pre>
 *
 * A plain {@link Map} written by {@link TorchFiles} becomes a Python {@code dict}; this type becomes an
 * {@code OrderedDict}.
 */
public final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

    public PyOrderedDict() { }

    /** An OrderedDict holding the entries of {@code m}, in its iteration order. */
    public PyOrderedDict(Map<?, ?> m) {
        super(m);
    }

    /** The instance attributes (Python's {@code __dict__}), e.g. {@code _metadata}; mutable. */
    public Map<String, Object> attributes() { return attributes; }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && (!(o instanceof PyOrderedDict p) || attributes.equals(p.attributes));
    }

    @Override
    public int hashCode() { return super.hashCode(); }

    @Override
    public PyOrderedDict clone() {
        PyOrderedDict c = new PyOrderedDict(this);
        c.attributes.putAll(attributes);
        return c;
    }
}
