package dev.wick.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Python tuple. Tuples get their own type (rather than a {@link List}) so that a value read from a
 * PyTorch file and written back stays a tuple: optimizer {@code betas}, {@code torch.Size} and the
 * tuples of user checkpoints keep their Python type across a round trip.
 *
 * <pre>{@code
 * Map<String, Object> group = new LinkedHashMap<>();
 * group.put("betas", PyTuple.of(0.9, 0.999));      // Python: 'betas': (0.9, 0.999)
 * double beta1 = (Double) ((PyTuple) group.get("betas")).get(0);
 * }</pre>
 *
 * @param items the elements, unmodifiable (null elements are Python {@code None})
 */
public record PyTuple(List<Object> items) {
    private static final PyTuple EMPTY = new PyTuple(List.of());

    public PyTuple {
        Objects.requireNonNull(items, "items");
        items = Collections.unmodifiableList(Arrays.asList(items.toArray()));
    }

    /** The tuple of {@code items} (may contain nulls). */
    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(Arrays.asList(items));
    }

    /** Element {@code i}. */
    public Object get(int i) { return items.get(i); }

    /** Number of elements. */
    public int size() { return items.size(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(items.get(i));
        }
        return sb.append(items.size() == 1 ? ",)" : ")").toString();
    }
}
