package dev.kindling.shell.streaming;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a streaming program's output line into key and value, Hadoop's way: the key is everything
 * before the N-th occurrence of the separator, the value everything after it; with fewer than N
 * separators the whole line is the key and the value is empty.
 */
public final class KeyFieldSplitter implements Serializable {

    private static final long serialVersionUID = 1L;
    private final byte[] separator;
    private final int keyFields;
    /** Whether the key is everything before the first TAB (the default). */
    private final boolean tabKey;

    /** Creates a splitter on {@code separator} (UTF-8, not empty) taking {@code keyFields} fields (at least 1) as key. */
    public KeyFieldSplitter(String separator, int keyFields) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("the field separator must not be empty");
        }
        if (keyFields < 1) {
            throw new IllegalArgumentException("the number of key fields must be at least 1 (got " + keyFields + ")");
        }
        this.separator = separator.getBytes(StandardCharsets.UTF_8);
        this.keyFields = keyFields;
        this.tabKey = keyFields == 1 && this.separator.length == 1 && this.separator[0] == '\t';
    }

    /** Position of the separator that ends the key in {@code line[0, length)}, or -1 if there are too few. */
    public int keyEnd(byte[] line, int length) {
        return keyEnd(line, 0, length);
    }

    /** Position of the separator that ends the key in {@code line[from, to)}, or -1 if there are too few. */
    private int keyEnd(byte[] line, int from, int to) {
        int pos = find(line, from, to);
        for (int k = 1; k < keyFields && pos >= 0; k++) {
            pos = find(line, pos + separator.length, to);
        }
        return pos;
    }

    /**
     * Appends {@code line[from, from + length)} to the block of its reducer as key TAB value, split
     * like {@link #split}; returns the Hadoop-serialized size of the key and value (for the "Map
     * output bytes" counter). The reducer is chosen by {@code partitioner}, or by Hadoop's
     * HashPartitioner on the key's Text hash when it is null.
     */
    long appendTo(RecordBlock[] blocks, byte[] line, int from, int length, KeyFieldPartitioner partitioner) {
        int to = from + length;
        int end;
        int h = 1;
        if (tabKey) {
            // The usual case, one pass: hash the key while looking for the TAB that ends it.
            end = -1;
            for (int i = from; i < to; i++) {
                byte b = line[i];
                if (b == '\t') {
                    end = i;
                    break;
                }
                h = 31 * h + b;
            }
        } else {
            end = keyEnd(line, from, to);
            for (int i = from, keyTo = end < 0 ? to : end; i < keyTo; i++) {
                h = 31 * h + line[i];
            }
        }
        int keyLength = end < 0 ? length : end - from;
        RecordBlock block = blocks[partitioner == null ? HadoopTextPartitioner.partition(h, blocks.length)
                : partitioner.partition(line, from, keyLength, blocks.length)];
        int valueLength;
        if (end < 0) {
            block.add(line, from, keyLength, line, from, 0);
            valueLength = 0;
        } else if (separator.length == 1 && separator[0] == '\t') {
            block.add(line, from, length, keyLength);
            valueLength = length - keyLength - 1;
        } else {
            valueLength = to - end - separator.length;
            block.add(line, from, keyLength, line, end + separator.length, valueLength);
        }
        return StreamingTasks.textSize(keyLength) + StreamingTasks.textSize(valueLength);
    }

    /** Splits {@code line} (the whole array) into a record key + TAB + value; reuses the array when it can. */
    public StreamRecord split(byte[] line) {
        int end = keyEnd(line, line.length);
        if (end < 0) {
            byte[] withTab = Arrays.copyOf(line, line.length + 1);
            withTab[line.length] = '\t';
            return new StreamRecord(withTab, line.length);
        }
        if (separator.length == 1 && separator[0] == '\t') {
            return new StreamRecord(line, end);
        }
        return StreamRecord.of(line, 0, end, line, end + separator.length, line.length);
    }

    private int find(byte[] line, int from, int to) {
        byte first = separator[0];
        outer:
        for (int i = from; i <= to - separator.length; i++) {
            if (line[i] != first) {
                continue;
            }
            for (int j = 1; j < separator.length; j++) {
                if (line[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
