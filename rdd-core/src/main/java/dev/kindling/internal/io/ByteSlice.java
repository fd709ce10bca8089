package dev.kindling.internal.io;

/**
 * A range of a byte array, written as one line by {@code pipe()} input and by text output without
 * copying it out first. The array must not change while the slice is in use.
 *
 * @param array  the bytes
 * @param offset first byte of the line
 * @param length bytes in the line (no terminator)
 */
public record ByteSlice(byte[] array, int offset, int length) {
}
