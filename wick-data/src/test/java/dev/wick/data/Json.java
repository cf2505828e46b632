package dev.wick.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal JSON reader for the golden files: objects become LinkedHashMaps, arrays Lists,
 * integers Longs and other numbers Doubles. */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) { this.s = s; }

    /** Reads {@code golden/<name>} from the test class path. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> golden(String name) {
        try (InputStream in = Json.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("missing golden file " + name + " (run make_golden.py)");
            return (Map<String, Object>) new Json(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object value() {
        ws();
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++;                                        // ':'
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            case '[': {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            case '"': return string();
            case 't': i += 4; return Boolean.TRUE;
            case 'f': i += 5; return Boolean.FALSE;
            case 'n': i += 4; return null;
            default: {
                int start = i;
                while (i < s.length() && "+-0123456789.eEInfinityNaN".indexOf(s.charAt(i)) >= 0) i++;
                String num = s.substring(start, i);
                if (num.matches("-?[0-9]+")) return Long.parseLong(num);    // int64 values stay exact
                return Double.parseDouble(num);
            }
        }
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        i++;                                                    // opening quote
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
    }

    private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

    // ------------------------------------------------------------------ conversions

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) { return (List<Object>) o; }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    /** A JSON array of numbers as Integers. */
    public static List<Integer> ints(Object o) {
        List<Integer> out = new ArrayList<>();
        for (Object v : list(o)) out.add(((Number) v).intValue());
        return out;
    }

    /** A JSON array of arrays of numbers. */
    public static List<List<Integer>> intLists(Object o) {
        List<List<Integer>> out = new ArrayList<>();
        for (Object v : list(o)) out.add(ints(v));
        return out;
    }

    public static float[] floats(Object o) {
        List<Object> l = list(o);
        float[] out = new float[l.size()];
        for (int k = 0; k < out.length; k++) out[k] = ((Number) l.get(k)).floatValue();
        return out;
    }

    public static double[] doubles(Object o) {
        List<Object> l = list(o);
        double[] out = new double[l.size()];
        for (int k = 0; k < out.length; k++) {
            Object v = l.get(k);
            out[k] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
        }
        return out;
    }

    public static long[] longs(Object o) {
        List<Object> l = list(o);
        long[] out = new long[l.size()];
        for (int k = 0; k < out.length; k++) out[k] = ((Number) l.get(k)).longValue();
        return out;
    }
}
