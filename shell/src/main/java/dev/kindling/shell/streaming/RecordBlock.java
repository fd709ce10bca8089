package dev.kindling.shell.streaming;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One map task's output for one reducer, packed into a single byte array the way Hadoop's map
 * output buffer packs it: per record, the line length and key length (4 bytes each, big-endian),
 * then the bytes {@code key TAB value}. Millions of small records become a few large arrays, so
 * holding the shuffle in memory costs the garbage collector almost nothing.
 */
final class RecordBlock implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int HEADER = 8;

    private byte[] data = new byte[4096];
    private int size;
    private int records;

    /** Appends a record whose line is {@code key + TAB + value}: {@code line[from, from + length)}, key of {@code keyLength} bytes. */
    void add(byte[] line, int from, int length, int keyLength) {
        ensure(HEADER + length);
        putInt(size, length);
        putInt(size + 4, keyLength);
        System.arraycopy(line, from, data, size + HEADER, length);
        size += HEADER + length;
        records++;
    }

    /** Appends key bytes, a TAB and value bytes as one record. */
    void add(byte[] key, int keyFrom, int keyLength, byte[] value, int valueFrom, int valueLength) {
        int length = keyLength + 1 + valueLength;
        ensure(HEADER + length);
        putInt(size, length);
        putInt(size + 4, keyLength);
        System.arraycopy(key, keyFrom, data, size + HEADER, keyLength);
        data[size + HEADER + keyLength] = '\t';
        System.arraycopy(value, valueFrom, data, size + HEADER + keyLength + 1, valueLength);
        size += HEADER + length;
        records++;
    }

    private void ensure(int extra) {
        if (size + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
        }
    }

    private void putInt(int at, int v) {
        data[at] = (byte) (v >>> 24);
        data[at + 1] = (byte) (v >>> 16);
        data[at + 2] = (byte) (v >>> 8);
        data[at + 3] = (byte) v;
    }

    /** The key length of a record whose line is {@code line}, a slice of a block as {@link SortedRecords#sorted()} gives them. */
    static int keyLengthOf(dev.kindling.internal.io.ByteSlice line) {
        return getInt(line.array(), line.offset() - HEADER + 4);
    }

    static int getInt(byte[] data, int at) {
        return (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8 | (data[at + 3] & 0xff);
    }

    /** The packed bytes, valid in {@code [0, size())}. */
    byte[] data() {
        return data;
    }

    /** Bytes used. */
    int size() {
        return size;
    }

    /** Records held. */
    int records() {
        return records;
    }
}
