package dev.jrun.runtime.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniJsonTest {

    @Test
    void objectKeepsKeyOrderAndValueTypes() {
        Object v = MiniJson.parse(" {\"z\": 1, \"a\": \"s\", \"m\": true, \"n\": null, \"f\": false} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m", "n", "f"), List.copyOf(m.keySet()));
        assertEquals(1L, m.get("z"));
        assertEquals("s", m.get("a"));
        assertEquals(Boolean.TRUE, m.get("m"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(Boolean.FALSE, m.get("f"));
    }

    @Test
    void nestedArraysAndObjects() {
        Object v = MiniJson.parse("{\"a\":[1,[2,{\"b\":[]}],{}],\"c\":{\"d\":{\"e\":[null]}}}");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", List.of());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("e", Arrays.asList((Object) null));
        assertEquals(Map.of("a", List.of(1L, List.of(2L, inner), Map.of()), "c", Map.of("d", e)), v);
    }

    @Test
    void whitespaceOfAllFourKinds() {
        assertEquals(List.of(1L, 2L), MiniJson.parse("\t[\r\n 1 ,\n2\t]\r\n"));
    }

    @Test
    void stringEscapes() {
        assertEquals("a\nb\"c\\d/e\tf\rg\bh\fi", MiniJson.parse("\"a\\nb\\\"c\\\\d\\/e\\tf\\rg\\bh\\fi\""));
        assertEquals("caf\u00e9", MiniJson.parse("\"caf\\u00e9\""));
        assertEquals("caf\u00e9", MiniJson.parse("\"caf\\u00E9\""));
        assertEquals("\u00e9 raw", MiniJson.parse("\"\u00e9 raw\""));
        assertEquals("\ud83d\ude00", MiniJson.parse("\"\\ud83d\\ude00\""), "surrogate pair");
        assertEquals("", MiniJson.parse("\"\""));
    }

    @Test
    void integersAreLongUntilTheyDoNotFit() {
        assertEquals(0L, MiniJson.parse("0"));
        assertEquals(-42L, MiniJson.parse("-42"));
        assertEquals(Long.MAX_VALUE, MiniJson.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, MiniJson.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), MiniJson.parse("9223372036854775808"));
        assertEquals(new BigInteger("18446744073709551615"), MiniJson.parse("18446744073709551615"));
        assertEquals(new BigInteger("-9223372036854775809"), MiniJson.parse("-9223372036854775809"));
        assertEquals(new BigInteger("123456789012345678901234567890"), MiniJson.parse("123456789012345678901234567890"));
    }

    @Test
    void fractionsAndExponentsAreDoubles() {
        assertEquals(1.5, MiniJson.parse("1.5"));
        assertEquals(-0.25, MiniJson.parse("-0.25"));
        assertEquals(1e5, MiniJson.parse("1e5"));
        assertEquals(2.5e-3, MiniJson.parse("2.5E-3"));
        assertEquals(1e+2, MiniJson.parse("1e+2"));
        assertEquals(0.5, MiniJson.parse("0.5"));
    }

    @Test
    void minusZeroIsValidJson() {
        // RFC 8259: int = zero / ( digit1-9 *DIGIT ), with an optional minus: "-0" is valid.
        assertEquals(0L, MiniJson.parse("-0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "[1] ]", "1 2", "truex", "nullnull", "\"a\"\"b\""})
    void trailingGarbageIsRejected(String text) {
        MiniJson.JsonSyntaxException e = assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
        assertTrue(e.getMessage().contains("trailing") || e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() {
        MiniJson.JsonSyntaxException e = assertThrows(MiniJson.JsonSyntaxException.class,
                () -> MiniJson.parse("{\"a\":1,\"a\":2}"));
        assertTrue(e.getMessage().contains("duplicate key a"), e.getMessage());
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse("{\"o\":{\"k\":\"x\",\"k\":\"x\"}}"));
    }

    @Test
    void duplicateKeyIsRejectedEvenWhenTheFirstValueIsNull() {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse("{\"a\":null,\"a\":1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "007", "[01]"})
    void leadingZerosAreRejected(String text) {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "\"abc\\\"", "[\"a", "{\"k", "\"\\u00"})
    void unterminatedStringsAreRejected(String text) {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\nb\"", "\"tab\there\"", "\"nul\u0000\"", "\"\u001f\""})
    void rawControlCharactersInStringsAreRejected(String text) {
        MiniJson.JsonSyntaxException e = assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
        assertTrue(e.getMessage().contains("control character"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "[", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{a:1}",
            "{'a':1}", "tru", "nul", "-", "\"\\x\"", "[1 2]", "{\"a\":1 \"b\":2}", "NaN", "Infinity", "1.2.3", "1e"})
    void malformedDocumentsAreRejected(String text) {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
    }

    /** Number forms Java's parsers take but JSON does not (Jackson and Go refuse them too). */
    @ParameterizedTest
    @ValueSource(strings = {"+1", ".5", "1.", "-.5", "01.5", "1.e5", "[+1]", "{\"x\":.5}"})
    void nonJsonNumberFormsAreRejected(String text) {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
    }

    /** Only four hex digits make a \\u escape; Integer.parseInt would also take a sign. */
    @ParameterizedTest
    @ValueSource(strings = {"\"\\u+041\"", "\"\\u-001\"", "\"\\uzzzz\"", "\"\\u12\""})
    void badUnicodeEscapesAreRejectedAsSyntaxErrors(String text) {
        assertThrows(MiniJson.JsonSyntaxException.class, () -> MiniJson.parse(text));
    }

    /** A hostile config of deeply nested arrays must fail as a syntax error, not a StackOverflowError. */
    @Test
    void deepNestingFailsCleanly() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        Throwable t = assertThrows(Throwable.class, () -> MiniJson.parse(deep));
        assertInstanceOf(RuntimeException.class, t, "got " + t.getClass().getName());
    }
}
