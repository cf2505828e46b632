package dev.wick.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Walks a batch (tensors inside records, {@link Example}s, lists, arrays, maps and optionals) to find
 * its tensors: to adopt them into a {@link Scope}, or to free them.
 *
 * <pre>{@code
 * for (Example<Tensor, Tensor> batch : loader) {
 *     try (Scope step = Scope.open()) {
 *         Batches.adopt(step, batch);          // the batch is freed with the step
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Use it when the batch was taken with no scope open (a for-each loop takes it before the body
 * opens its scope). When a scope is open on the consuming thread as {@code next()} runs, the
 * {@link DataLoader} already put the batch in it.
 */
public final class Batches {
    private Batches() {}

    /** Adopts every tensor of {@code batch} into {@code scope} (see {@link Scope#adopt}); returns the batch. */
    public static <B> B adopt(Scope scope, B batch) {
        forEachTensor(batch, t -> { if (t.isAlive()) scope.adopt(t); });
        return batch;
    }

    /** Frees every tensor of {@code batch} now. */
    public static void close(Object batch) {
        forEachTensor(batch, Tensor::close);
    }

    /** The tensors of {@code batch}, in walk order (records by component, maps by value). */
    public static List<Tensor> tensors(Object batch) {
        List<Tensor> out = new ArrayList<>();
        forEachTensor(batch, out::add);
        return out;
    }

    /** Calls {@code action} on each tensor reachable in {@code batch}. */
    public static void forEachTensor(Object batch, Consumer<Tensor> action) {
        if (batch == null) return;
        if (batch instanceof Tensor t) {
            action.accept(t);
        } else if (batch instanceof Example<?, ?> e) {
            forEachTensor(e.input(), action);
            forEachTensor(e.target(), action);
        } else if (batch instanceof Record) {
            Records.Shape s = Records.shape(batch.getClass());
            for (int i = 0; i < s.names().length; i++) {
                if (!s.types()[i].isPrimitive()) forEachTensor(Records.component(s, i, batch), action);
            }
        } else if (batch instanceof Map<?, ?> m) {
            for (Object v : m.values()) forEachTensor(v, action);
        } else if (batch instanceof Iterable<?> it) {
            for (Object v : it) forEachTensor(v, action);
        } else if (batch instanceof Object[] arr) {
            for (Object v : arr) forEachTensor(v, action);
        } else if (batch instanceof Optional<?> o) {
            o.ifPresent(v -> forEachTensor(v, action));
        }
    }
}
