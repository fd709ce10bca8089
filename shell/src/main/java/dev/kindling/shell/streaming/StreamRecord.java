package dev.kindling.shell.streaming;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One map output record of a streaming job, stored the way the reducer will read it: the bytes
 * {@code key + TAB + value} in one array, plus the key's length. Sorting compares keys as unsigned
 * bytes (Hadoop's Text order), then values the same way so that the order of values within a key
 * is deterministic (Hadoop leaves it unspecified).
 */
public final class StreamRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Hadoop's order: key bytes unsigned, then value bytes unsigned. */
    public static final Comparator<StreamRecord> ORDER = StreamRecord::compare;

    private final byte[] line;
    private final int keyLength;

    /** Wraps {@code line} = key + TAB + value, whose key is its first {@code keyLength} bytes. */
    public StreamRecord(byte[] line, int keyLength) {
        this.line = line;
        this.keyLength = keyLength;
    }

    /** Builds a record from a key and a value, joined by a TAB. */
    public static StreamRecord of(byte[] key, int keyFrom, int keyTo, byte[] value, int valueFrom, int valueTo) {
        int k = keyTo - keyFrom;
        int v = valueTo - valueFrom;
        byte[] line = new byte[k + 1 + v];
        System.arraycopy(key, keyFrom, line, 0, k);
        line[k] = '\t';
        System.arraycopy(value, valueFrom, line, k + 1, v);
        return new StreamRecord(line, k);
    }

    /** The bytes key + TAB + value (do not modify). */
    public byte[] line() {
        return line;
    }

    /** Length of the key in {@link #line()}. */
    public int keyLength() {
        return keyLength;
    }

    /** Length of the value. */
    public int valueLength() {
        return line.length - keyLength - 1;
    }

    /** Whether this record's key equals {@code other}'s. */
    public boolean sameKey(StreamRecord other) {
        return Arrays.equals(line, 0, keyLength, other.line, 0, other.keyLength);
    }

    /**
     * Hadoop's {@code Text.hashCode()} over the key bytes: {@code h = 1; h = 31 * h + b} for each
     * (signed) byte; the HashPartitioner takes {@code (h & Integer.MAX_VALUE) % reducers}.
     */
    public int keyHash() {
        int h = 1;
        for (int i = 0; i < keyLength; i++) {
            h = 31 * h + line[i];
        }
        return h;
    }

    private static int compare(StreamRecord a, StreamRecord b) {
        int c = Arrays.compareUnsigned(a.line, 0, a.keyLength, b.line, 0, b.keyLength);
        if (c != 0) {
            return c;
        }
        return Arrays.compareUnsigned(a.line, a.keyLength + 1, a.line.length, b.line, b.keyLength + 1, b.line.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamRecord r && r.keyLength == keyLength && Arrays.equals(r.line, line);
    }

    @Override
    public int hashCode() {
        return keyHash();
    }

    @Override
    public String toString() {
        return new String(line, java.nio.charset.StandardCharsets.UTF_8);
    }
}
