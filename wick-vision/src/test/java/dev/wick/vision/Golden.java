package dev.wick.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.DType;
import dev.wick.tensor.Tensor;

/**
 * Reads the JSON files that src/test/resources/golden/make_golden.py wrote from torchvision 0.14, and
 * compares tensors with them. Carries its own minimal JSON reader (objects, arrays, numbers, strings,
 * true/false/null) so the tests need no JSON library.
 */
public final class Golden {
    private Golden() {}

    /** Parses {@code /golden/<name>} from the test classpath. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("missing golden file " + name + "; run make_golden.py");
            return (Map<String, Object>) new Parser(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) { return (List<Object>) o; }

    public static long[] longs(Object o) { return list(o).stream().mapToLong(x -> ((Number) x).longValue()).toArray(); }

    public static double[] doubles(Object o) { return list(o).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray(); }

    /** A tensor from {@code {"shape": [...], "dtype": "float32", "data": [...]}} (made in the current scope). */
    public static Tensor tensor(Object json) {
        Map<String, Object> m = map(json);
        long[] shape = longs(m.get("shape"));
        DType dtype = DType.parse((String) m.get("dtype"));
        double[] data = doubles(m.get("data"));
        return Tensor.of(data, shape).to(dtype);
    }

    /** Asserts same shape and dtype, and every value within {@code atol} (exact when 0). */
    public static void assertTensor(Object expectedJson, Tensor actual, double atol, String what) {
        Map<String, Object> m = map(expectedJson);
        assertArrayEquals(longs(m.get("shape")), actual.shape(), what + ": shape");
        assertEquals(DType.parse((String) m.get("dtype")), actual.dtype(), what + ": dtype");
        double[] exp = doubles(m.get("data"));
        double[] got = actual.toDoubleArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < exp.length; i++) {
            double err = Math.abs(exp[i] - got[i]);
            if (err > worst) { worst = err; at = i; }
        }
        double w = worst;
        int a = at;
        assertTrue(worst <= atol, () -> what + ": max abs error " + w + " at flat index " + a + " (expected " + exp[a] + ", got " + got[a] + ") exceeds " + atol);
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                String k = string();
                ws();
                i++;   // ':'
                m.put(k, value());
                ws();
                if (s.charAt(i++) == '}') return m;
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (s.charAt(i) == ']') { i++; return l; }
            while (true) {
                l.add(value());
                ws();
                if (s.charAt(i++) == ']') return l;
            }
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') { sb.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: sb.append(e);
                }
            }
        }

        private Number number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String t = s.substring(start, i);
            if (t.equals("NaN")) return Double.NaN;
            if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
            return Long.parseLong(t);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
