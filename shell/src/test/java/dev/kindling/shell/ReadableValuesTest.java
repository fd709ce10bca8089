package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the shell shows string values. */
class ReadableValuesTest {

    @Test
    void multiLineStringLiteralsAreShownAsText() {
        assertEquals("(2) ShuffledRDD[4]\n +-(3) \"quoted\" \\ tab\there",
                ReadableValues.readable("\"(2) ShuffledRDD[4]\\n +-(3) \\\"quoted\\\" \\\\ tab\\there\""));
    }

    @Test
    void unicodeEscapesAreDecoded() {
        assertEquals("a\nb\u0001", ReadableValues.readable("\"a\\nb\\u0001\""));
    }

    @Test
    void singleLineStringsAndOtherValuesAreLeftAlone() {
        assertEquals("\"one line\"", ReadableValues.readable("\"one line\""));
        assertEquals("[1, 2, 3]", ReadableValues.readable("[1, 2, 3]"));
        assertEquals("\"", ReadableValues.readable("\""));
        assertEquals(null, ReadableValues.readable(null));
    }

    @Test
    void unknownEscapesLeaveTheValueUnchanged() {
        assertEquals("\"a\\nb\\q\"", ReadableValues.readable("\"a\\nb\\q\""));
    }
}
