package dev.kindling.streaming;

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
    }

    /** Position of the separator that ends the key in {@code line[0, length)}, or -1 if there are too few. */
    public int keyEnd(byte[] line, int length) {
        int pos = find(line, 0, length);
        for (int k = 1; k < keyFields && pos >= 0; k++) {
            pos = find(line, pos + separator.length, length);
        }
        return pos;
    }

    /**
     * Appends {@code line} to the block of its reducer as key TAB value, split like {@link #split};
     * returns the Hadoop-serialized size of the key and value (for the "Map output bytes" counter).
     */
    long appendTo(RecordBlock[] blocks, byte[] line) {
        int length = line.length;
        int end = keyEnd(line, length);
        int keyLength = end < 0 ? length : end;
        int h = 1;
        for (int i = 0; i < keyLength; i++) {
            h = 31 * h + line[i];
        }
        RecordBlock block = blocks[HadoopTextPartitioner.partition(h, blocks.length)];
        int valueLength;
        if (end < 0) {
            block.add(line, 0, keyLength, line, 0, 0);
            valueLength = 0;
        } else if (separator.length == 1 && separator[0] == '\t') {
            block.add(line, 0, length, keyLength);
            valueLength = length - keyLength - 1;
        } else {
            valueLength = length - end - separator.length;
            block.add(line, 0, keyLength, line, end + separator.length, valueLength);
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

    private int find(byte[] line, int from, int length) {
        byte first = separator[0];
        outer:
        for (int i = from; i <= length - separator.length; i++) {
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
