package dev.kindling.internal.shuffle;

import java.nio.charset.StandardCharsets;

/**
 * How {@link CombineMap} holds a short string key in its slot rather than as an object: a string
 * of at most {@value #MAX_CHARS} characters, all Latin-1 (words, codes, most identifiers), is
 * packed one character per byte into two longs ({@code chars0} the first eight, from the low byte
 * up; {@code chars1} the rest), and the low half of the slot's head holds {@link #lengthBits 1 +
 * its length} (0 there marks a key held as an object).
 *
 * <p>Why: a lookup compares the probe's packed characters with three longs in one cache line and
 * never follows a stored key, whose {@code equals} reads the {@code String} and then its byte
 * array: two more cache misses on most rare keys when they are many, and most of the lookup's
 * cost. Splitting and folding 40 MB of Zipf words (a scratch loop, 8.6 million words, 100,000
 * distinct; least of 8 rounds, three JVMs each): 556-588 ms with {@code equals}, 500-524 ms
 * against a packed copy of the characters in a separate byte array, 436-464 ms inline. The hash
 * comes from the packed longs ({@link #hash}) rather than {@code String.hashCode}, a multiply per
 * character that is not cached for a string a split has just made.
 *
 * <p>The key itself is not kept: {@link #toString} makes a new, equal string when the map is
 * drained (strings have no identity callers may rely on). So the key strings a task's input made
 * die young instead of being copied by each young collection while the task runs, and the
 * collector has no old-to-young references to track from the table (a large {@code Object[]} of
 * keys is also one G1 does not free at a young collection; it set a word count's peak RSS).
 */
final class InlineKeys {

    /** The longest string key held inline. */
    static final int MAX_CHARS = 16;

    private InlineKeys() {
    }

    /** The low half of the head of an inline key of {@code length} characters: never 0. */
    static int lengthBits(int length) {
        return length + 1;
    }

    /** Whether a slot's {@code head} is that of a key held inline (else the key is an object). */
    static boolean isInline(long head) {
        return (int) head != 0;
    }

    /**
     * The hash of a key held inline, from its packed characters: strings that differ only in
     * trailing NUL characters share it (the length in the head tells them apart).
     */
    static int hash(long chars0, long chars1) {
        long h = chars0 * 0x9E3779B97F4A7C15L ^ chars1 * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int) (h ^ (h >>> 32));
    }

    /** A new string equal to the key held inline with {@code head} and packed characters. */
    static String toString(long head, long chars0, long chars1) {
        int length = (int) head - 1;
        byte[] chars = new byte[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (byte) (i < 8 ? chars0 >>> (i << 3) : chars1 >>> ((i - 8) << 3));
        }
        return new String(chars, StandardCharsets.ISO_8859_1);
    }
}
