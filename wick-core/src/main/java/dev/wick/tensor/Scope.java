package dev.wick.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Owns the native memory of every tensor made inside it, on this thread, and frees it on
 * {@link #close()}. What must outlive the scope is kept explicitly.
 *
 * <pre>{@code
 * for (var batch : loader) {
 *     try (Scope step = Scope.open()) {          // one scope per training step
 *         Batches.adopt(step, batch);             // a batch made on a loader thread is now owned here
 *         Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
 *         loss.backward();
 *         opt.step();
 *         lossSum += loss.item();                 // a Java value escapes freely
 *         last = step.keep(loss.detach());        // a tensor escapes only by keep()
 *     }
 * }
 * }</pre>
 *
 * <p>Ownership rules:
 * <ul>
 *   <li>A tensor made while a scope is open on the current thread belongs to the innermost one.</li>
 *   <li>A tensor made with no scope open belongs to the garbage collector: a {@link java.lang.ref.Cleaner}
 *       frees it when it becomes unreachable. Parameters, optimizer state and data sets live this way.
 *       Because the GC cannot see native bytes, Wick counts them and asks for a collection after
 *       {@code -Dwick.gc.nativeBytes} (default 1 GiB) of such tensors were made.</li>
 *   <li>{@link #keep(Tensor)} moves a tensor to the enclosing scope, or to the GC when there is none.
 *       {@link #adopt(Tensor)} takes a tensor from wherever it is owned (another thread, the GC).</li>
 *   <li>{@link Tensor#close()} frees a tensor at once, whoever owns it.</li>
 *   <li>Using a freed tensor throws {@link IllegalStateException} naming where it was made (with
 *       {@link #debug(boolean)} on) and never crashes the JVM.</li>
 * </ul>
 * Scopes nest and must be closed in the reverse order of opening, on the thread that opened them.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    static volatile boolean debug = Boolean.getBoolean("wick.scope.debug");
    private static volatile Consumer<String> debugSink = System.err::println;

    private final Scope parent;
    private final Thread thread;
    private Tensor[] owned = new Tensor[64];
    private int size;
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    /** Opens a scope on the current thread, nested in the current one if any. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    public static Scope current() { return CURRENT.get(); }

    /**
     * Turns leak and use-after-free diagnostics on: every tensor records where it was made, and a
     * closing scope reports the tensors it frees that nobody kept, grouped by where they were made.
     */
    public static void debug(boolean on) { debug = on; }

    /** Where debug reports go (standard error by default). */
    public static void debugSink(Consumer<String> sink) { debugSink = sink; }

    static void register(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) s.add(t);
        else GcOwner.own(t);
    }

    private void add(Tensor t) {
        t.owner = this;
        if (size == owned.length) compact();
        owned[size++] = t;
    }

    /** Drops entries no longer owned by this scope; grows the array when they are all live. */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) if (owned[i].owner == this) owned[n++] = owned[i];
        for (int i = n; i < size; i++) owned[i] = null;
        size = n;
        if (size > owned.length / 2) owned = java.util.Arrays.copyOf(owned, owned.length * 2);
    }

    /**
     * Lets {@code t} outlive this scope: it moves to the enclosing scope, or to the garbage collector
     * when this is the outermost one. Returns {@code t}.
     */
    public <T extends Tensor> T keep(T t) {
        checkOpen();
        t.checkAlive();
        if (!t.transfer(this, parent != null ? parent : GcOwner.INSTANCE)) {
            throw new IllegalArgumentException("keep(): the tensor is not owned by this scope (owner: " + t.ownerName() + ")");
        }
        if (parent != null) parent.add(t); else GcOwner.own(t);
        return t;
    }

    /** Keeps every tensor of a collection (see {@link #keep(Tensor)}). */
    public <C extends Iterable<? extends Tensor>> C keepAll(C ts) {
        for (Tensor t : ts) keep(t);
        return ts;
    }

    /**
     * Takes ownership of {@code t} from wherever it is owned: a scope of another thread, an outer
     * scope, or the garbage collector. Used for a batch handed over by a loader thread.
     */
    public <T extends Tensor> T adopt(T t) {
        checkOpen();
        t.checkAlive();
        Object prev;
        while (true) {
            prev = t.owner;
            if (prev == this) return t;
            if (prev == Tensor.FREED) throw new IllegalStateException("adopt(): tensor already freed");
            if (t.transfer(prev, this)) break;
        }
        if (prev == GcOwner.INSTANCE) t.disownGc();
        add(t);
        return t;
    }

    /** Whether this scope owns {@code t} now. */
    public boolean owns(Tensor t) { return t.owner == this; }

    /** Keeps {@code t} if this scope owns it, else returns it untouched. */
    public <T extends Tensor> T keepIfOwned(T t) { return owns(t) ? keep(t) : t; }

    /** Number of tensors this scope still owns. */
    public int ownedCount() {
        int n = 0;
        for (int i = 0; i < size; i++) if (owned[i].owner == this) n++;
        return n;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("Scope is closed");
    }

    /** Frees every tensor this scope still owns. */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread)
            throw new IllegalStateException("Scope closed on thread '" + Thread.currentThread().getName() + "' but opened on '" + thread.getName() + "'");
        if (CURRENT.get() != this)
            throw new IllegalStateException("Scopes must be closed innermost first");
        closed = true;
        CURRENT.set(parent);
        Map<String, Integer> report = debug ? new LinkedHashMap<>() : null;
        Throwable closedAt = debug ? new Throwable("freed by a scope closed here") : null;
        for (int i = 0; i < size; i++) {
            Tensor t = owned[i];
            owned[i] = null;
            if (t.transfer(this, Tensor.FREED)) {
                if (report != null) report.merge(t.origin(), 1, Integer::sum);
                t.freeNative(closedAt);
            }
        }
        size = 0;
        if (report != null && !report.isEmpty()) {
            StringBuilder sb = new StringBuilder("[wick] scope closed: freed ")
                    .append(report.values().stream().mapToInt(Integer::intValue).sum())
                    .append(" tensor(s) nobody kept, by where they were made:");
            report.forEach((site, n) -> sb.append("\n  ").append(n).append(" x ").append(site));
            debugSink.accept(sb.toString());
        }
    }

    /** Runs {@code body} in a fresh scope and returns its result kept out of the scope. */
    public static Tensor run(java.util.function.Supplier<Tensor> body) {
        try (Scope s = open()) {
            return s.keep(body.get());
        }
    }

    /** Runs {@code body} in a fresh scope and returns its Java result (tensors inside are freed). */
    public static <R> R compute(java.util.function.Supplier<R> body) {
        try (Scope s = open()) {
            return body.get();
        }
    }

    /**
     * Runs {@code body} with no scope open on this thread, so every tensor it makes is owned by the
     * garbage collector and outlives the enclosing scopes. For long-lived state created lazily inside a
     * step: optimizer state, caches of a module.
     */
    public static <R> R outside(java.util.function.Supplier<R> body) {
        Scope saved = CURRENT.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            if (saved != null) CURRENT.set(saved);
        }
    }

    /**
     * Hands {@code t} to the garbage collector, whoever owns it now (a scope of this or another
     * thread): it outlives every scope. Returns {@code t}.
     */
    public static <T extends Tensor> T detachFromScopes(T t) {
        t.checkAlive();
        while (true) {
            Object prev = t.owner;
            if (prev == GcOwner.INSTANCE) return t;
            if (prev == Tensor.FREED) throw new IllegalStateException("detachFromScopes(): tensor already freed");
            if (t.transfer(prev, GcOwner.INSTANCE)) break;
        }
        GcOwner.own(t);
        return t;
    }

    /** Counters of the tensors the garbage collector owns (for leak checks). */
    public static long gcOwnedLive() { return GcOwner.live(); }

    /** Lists the debug origins of the tensors open scopes own on this thread (debug mode). */
    public List<String> ownedOrigins() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size; i++) if (owned[i].owner == this) out.add(owned[i].origin());
        return out;
    }

    @Override public String toString() { return "Scope@" + Integer.toHexString(hashCode()) + "(" + ownedCount() + " tensors)"; }
}
