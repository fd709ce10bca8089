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

    @Test
    void arraysAndContainersOfArraysAreShownElementByElement() {
        Object histogram = dev.kindling.Pair.of(new double[] {0.0, 2.5, 5.0}, new long[] {3, 4});
        assertEquals("([0.0, 2.5, 5.0],[3, 4])", ReadableValues.readable("([D@1,[J@2)", histogram));
        assertEquals("[[1, 2], [], null]", ReadableValues.readable("int[3][] {...}", new int[][] {{1, 2}, {}, null}));
        assertEquals("(a,[x, y],Optional[[true]])", ReadableValues.format(
                new dev.kindling.Triple<>("a", new String[] {"x", "y"}, java.util.Optional.of(new boolean[] {true}))));
        assertEquals("{k=[1.5]}", ReadableValues.format(java.util.Map.of("k", new double[] {1.5})));
        assertEquals(java.util.Arrays.deepToString(new Object[] {new char[] {'a'}, new Object[] {1, new long[] {2}}}),
                ReadableValues.format(new Object[] {new char[] {'a'}, new Object[] {1, new long[] {2}}}));
    }

    @Test
    void valuesWithoutArraysKeepJShellsText() {
        assertEquals("[1, 2]", ReadableValues.readable("[1, 2]", java.util.List.of(1, 2)));
        assertEquals("(a,1)", ReadableValues.readable("(a,1)", dev.kindling.Pair.of("a", 1)));
        assertEquals("\"x\"", ReadableValues.readable("\"x\"", "x"));
        assertEquals("null", ReadableValues.readable("null", null));
    }
}
