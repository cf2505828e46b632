package dev.wick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The project's one JSON reader and writer: value model, strictness, bounds, escaping. */
class JsonTest {

    private static String error(Runnable parse) {
        return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }

    @Test
    void readsObjectsInOrderAndNumbersAsLongOrDouble() {
        Map<String, Object> m = Json.parseObject(
                "{\"z\": [1, -2, 3.5, 1e3, 0, -0.0, 9223372036854775807, 9223372036854775808], \"a\": null, \"t\": true, \"s\": \"x\"}");
        assertEquals(List.of("z", "a", "t", "s"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, 0L, -0.0, Long.MAX_VALUE, 9.223372036854775808E18), m.get("z"));
        assertTrue(m.containsKey("a"));
        assertNull(m.get("a"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals("x", m.get("s"));
    }

    @Test
    void duplicateKeysAreErrorsNamingTheKey() {
        assertContains(error(() -> Json.parse("{\"a\": 1, \"b\": {\"a\": 2, \"a\": 3}}")), "duplicate key \"a\"");
        assertEquals(2, Json.parseObject("{\"a\": 1, \"b\": {\"a\": 2}}").size());
    }

    @Test
    void nestingIsBounded() {
        assertEquals(List.of(List.of(List.of(1L))), Json.parseStrict("[[[1]]]", 3));
        assertContains(error(() -> Json.parseStrict("[[{\"a\": [1]}]]", 3)), "nests deeper than 3 levels");
        String deep = "[".repeat(100_000) + "]".repeat(100_000);   // no StackOverflowError
        assertContains(error(() -> Json.parse(deep)), "nests deeper than " + Json.MAX_DEPTH + " levels");
        assertContains(error(() -> Json.parseStrict("1", 0)), "Invalid maxDepth: 0");
    }

    @Test
    void nonFiniteFloatsOnlyOutsideStrictMode() {
        assertEquals(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), Json.parse("[NaN, Infinity, -Infinity]"));
        assertContains(error(() -> Json.parseStrict("[NaN]", 8)), "unexpected character 'N'");
        assertContains(error(() -> Json.parseStrict("[Infinity]", 8)), "unexpected character 'I'");
        assertContains(error(() -> Json.parseStrict("[-Infinity]", 8)), "bad number");
    }

    @Test
    void numbersFollowRfc8259() {
        for (String bad : List.of("01", "-01", "1.", ".5", "1e", "1e+", "-", "+1", "1.2.3", "0x10", "1-2"))
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        assertEquals(-0.5, Json.parse("-5e-1"));
        assertEquals(1200.0, Json.parse("1.2E+3"));
        assertEquals(0L, Json.parse(" 0 "));
    }

    @Test
    void malformedDocumentsAreRefusedWithTheOffset() {
        assertContains(error(() -> Json.parse("{\"a\":1,}")), "expected a string key at offset 7");
        assertContains(error(() -> Json.parse("[1,]")), "unexpected character ']'");
        assertContains(error(() -> Json.parse("{\"a\":1} x")), "trailing characters");
        assertContains(error(() -> Json.parse("[1")), "unexpected end");
        assertContains(error(() -> Json.parse("\"tab\there\"")), "control character in string");
        assertContains(error(() -> Json.parse("\"\\u00G9\"")), "bad \\u escape");
        assertContains(error(() -> Json.parse("\"\\u00\u0663\u0669\"")), "bad \\u escape");   // Arabic-Indic digits are not hex
        assertContains(error(() -> Json.parse("\"\\x\"")), "bad escape");
        assertContains(error(() -> Json.parse("nul")), "expected null");
        assertContains(error(() -> Json.parseObject("[1]")), "expected an object");
        assertEquals("caf\u00e9 \"q\" /\n", Json.parse("\"caf\\u00e9 \\\"q\\\" \\/\\n\""));
    }

    @Test
    void writerOutputReadsBackEqual() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", 3L);
        m.put("lr", 1e-5);
        m.put("loss", 2.0);
        m.put("bad", Double.NaN);
        m.put("name", "a\"b\\c\n\b\f\u0001\u00e9");
        m.put("list", List.of(1L, "two"));
        m.put("none", null);
        String line = Json.write(m);
        assertEquals("{\"step\": 3, \"lr\": 1.0E-5, \"loss\": 2.0, \"bad\": NaN, \"name\": \"a\\\"b\\\\c\\n\\b\\f\\u0001\u00e9\", "
                + "\"list\": [1, \"two\"], \"none\": null}", line);
        assertEquals(m, Json.parseObject(line));
        assertEquals("\"a\\\"b\\\\c\\n\\b\\f\\u0001\u00e9\"", Json.quote("a\"b\\c\n\b\f\u0001\u00e9"));
    }
}
