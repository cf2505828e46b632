package dev.wick.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * PyTorch's {@code default_collate} and {@code default_convert}, for Java types.
 *
 * <pre>{@code
 * List<Example<Tensor, Long>> samples = ...;                 // inputs [3, 32, 32], targets 0..9
 * Example<Tensor, Tensor> b = Collate.defaultCollate(samples); // input [B, 3, 32, 32], target [B] int64
 * }</pre>
 *
 * <p>The table, decided by the first sample (as PyTorch):
 * <table>
 *   <caption>default collate</caption>
 *   <tr><th>sample</th><th>batch</th></tr>
 *   <tr><td>{@link Tensor}</td><td>{@code Tensor.stack(samples, 0)}: a new dimension 0; all shapes must be equal</td></tr>
 *   <tr><td>{@code Integer, Long, Short, Byte}</td><td>int64 tensor {@code [B]} ({@code torch.tensor(batch)})</td></tr>
 *   <tr><td>{@code Float, Double}</td><td>float64 tensor {@code [B]} ({@code torch.tensor(batch, dtype=float64)})</td></tr>
 *   <tr><td>{@code Boolean}</td><td>bool tensor {@code [B]}</td></tr>
 *   <tr><td>{@code CharSequence, Character, byte[]}</td><td>the list of samples, unchanged (Python's str and bytes)</td></tr>
 *   <tr><td>{@code Map}</td><td>a {@code LinkedHashMap}: each key of the first sample, collated over the samples</td></tr>
 *   <tr><td>a record ({@link Example} included)</td><td>the same record type, each component collated (PyTorch's namedtuple)</td></tr>
 *   <tr><td>{@code List}, {@code Object[]}, primitive arrays</td><td>a {@code List}: the samples transposed, each position
 *       collated; all samples must have the same length</td></tr>
 * </table>
 * Anything else is an error naming its class. Errors say where in the sample the problem is
 * ({@code input}, {@code [1]}, {@code ['label']}) and which samples disagree.
 */
public final class Collate {
    private Collate() {}

    /** PyTorch's {@code default_collate}; {@code R} is what the table above says for the sample type. */
    @SuppressWarnings("unchecked")
    public static <R> R defaultCollate(List<?> samples) {
        if (samples == null || samples.isEmpty()) throw new IllegalArgumentException("defaultCollate: the batch is empty");
        return (R) collate(samples, "");
    }

    /** The default collator as a {@link Collator}. */
    @SuppressWarnings("unchecked")
    public static <T, B> Collator<T, B> defaultCollator() {
        return samples -> (B) collate(samples, "");
    }

    /**
     * PyTorch's {@code default_convert}, applied when automatic batching is off: it turns NumPy arrays
     * into tensors and leaves everything else alone; Java has no NumPy, so it returns {@code sample}.
     */
    public static <T> T defaultConvert(T sample) {
        return sample;
    }

    private static Object collate(List<?> batch, String path) {
        Object elem = batch.get(0);
        if (elem == null) throw error(path, "sample 0 is null");
        if (elem instanceof Tensor) return stack(batch, path);
        if (elem instanceof Integer || elem instanceof Long || elem instanceof Short || elem instanceof Byte) {
            long[] v = new long[batch.size()];
            for (int i = 0; i < v.length; i++) {
                Object o = batch.get(i);
                if (!(o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte))
                    throw mismatch(path, i, o, elem);
                v[i] = ((Number) o).longValue();
            }
            return Tensor.of(v);
        }
        if (elem instanceof Double || elem instanceof Float) {
            double[] v = new double[batch.size()];
            for (int i = 0; i < v.length; i++) {
                Object o = batch.get(i);
                if (!(o instanceof Number)) throw mismatch(path, i, o, elem);
                v[i] = ((Number) o).doubleValue();
            }
            return Tensor.of(v);
        }
        if (elem instanceof Boolean) {
            boolean[] v = new boolean[batch.size()];
            for (int i = 0; i < v.length; i++) {
                Object o = batch.get(i);
                if (!(o instanceof Boolean b)) throw mismatch(path, i, o, elem);
                v[i] = b;
            }
            return Tensor.of(v);
        }
        if (elem instanceof CharSequence || elem instanceof Character || elem instanceof byte[]) {
            return Collections.unmodifiableList(new ArrayList<>(batch));
        }
        if (elem instanceof Example<?, ?>) {
            List<Object> inputs = new ArrayList<>(batch.size()), targets = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (!(batch.get(i) instanceof Example<?, ?> e)) throw mismatch(path, i, batch.get(i), elem);
                inputs.add(e.input());
                targets.add(e.target());
            }
            return new Example<>(collate(inputs, join(path, "input")), collate(targets, join(path, "target")));
        }
        if (elem instanceof Record) {
            Class<?> c = elem.getClass();
            Records.Shape s = Records.shape(c);
            Object[] out = new Object[s.names().length];
            for (int k = 0; k < out.length; k++) {
                List<Object> column = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    Object o = batch.get(i);
                    if (o == null || o.getClass() != c) throw mismatch(path, i, o, elem);
                    column.add(Records.component(s, k, o));
                }
                out[k] = collate(column, join(path, s.names()[k]));
            }
            return Records.build(c, s, out);
        }
        if (elem instanceof Map<?, ?> first) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : first.keySet()) {
                List<Object> column = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    if (!(batch.get(i) instanceof Map<?, ?> m)) throw mismatch(path, i, batch.get(i), elem);
                    if (!m.containsKey(key))
                        throw error(path, "sample " + i + " has no key '" + key + "' (sample 0 has keys " + first.keySet() + ")");
                    column.add(m.get(key));
                }
                out.put(key, collate(column, path + "['" + key + "']"));
            }
            return out;
        }
        if (elem instanceof List<?> || elem.getClass().isArray()) {
            int len = length(elem);
            for (int i = 1; i < batch.size(); i++) {
                Object o = batch.get(i);
                if (o == null || !(o instanceof List<?> || o.getClass().isArray())) throw mismatch(path, i, o, elem);
                if (length(o) != len)
                    throw error(path, "each element in list of batch should be of equal size, but sample " + i + " has "
                            + length(o) + " elements and sample 0 has " + len);
            }
            List<Object> out = new ArrayList<>(len);
            for (int k = 0; k < len; k++) {
                List<Object> column = new ArrayList<>(batch.size());
                for (Object o : batch) column.add(element(o, k));
                out.add(collate(column, path + "[" + k + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        throw error(path, "batch must contain tensors, numbers, booleans, strings, maps, records, lists or arrays; found "
                + elem.getClass().getName());
    }

    private static Tensor stack(List<?> batch, String path) {
        Tensor first = (Tensor) batch.get(0);
        long[] shape = shapeOf(first);
        List<Tensor> ts = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Object o = batch.get(i);
            if (!(o instanceof Tensor t)) throw mismatch(path, i, o, first);
            if (i > 0) {
                long[] s = shapeOf(t);
                if (!Arrays.equals(s, shape))
                    throw error(path, "tensors must have the same shape to be stacked, but sample " + i + " has shape "
                            + Arrays.toString(s) + " and sample 0 has shape " + Arrays.toString(shape));
            }
            ts.add(t);
        }
        return Tensor.stack(ts, 0);
    }

    /**
     * {@code t.shape()} without its native allocation: wick-core's {@code Tensor.shape()} goes through
     * {@code sizes().vec()}, whose std::vector is never freed under {@code nopointergc} (about 170 bytes
     * a call). Collate asks once per sample, so it reads {@code dim()} and {@code size(d)} instead.
     */
    static long[] shapeOf(Tensor t) {
        long[] s = new long[t.dim()];
        for (int d = 0; d < s.length; d++) s[d] = t.size(d);
        return s;
    }

    private static int length(Object o) {
        return o instanceof List<?> l ? l.size() : Array.getLength(o);
    }

    private static Object element(Object o, int k) {
        return o instanceof List<?> l ? l.get(k) : Array.get(o, k);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static IllegalArgumentException mismatch(String path, int i, Object o, Object first) {
        return error(path, "sample " + i + " is " + (o == null ? "null" : "a " + o.getClass().getSimpleName())
                + " but sample 0 is a " + first.getClass().getSimpleName());
    }

    private static IllegalArgumentException error(String path, String msg) {
        return new IllegalArgumentException("defaultCollate" + (path.isEmpty() ? "" : " (at " + path + ")") + ": " + msg);
    }
}
