package dev.wick.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A restricted unpickler: it builds only Java values (lists, maps, tuples, numbers, strings, bytes)
 * and whatever the {@link Globals} it is given hand back for the few globals they allow. It never
 * loads a class by name and never runs code named by the file. Every length is checked against the
 * bytes that remain before anything is allocated; the memo, the mark stack and the nesting of the
 * result are capped.
 *
 * <p>Opcodes: the binary subset of protocols 2 to 5 that a {@code torch.save} pickle can contain
 * (PyTorch writes protocol 2). The text opcodes of protocols 0 and 1, sets and out-of-band buffers
 * are refused.
 */
final class PickleReader {
    /** At most this many memo entries (a state dict needs about 8 per tensor). */
    static final int MAX_MEMO = 4_000_000;
    /** At most this many values on the stack at once (PyTorch's pickles keep it near 1000). */
    static final int MAX_STACK = 4_000_000;
    /**
     * At most this many values made in total, which bounds the memory a small hostile pickle can
     * claim (roughly 64 bytes per value) while leaving room for lists of millions of ints.
     */
    static final int MAX_VALUES = 16_000_000;
    static final int MAX_MARK_DEPTH = 10_000;
    static final int MAX_NESTING = 1_000;
    static final int MAX_KEY_NESTING = 100;
    static final int MAX_LONG_BYTES = 1024;
    static final int MAX_GLOBAL_LINE = 256;

    /** Resolves {@code module.name}; refuses what is not allowed by throwing. */
    interface Globals {
        Object find(String module, String name) throws CheckpointFormatException;
    }

    /** Called by REDUCE (and NEWOBJ) with the argument tuple. */
    interface Call {
        Object apply(PyTuple args) throws CheckpointFormatException;
    }

    /** A global that may be called: REDUCE applies {@code reduce}; NEWOBJ applies {@code newObj} (null: refused). */
    record Callable(String qualifiedName, Call reduce, Call newObj) {
        @Override public String toString() { return qualifiedName; }
    }

    /** A global that is a value (a type or a storage class) but not callable. */
    record Marker(String qualifiedName, Object payload) {
        @Override public String toString() { return qualifiedName; }
    }

    /** Resolves a persistent id (PyTorch's storages). */
    interface PersistentLoader {
        Object load(Object pid) throws CheckpointFormatException;
    }

    private final byte[] in;
    private final String where;
    private final Globals globals;
    private final PersistentLoader persistent;
    private final Predicate<Object> hashableLeaf;
    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markDepth;
    private final HashMap<Long, Object> memo = new HashMap<>();
    private int pos;
    private int opAt;
    private int made;

    /**
     * @param where        names the pickle in error messages, e.g. {@code "model.pt: archive/data.pkl"}
     * @param hashableLeaf which objects made by {@code globals} may be dict keys (tensors and dtypes)
     */
    PickleReader(byte[] in, String where, Globals globals, PersistentLoader persistent, Predicate<Object> hashableLeaf) {
        this.in = in;
        this.where = where;
        this.globals = globals;
        this.persistent = persistent;
        this.hashableLeaf = hashableLeaf;
    }

    CheckpointFormatException bad(String message) {
        return new CheckpointFormatException(where + ": " + message + " (at byte " + opAt + ")");
    }

    /** Runs the pickle to its STOP and returns the result. */
    Object load() throws CheckpointFormatException {
        try {
            return run();
        } catch (CheckpointFormatException e) {
            if (e.getMessage() != null && e.getMessage().contains(" (at byte ")) throw e;
            throw new CheckpointFormatException(e.getMessage() + " (at byte " + opAt + ")", e.getCause());
        }
    }

    private Object run() throws CheckpointFormatException {
        while (true) {
            if (pos >= in.length) throw bad("pickle ends without a STOP opcode (truncated)");
            opAt = pos;
            int op = in[pos++] & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int v = u8();
                    if (v > 5) throw bad("unsupported pickle protocol " + v);
                }
                case 0x95 -> { // FRAME: a length hint only
                    long n = i64();
                    if (n < 0 || n > in.length - pos) throw bad("frame of " + Long.toUnsignedString(n) + " bytes runs past the end of the pickle");
                }
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> { // MARK
                    if (markDepth == MAX_MARK_DEPTH) throw bad("more than " + MAX_MARK_DEPTH + " nested marks");
                    if (markDepth == marks.length) marks = java.util.Arrays.copyOf(marks, marks.length * 2);
                    marks[markDepth++] = stack.size();
                }
                case '0' -> { // POP
                    if (stack.size() == base() && markDepth > 0) markDepth--;
                    else pop();
                }
                case '1' -> popMark(); // POP_MARK
                case '2' -> pushExisting(peek()); // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) i32()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16()); // BININT2
                case 0x8a -> push(decodeLong(u8())); // LONG1
                case 0x8b -> { // LONG4
                    int n = i32();
                    if (n < 0 || n > MAX_LONG_BYTES) throw bad("LONG4 of " + n + " bytes (at most " + MAX_LONG_BYTES + " accepted)");
                    push(decodeLong(n));
                }
                case 'G' -> { // BINFLOAT, big-endian
                    need(8);
                    long bits = 0;
                    for (int i = 0; i < 8; i++) bits = (bits << 8) | (in[pos++] & 0xFF);
                    push(Double.longBitsToDouble(bits));
                }
                case 'X' -> push(utf8(length(u32()))); // BINUNICODE
                case 0x8c -> push(utf8(length(u8()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(i64()))); // BINUNICODE8
                case 'U' -> push(utf8(length(u8()))); // SHORT_BINSTRING: torch.load decodes these as UTF-8
                case 'T' -> push(utf8(length(i32()))); // BINSTRING
                case 'C' -> push(bytes(length(u8()))); // SHORT_BINBYTES
                case 'B' -> push(bytes(length(u32()))); // BINBYTES
                case 0x8e -> push(bytes(length(i64()))); // BINBYTES8
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(PyTuple.of());
                case 't' -> push(new PyTuple(popMark()));
                case 0x85 -> push(PyTuple.of(pop()));
                case 0x86 -> { Object b = pop(), a = pop(); push(PyTuple.of(a, b)); }
                case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(PyTuple.of(a, b, c)); }
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putPairs(m, items);
                    push(m);
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek(), "APPEND").add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), "APPENDS").addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop(), k = pop();
                    map(peek(), "SETITEM").put(key(k), v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(map(peek(), "SETITEMS"), items);
                }
                case 'c' -> { // GLOBAL
                    String module = line(), name = line();
                    push(globals.find(module, name));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL needs two strings");
                    push(globals.find(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), f = pop();
                    if (!(f instanceof Callable c) || c.reduce() == null) throw bad("REDUCE on " + describe(f) + ", which is not an allowed callable");
                    push(c.reduce().apply(tuple(args, c)));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop(), cls = pop();
                    if (!(cls instanceof Callable c) || c.newObj() == null) throw bad("NEWOBJ on " + describe(cls) + ", which may not be instantiated");
                    push(c.newObj().apply(tuple(args, c)));
                }
                case 'b' -> build(pop(), peek()); // BUILD
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(u32()); // LONG_BINPUT
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> pushExisting(memoGet(u8())); // BINGET
                case 'j' -> pushExisting(memoGet(u32())); // LONG_BINGET
                case 'Q' -> push(persistent.load(pop())); // BINPERSID
                case 0x8f, 0x90, 0x91 -> throw bad("Python sets are not supported");
                default -> throw bad(String.format("unsupported pickle opcode 0x%02x%s", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
            }
        }
    }

    // ------------------------------------------------------------------ stack

    private int base() { return markDepth == 0 ? 0 : marks[markDepth - 1]; }

    /** Pushes a value just made. */
    private void push(Object o) throws CheckpointFormatException {
        if (++made > MAX_VALUES) throw bad("the pickle makes more than " + MAX_VALUES + " values");
        pushExisting(o);
    }

    /** Pushes a value already counted (memo reads, DUP). */
    private void pushExisting(Object o) throws CheckpointFormatException {
        if (stack.size() >= MAX_STACK) throw bad("more than " + MAX_STACK + " values on the pickle stack");
        stack.add(o);
    }

    private Object pop() throws CheckpointFormatException {
        if (stack.size() <= base()) throw bad("pickle stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws CheckpointFormatException {
        if (stack.size() <= base()) throw bad("pickle stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws CheckpointFormatException {
        if (markDepth == 0) throw bad("no MARK on the pickle stack");
        int from = marks[--markDepth];
        List<Object> tail = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private void memoPut(long index) throws CheckpointFormatException {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) throw bad("more than " + MAX_MEMO + " memo entries");
        memo.put(index, peek());
    }

    private Object memoGet(long index) throws CheckpointFormatException {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) throw bad("memo entry " + index + " is read before it was stored");
        return v;
    }

    // ------------------------------------------------------------------ containers

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String op) throws CheckpointFormatException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw bad(op + " needs a list, not " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o, String op) throws CheckpointFormatException {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw bad(op + " needs a dict, not " + describe(o));
    }

    private void putPairs(Map<Object, Object> m, List<Object> items) throws CheckpointFormatException {
        if (items.size() % 2 != 0) throw bad("odd number of items (" + items.size() + ") for a dict");
        for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i)), items.get(i + 1));
    }

    private PyTuple tuple(Object args, Callable c) throws CheckpointFormatException {
        if (args instanceof PyTuple t) return t;
        throw bad("arguments of " + c.qualifiedName() + " must be a tuple, not " + describe(args));
    }

    private void build(Object state, Object inst) throws CheckpointFormatException {
        if (!(inst instanceof PyOrderedDict od))
            throw bad("BUILD (setting object state) is only allowed on collections.OrderedDict, not on " + describe(inst));
        Object dictState = state, slotState = null;
        if (state instanceof PyTuple t && t.size() == 2) {
            dictState = t.get(0);
            slotState = t.get(1);
        }
        for (Object s : new Object[]{dictState, slotState}) {
            if (s == null) continue;
            if (!(s instanceof Map<?, ?> m)) throw bad("OrderedDict state must be a dict, not " + describe(s));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw bad("OrderedDict attribute names must be strings, not " + describe(e.getKey()));
                od.attributes().put(k, e.getValue());
            }
        }
    }

    /** Checks that {@code k} is hashable in Python's sense, so Java's equals/hashCode are safe on it. */
    private Object key(Object k) throws CheckpointFormatException {
        ArrayDeque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[]{k, 0});
        while (!todo.isEmpty()) {
            Object[] f = todo.pop();
            Object o = f[0];
            int depth = (Integer) f[1];
            if (o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                    || o instanceof Boolean || hashableLeaf.test(o)) continue;
            if (o instanceof PyTuple t) {
                if (depth >= MAX_KEY_NESTING) throw bad("dict key nests tuples deeper than " + MAX_KEY_NESTING);
                for (Object x : t.items()) todo.push(new Object[]{x, depth + 1});
                continue;
            }
            throw bad("unsupported dict key type " + describe(o) + " (keys must be str, int, float, bool, None or tuples of these)");
        }
        return k;
    }

    // ------------------------------------------------------------------ primitive reads

    private void need(long n) throws CheckpointFormatException {
        if (n < 0 || n > in.length - pos) throw bad("pickle truncated: " + n + " more bytes needed, " + (in.length - pos) + " left");
    }

    private int u8() throws CheckpointFormatException { need(1); return in[pos++] & 0xFF; }

    private int u16() throws CheckpointFormatException {
        need(2);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    private int i32() throws CheckpointFormatException {
        need(4);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16 | (in[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    private long u32() throws CheckpointFormatException { return i32() & 0xFFFFFFFFL; }

    private long i64() throws CheckpointFormatException {
        long lo = u32(), hi = u32();
        return lo | hi << 32;
    }

    /** Validates a declared length against what remains (a negative value stands for >= 2^63). */
    private int length(long n) throws CheckpointFormatException {
        if (n < 0 || n > in.length - pos)
            throw bad("declared length " + Long.toUnsignedString(n) + " runs past the end of the pickle (" + (in.length - pos) + " bytes left)");
        return (int) n;
    }

    private String utf8(int n) throws CheckpointFormatException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw bad("string is not valid UTF-8");
        }
    }

    private byte[] bytes(int n) {
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    private Object decodeLong(int n) throws CheckpointFormatException {
        need(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = in[pos + n - 1 - i];
        pos += n;
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() throws CheckpointFormatException {
        int start = pos;
        while (pos < in.length && pos - start <= MAX_GLOBAL_LINE && in[pos] != '\n') pos++;
        if (pos >= in.length) throw bad("GLOBAL name runs past the end of the pickle");
        if (in[pos] != '\n') throw bad("GLOBAL name longer than " + MAX_GLOBAL_LINE + " bytes");
        String s = utf8Range(start, pos - start);
        pos++;
        return s;
    }

    private String utf8Range(int from, int n) throws CheckpointFormatException {
        int save = pos;
        pos = from;
        String s = utf8(n);
        pos = save;
        return s;
    }

    // ------------------------------------------------------------------ results

    /** A short description of a value's type for error messages (never its content). */
    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Callable c) return "global '" + c.qualifiedName() + "'";
        if (o instanceof Marker m) return "global '" + m.qualifiedName() + "'";
        if (o instanceof PyOrderedDict) return "an OrderedDict";
        if (o instanceof Map) return "a dict";
        if (o instanceof List) return "a list";
        if (o instanceof PyTuple t) return "a tuple of " + t.size();
        if (o instanceof String) return "a str";
        if (o instanceof Long || o instanceof BigInteger) return "an int";
        if (o instanceof Double) return "a float";
        if (o instanceof Boolean) return "a bool";
        if (o instanceof byte[]) return "bytes";
        return "a " + o.getClass().getSimpleName();
    }

    /**
     * Checks a loaded value graph: no container contains itself, nesting is at most
     * {@link #MAX_NESTING} deep, and every leaf is a plain value or passes {@code leafOk}. Visits each
     * object once (shared sub-graphs are not walked again), so it is linear in the graph's size.
     */
    static void checkGraph(Object root, Predicate<Object> leafOk, String where) throws CheckpointFormatException {
        IdentityHashMap<Object, Integer> done = new IdentityHashMap<>();   // container -> height
        IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();                    // {container, children iterator, height}
        if (!enter(root, leafOk, where, done, onPath, stack)) return;
        while (!stack.isEmpty()) {
            Object[] f = stack.peek();
            @SuppressWarnings("unchecked") Iterator<Object> it = (Iterator<Object>) f[1];
            if (it.hasNext()) {
                Object child = it.next();
                Integer h = done.get(child);
                if (h != null && stack.size() + h > MAX_NESTING)
                    throw new CheckpointFormatException(where + ": containers nest deeper than " + MAX_NESTING + " levels");
                if (h == null && enter(child, leafOk, where, done, onPath, stack)) continue;
                f[2] = Math.max((Integer) f[2], h == null ? 1 : h + 1);
            } else {
                stack.pop();
                onPath.remove(f[0]);
                int height = (Integer) f[2];
                done.put(f[0], height);
                if (!stack.isEmpty()) {
                    Object[] parent = stack.peek();
                    parent[2] = Math.max((Integer) parent[2], height + 1);
                }
            }
        }
    }

    /** Pushes a frame for a not-yet-seen container; returns false for leaves. */
    private static boolean enter(Object o, Predicate<Object> leafOk, String where, IdentityHashMap<Object, Integer> done,
                                 IdentityHashMap<Object, Boolean> onPath, ArrayDeque<Object[]> stack) throws CheckpointFormatException {
        if (o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof Boolean || o instanceof byte[] || leafOk.test(o)) return false;
        Iterator<Object> children;
        if (o instanceof List<?> l) children = new ArrayList<Object>(l).iterator();
        else if (o instanceof PyTuple t) children = t.items().iterator();
        else if (o instanceof Map<?, ?> m) {
            List<Object> c = new ArrayList<>(2 * m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) { c.add(e.getKey()); c.add(e.getValue()); }
            if (o instanceof PyOrderedDict od) c.addAll(od.attributes().values());
            children = c.iterator();
        } else {
            throw new CheckpointFormatException(where + ": the pickle's result contains " + describe(o) + ", which is not a value");
        }
        if (onPath.containsKey(o))
            throw new CheckpointFormatException(where + ": the pickle builds a container that contains itself; recursive structures are not supported");
        if (stack.size() >= MAX_NESTING)
            throw new CheckpointFormatException(where + ": containers nest deeper than " + MAX_NESTING + " levels");
        onPath.put(o, Boolean.TRUE);
        stack.push(new Object[]{o, children, 0});
        return true;
    }
}
