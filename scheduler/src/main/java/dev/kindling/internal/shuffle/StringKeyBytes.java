package dev.kindling.internal.shuffle;

import java.util.Arrays;

/**
 * Copies of the characters of a {@link CombineMap}'s string keys, packed one after another in one
 * byte array, so that a lookup can confirm a key by reading a few neighbouring bytes instead of
 * following the stored key to its {@code String} and on to that string's own byte array (two cache
 * misses when the keys are many). Only keys whose characters all fit in a byte (Latin-1, as
 * {@code String} itself stores them compactly) and that are at most {@value #MAX_LENGTH} characters
 * long get a copy; the map compares any other key with {@code equals}. Longer keys get none: a copy
 * would double their memory, and comparing their characters costs as much as the misses saved. The
 * copies are only a cache of the stored keys' contents: the map keeps every key object too, and
 * hands those out.
 *
 * <p>A copy is its length in one byte, then one byte per character; it is named by a reference, one
 * past its offset, so that 0 means "no copy". Confined to the map's thread.
 */
final class StringKeyBytes {

    /** The longest key that gets a copy. */
    static final int MAX_LENGTH = 64;
    /** The most bytes held: beyond it new keys get no copy (references must stay positive ints). */
    private static final int MAX_BYTES = 1 << 30;
    private static final int INITIAL_BYTES = 1 << 10;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int top;

    /**
     * Copies {@code key} and returns the copy's reference, or 0 (no copy) if the key is too long, has
     * a character beyond Latin-1, or the copies are full.
     */
    int add(String key) {
        int length = key.length();
        int end = top + 1 + length;
        if (length > MAX_LENGTH || end > MAX_BYTES) {
            return 0;
        }
        if (end > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(end, 2 * bytes.length)));
        }
        byte[] b = bytes;
        int at = top;
        b[at] = (byte) length;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c > 0xFF) {
                return 0; // top unchanged: the partial copy is overwritten by the next one
            }
            b[at + 1 + i] = (byte) c;
        }
        top = end;
        return at + 1;
    }

    /** Whether {@code key} has exactly the characters of the copy {@code ref} (a reference {@link #add} returned). */
    boolean matches(int ref, String key) {
        byte[] b = bytes;
        int at = ref - 1;
        int length = key.length();
        if (b[at] != length) {
            return false;
        }
        int from = at + 1;
        for (int i = 0; i < length; i++) {
            if ((b[from + i] & 0xFF) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes held by the copies' array (for memory accounting). */
    long footprint() {
        return bytes.length;
    }

    /** Forgets every copy, keeping the array for a map that refills at once. */
    void clear() {
        top = 0;
    }

    /** Forgets every copy and gives the array back. */
    void clearAndShrink() {
        bytes = new byte[INITIAL_BYTES];
        top = 0;
    }
}
