package dev.wick.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON reader and writer of Wick (RFC 8259), for its own files and for files from outside:
 * metrics lines, benchmark lines, safetensors headers, golden test values. Objects read as
 * {@code LinkedHashMap}, arrays as {@code ArrayList}, numbers as {@code Long} when integral and in
 * range else {@code Double}, JSON's {@code null} as Java's {@code null} (a key present with a null
 * value). Duplicate keys are an error, and so is nesting deeper than a bound.
 *
 * <pre>{@code
 * Map<String, Object> m = Json.parseObject("{\"lr\": 0.1}");
 * Object header = Json.parseStrict(text, 64);      // a file from outside: RFC 8259 only, 64 levels
 * String line = Json.write(Map.of("step", 3));
 * }</pre>
 *
 * <p>{@link #parse} also reads the {@code NaN}, {@code Infinity} and {@code -Infinity} that Python's
 * {@code json} module and {@link #write} emit for non-finite floats; {@link #parseStrict} refuses
 * them, as the reference readers of formats such as safetensors do.
 */
public final class Json {
    /** The nesting bound of {@link #parse}. */
    public static final int MAX_DEPTH = 512;

    private final String s;
    private final int maxDepth;
    private final boolean nonFinite;
    private int i;

    private Json(String s, int maxDepth, boolean nonFinite) {
        this.s = s;
        this.maxDepth = maxDepth;
        this.nonFinite = nonFinite;
    }

    /** Parses one JSON value (non-finite floats allowed, nesting at most {@link #MAX_DEPTH}); trailing non-space characters are an error. */
    public static Object parse(String text) {
        return new Json(text, MAX_DEPTH, true).document();
    }

    /**
     * Parses one JSON value by RFC 8259 alone ({@code NaN} and {@code Infinity} are errors), nesting
     * at most {@code maxDepth} levels of objects and arrays: for files Wick did not write.
     */
    public static Object parseStrict(String text, int maxDepth) {
        if (maxDepth < 1) throw new IllegalArgumentException("Invalid maxDepth: " + maxDepth + " (must be >= 1)");
        return new Json(text, maxDepth, false).document();
    }

    /** Parses a JSON object (as {@link #parse}). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new IllegalArgumentException("JSON: expected an object at the top level");
        return (Map<String, Object>) v;
    }

    private Object document() {
        ws();
        Object v = value(0);
        ws();
        if (i != s.length()) throw err("trailing characters");
        return v;
    }

    private IllegalArgumentException err(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') i++;
            else break;
        }
    }

    private char peek() {
        if (i >= s.length()) throw err("unexpected end");
        return s.charAt(i);
    }

    private Object value(int depth) {
        char c = peek();
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': return lit("true", Boolean.TRUE);
            case 'f': return lit("false", Boolean.FALSE);
            case 'n': return lit("null", null);
            case 'N': if (nonFinite) return lit("NaN", Double.NaN); break;
            case 'I': if (nonFinite) return lit("Infinity", Double.POSITIVE_INFINITY); break;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
        }
        throw err("unexpected character '" + c + "'");
    }

    private Object lit(String word, Object v) {
        if (!s.startsWith(word, i)) throw err("expected " + word);
        i += word.length();
        return v;
    }

    private void enter(int depth) {
        if (depth > maxDepth) throw err("nests deeper than " + maxDepth + " levels");
        i++;
        ws();
    }

    private Map<String, Object> object(int depth) {
        enter(depth);
        Map<String, Object> m = new LinkedHashMap<>();
        if (peek() == '}') { i++; return m; }
        while (true) {
            ws();
            if (peek() != '"') throw err("expected a string key");
            String k = string();
            ws();
            if (peek() != ':') throw err("expected ':'");
            i++;
            ws();
            if (m.containsKey(k)) throw err("duplicate key \"" + k + "\"");
            m.put(k, value(depth));
            ws();
            char c = peek();
            i++;
            if (c == '}') return m;
            if (c != ',') throw err("expected ',' or '}'");
        }
    }

    private List<Object> array(int depth) {
        enter(depth);
        List<Object> l = new ArrayList<>();
        if (peek() == ']') { i++; return l; }
        while (true) {
            ws();
            l.add(value(depth));
            ws();
            char c = peek();
            i++;
            if (c == ']') return l;
            if (c != ',') throw err("expected ',' or ']'");
        }
    }

    private String string() {
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw err("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw err("control character in string");
            if (c != '\\') { b.append(c); continue; }
            if (i >= s.length()) throw err("unterminated escape");
            char e = s.charAt(i++);
            switch (e) {
                case '"': case '\\': case '/': b.append(e); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u': b.append(hex4()); break;
                default: throw err("bad escape \\" + e);
            }
        }
    }

    private char hex4() {
        if (i + 4 > s.length()) throw err("bad \\u escape");
        int cp = 0;
        for (int k = 0; k < 4; k++) {
            char h = s.charAt(i + k);
            int d = h < 0x80 ? Character.digit(h, 16) : -1;
            if (d < 0) throw err("bad \\u escape");
            cp = cp * 16 + d;
        }
        i += 4;
        return (char) cp;
    }

    /** RFC 8259's number: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}. */
    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
            if (nonFinite && s.startsWith("Infinity", i)) { i += 8; return Double.NEGATIVE_INFINITY; }
        }
        if (i < s.length() && s.charAt(i) == '0') i++;
        else digits();
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') { i++; digits(); integral = false; }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            digits();
            integral = false;
        }
        String t = s.substring(start, i);
        if (integral) {
            try { return Long.parseLong(t); } catch (NumberFormatException beyondLong) { /* read as a double */ }
        }
        return Double.parseDouble(t);
    }

    private void digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == start) throw err("bad number: expected a digit");
    }

    // ------------------------------------------------------------------ writer

    /** Writes a value (Map, Iterable, array of primitives, Number, Boolean, String, null) as compact JSON. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    public static void write(StringBuilder b, Object v) {
        if (v == null) b.append("null");
        else if (v instanceof String str) quote(b, str);
        else if (v instanceof Boolean) b.append(v);
        else if (v instanceof Double || v instanceof Float) num(b, ((Number) v).doubleValue());
        else if (v instanceof Number) b.append(v);
        else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(", ");
                first = false;
                quote(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Iterable<?> it) {
            b.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) b.append(", ");
                first = false;
                write(b, o);
            }
            b.append(']');
        } else if (v instanceof double[] a) {
            b.append('[');
            for (int k = 0; k < a.length; k++) { if (k > 0) b.append(", "); num(b, a[k]); }
            b.append(']');
        } else if (v instanceof float[] a) {
            b.append('[');
            for (int k = 0; k < a.length; k++) { if (k > 0) b.append(", "); num(b, a[k]); }
            b.append(']');
        } else if (v instanceof long[] a) {
            b.append('[');
            for (int k = 0; k < a.length; k++) { if (k > 0) b.append(", "); b.append(a[k]); }
            b.append(']');
        } else if (v instanceof int[] a) {
            b.append('[');
            for (int k = 0; k < a.length; k++) { if (k > 0) b.append(", "); b.append(a[k]); }
            b.append(']');
        } else if (v instanceof Object[] a) {
            write(b, java.util.Arrays.asList(a));
        } else {
            quote(b, v.toString());
        }
    }

    private static void num(StringBuilder b, double d) {
        if (Double.isNaN(d)) b.append("NaN");
        else if (Double.isInfinite(d)) b.append(d > 0 ? "Infinity" : "-Infinity");
        else if (d == Math.rint(d) && Math.abs(d) < 1e15) b.append(String.format(Locale.ROOT, "%.1f", d));
        else b.append(Double.toString(d));
    }

    /**
     * {@code str} as a JSON string literal, escaped as serde_json and Python's {@code json} (with
     * {@code ensure_ascii=False}) do: quotes, backslashes and control characters only.
     */
    public static String quote(String str) {
        StringBuilder b = new StringBuilder(str.length() + 2);
        quote(b, str);
        return b.toString();
    }

    private static void quote(StringBuilder b, String str) {
        b.append('"');
        for (int k = 0; k < str.length(); k++) {
            char c = str.charAt(k);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        b.append('"');
    }
}
