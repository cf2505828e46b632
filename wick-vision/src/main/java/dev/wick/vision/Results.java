package dev.wick.vision;

import java.util.function.Supplier;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** Runs a per-sample computation in its own scope so its intermediates are freed at once. */
final class Results {
    private Results() {}

    /**
     * Runs {@code body} in a fresh scope, frees its intermediates and hands the result to the caller's
     * scope (or the GC). A result the body did not make in that scope (a cached tensor, say) is returned
     * as it is, with its owner unchanged.
     */
    static Tensor keep(Supplier<Tensor> body) {
        try (Scope s = Scope.open()) {
            Tensor r = body.get();
            try {
                return s.keep(r);
            } catch (IllegalArgumentException notOurs) {
                return r;   // NOTE [foreign result]: Scope has no "owned by" query; keep() says so by throwing
            }
        }
    }
}
