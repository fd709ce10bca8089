package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link StringKeyBytes}: a copy matches exactly the strings {@link String#equals} says are equal to its key. */
class StringKeyBytesTest {

    private static final List<String> KEYS = List.of("", "a", "ab", "ba", "abc", "Aa", "BB", "caf\u00e9", "caf\u00ff",
            "cafe", "\u0000", "\u0000\u0000", "a".repeat(StringKeyBytes.MAX_LENGTH - 1), "a".repeat(StringKeyBytes.MAX_LENGTH));

    @Test
    void whenKeysAreCopied_thenEachMatchesExactlyTheEqualStrings() {
        StringKeyBytes bytes = new StringKeyBytes();
        List<Integer> refs = new ArrayList<>();
        for (String key : KEYS) {
            int ref = bytes.add(key);
            assertTrue(ref > 0, "a Latin-1 key gets a copy: " + key);
            refs.add(ref);
        }
        for (int i = 0; i < KEYS.size(); i++) {
            for (String probe : KEYS) {
                assertEquals(KEYS.get(i).equals(probe), bytes.matches(refs.get(i), new String(probe)),
                        "copy of '" + KEYS.get(i) + "' against '" + probe + "'");
            }
            assertFalse(bytes.matches(refs.get(i), KEYS.get(i) + "\u0101"), "a longer string with a wide character");
        }
    }

    @Test
    void whenAKeyHasACharacterBeyondLatin1_thenItGetsNoCopyAndTheNextKeyIsIntact() {
        StringKeyBytes bytes = new StringKeyBytes();
        int first = bytes.add("first");
        assertEquals(0, bytes.add("abc\u0101def"), "a character above 0xFF");
        assertEquals(0, bytes.add("\uD83D\uDE00"), "a surrogate pair");
        int next = bytes.add("next");
        assertTrue(bytes.matches(first, "first"));
        assertTrue(bytes.matches(next, "next"));
        assertFalse(bytes.matches(next, "abc\u0101def"));
        assertFalse(bytes.matches(first, "firsu"), "same length, last character differs");
        assertFalse(bytes.matches(next, "nex\u0174"), "0x174 differs from 't' (0x74) only above the low byte");
    }

    @Test
    void whenAKeyIsLongerThanTheLimit_thenItGetsNoCopyButShorterOnesDo() {
        StringKeyBytes bytes = new StringKeyBytes();
        String longest = "x".repeat(StringKeyBytes.MAX_LENGTH);
        int ref = bytes.add(longest);
        assertTrue(ref > 0);
        assertTrue(bytes.matches(ref, "x".repeat(StringKeyBytes.MAX_LENGTH)));
        assertFalse(bytes.matches(ref, "x".repeat(StringKeyBytes.MAX_LENGTH - 1)));
        assertEquals(0, bytes.add(longest + "x"));
        assertEquals(0, bytes.add("x".repeat(300)), "a length that does not fit in a byte");
        int after = bytes.add("after");
        assertTrue(bytes.matches(after, "after"));
        assertFalse(bytes.matches(ref, "x".repeat(300)));
    }

    @Test
    void whenManyKeysAreCopiedAndCleared_thenEveryReferenceStillMatchesItsKey() {
        Random random = new Random(11);
        StringKeyBytes bytes = new StringKeyBytes();
        for (int round = 0; round < 3; round++) {
            List<String> keys = new ArrayList<>();
            List<Integer> refs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                char[] chars = new char[random.nextInt(40)];
                for (int c = 0; c < chars.length; c++) {
                    chars[c] = (char) random.nextInt(256);
                }
                keys.add(new String(chars));
                refs.add(bytes.add(keys.get(i)));
            }
            for (int i = 0; i < keys.size(); i++) {
                assertTrue(bytes.matches(refs.get(i), keys.get(i)), "key " + i + " of round " + round);
                String other = keys.get((i + 1) % keys.size());
                assertEquals(keys.get(i).equals(other), bytes.matches(refs.get(i), other));
            }
            if (round == 0) {
                bytes.clear();
            } else {
                bytes.clearAndShrink();
            }
        }
    }
}
