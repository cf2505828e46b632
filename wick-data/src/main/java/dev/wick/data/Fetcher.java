package dev.wick.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Loads one batch (or one sample, without automatic batching) on whichever thread runs it: sets up each
 * sample's {@link SampleRandom}, reads the data set, collates, pins, and hands the new tensors over.
 * Holds no reference to the {@link DataLoader} or its iterators, so abandoned ones can be cleaned.
 */
final class Fetcher<T> {
    /** Marks an exhausted iterable data set. */
    static final Object END = new Object() { @Override public String toString() { return "END"; } };
    /** Marks a batch of an iterable data set that was read and discarded (a pass started at batch b). */
    static final Object SKIPPED = new Object() { @Override public String toString() { return "SKIPPED"; } };

    final Dataset<T> map;
    final IterableDataset<T> iterable;
    final boolean autoCollation;
    final int batchSize;                       // for iterable data sets with automatic batching
    final boolean dropLast;
    final Collator<T, ?> collate;              // null: defaultConvert (no automatic batching, no collateFn)
    final boolean defaultCollate;              // automatic batching with Collate's default: Dataset.getCollated may stand in
    final boolean pin;

    Fetcher(Dataset<T> map, IterableDataset<T> iterable, boolean autoCollation, int batchSize, boolean dropLast,
            Collator<T, ?> collate, boolean defaultCollate, boolean pin) {
        this.map = map;
        this.iterable = iterable;
        this.autoCollation = autoCollation;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.collate = collate;
        this.defaultCollate = defaultCollate;
        this.pin = pin;
    }

    Object dataset() { return map != null ? map : iterable; }

    /** The state of one thread's pass over an iterable data set. */
    static final class IterState<T> {
        Iterator<T> it;
        long position;
        boolean ended;
    }

    /** A loaded batch and the tensors it made, now owned by the garbage collector until adopted. */
    record Handover(Object batch, List<Tensor> produced) {}

    /**
     * Reads the samples at {@code indices} and collates them: in one go through
     * {@link Dataset#getCollated} when the collate is the default one and the data set has that read,
     * else sample by sample.
     */
    Handover fetchMap(List<Integer> indices, int workerId, long seed, int epoch) {
        return handOver(() -> {
            if (defaultCollate) {
                Object batch;
                try {
                    int[] idx = new int[indices.size()];
                    for (int k = 0; k < idx.length; k++) idx[k] = indices.get(k);
                    batch = map.getCollated(idx);
                } catch (Throwable e) {
                    throw new WorkerException(workerId, indices, null, "loading", e);
                }
                if (batch != null) return pin ? Pinning.pin(batch) : batch;
            }
            List<T> samples = new ArrayList<>(indices.size());
            SampleRandom[] slot = SampleRandom.slot();
            SampleRandom saved = slot[0];
            try {
                for (Integer i : indices) {
                    slot[0] = SampleRandom.of(seed, epoch, i);
                    try {
                        samples.add(map.get(i));
                    } catch (Throwable e) {
                        throw new WorkerException(workerId, indices, i, "loading", e);
                    }
                }
            } finally {
                slot[0] = saved;
            }
            return finish(samples, workerId, indices);
        });
    }

    /** Reads the next batch (or sample) of this thread's pass over an iterable data set; END when done. */
    Handover fetchIterable(IterState<T> st, int workerId, long seed, int epoch) {
        return handOver(() -> {
            List<T> samples = readIterable(st, workerId, seed, epoch);
            return samples == null ? END : finish(samples, workerId, null);
        });
    }

    /**
     * Reads the samples of the next batch exactly as {@link #fetchIterable} does, then drops them
     * without collating (tensors they made are freed at once): SKIPPED, or END when done.
     */
    Handover skipIterable(IterState<T> st, int workerId, long seed, int epoch) {
        return handOver(() -> readIterable(st, workerId, seed, epoch) == null ? END : SKIPPED);
    }

    /** The next batch's samples from this thread's iterator, or null when there is no further batch. */
    private List<T> readIterable(IterState<T> st, int workerId, long seed, int epoch) {
        if (st.ended) return null;
        int want = autoCollation ? batchSize : 1;
        List<T> samples = new ArrayList<>(want);
        SampleRandom[] slot = SampleRandom.slot();
        SampleRandom saved = slot[0];
        long stream = (long) Math.max(workerId, 0) << 40;
        try {
            if (st.it == null) st.it = iterable.iterator();
            while (samples.size() < want) {
                slot[0] = SampleRandom.of(seed, epoch, stream | st.position);
                if (!st.it.hasNext()) { st.ended = true; break; }
                samples.add(st.it.next());
                st.position++;
            }
        } catch (Throwable e) {
            throw new WorkerException(workerId, null, null, "iterating the IterableDataset", e);
        } finally {
            slot[0] = saved;
        }
        if (samples.isEmpty() || (autoCollation && dropLast && samples.size() < want)) return null;
        return samples;
    }

    private Object finish(List<T> samples, int workerId, List<Integer> indices) {
        try {
            Object batch;
            if (autoCollation) batch = collate.collate(samples);
            else batch = collate == null ? Collate.defaultConvert(samples.get(0)) : collate.collate(samples);
            return pin ? Pinning.pin(batch) : batch;
        } catch (WorkerException e) {
            throw e;
        } catch (Throwable e) {
            throw new WorkerException(workerId, indices, null, "collating", e);
        }
    }

    /**
     * Runs {@code body} in a fresh scope with no parent, then moves the tensors of its result that the
     * scope owns to the garbage collector (so they outlive the scope) and frees the rest (per-sample
     * intermediates). Tensors of the result owned elsewhere (a data set's own tensors) are left alone.
     */
    private static Handover handOver(java.util.function.Supplier<Object> body) {
        return Scope.outside(() -> {
            try (Scope s = Scope.open()) {
                Object batch = body.get();
                if (batch == END || batch == SKIPPED) return new Handover(batch, List.of());
                List<Tensor> produced = new ArrayList<>(2);
                Batches.forEachTensor(batch, t -> {
                    if (keepIfOwned(s, t)) produced.add(t);
                });
                return new Handover(batch, produced);
            }
        });
    }

    // NOTE [ownership probe]: wick-core has no public "does this scope own t" query, and keep() throws
    // IllegalArgumentException for a tensor the scope does not own. Until Scope grows an owns(t), a
    // tensor owned elsewhere (a data set's own tensor returned as-is by a pass-through collate, or one
    // that appears twice in the batch) is detected by that exception. It is rare: the usual batch is
    // made by collate inside the scope.
    private static boolean keepIfOwned(Scope scope, Tensor t) {
        if (!t.isAlive()) return false;
        try {
            scope.keep(t);                      // the scope has no parent: t moves to the garbage collector
            return true;
        } catch (IllegalArgumentException notOwned) {
            return false;
        }
    }

    /** Copies the tensors of a batch to pinned memory (only called when an accelerator exists). */
    static final class Pinning {
        private Pinning() {}

        static Object pin(Object b) {
            if (b instanceof Tensor t) return Tensor.wrap(t.unwrap().pin_memory());
            if (b instanceof Example<?, ?> e) return new Example<>(pin(e.input()), pin(e.target()));
            if (b instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) out.add(pin(o));
                return out;
            }
            if (b instanceof Map<?, ?> m) {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k, pin(v)));
                return out;
            }
            if (b instanceof Object[] a) {
                Object[] out = (Object[]) Array.newInstance(a.getClass().getComponentType(), a.length);
                for (int i = 0; i < a.length; i++) out[i] = pin(a[i]);
                return out;
            }
            if (b instanceof Record) {
                Records.Shape s = Records.shape(b.getClass());
                Object[] v = new Object[s.names().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Records.component(s, i, b);
                    if (!s.types()[i].isPrimitive()) v[i] = pin(v[i]);
                }
                return Records.build(b.getClass(), s, v);
            }
            return b;
        }
    }
}
