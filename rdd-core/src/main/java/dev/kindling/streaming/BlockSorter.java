package dev.kindling.streaming;

import dev.kindling.io.ByteSlice;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Puts one reducer's records, packed in {@link RecordBlock}s from every map task, into Hadoop's
 * order (unsigned key bytes, then value bytes) without an object per record, touching the records
 * in the order they lie in memory wherever it can:
 * <ol>
 *   <li>one pass over the blocks groups equal keys with an open-addressing hash table (Hadoop's
 *       Text hash) sized for the distinct keys, not the records, and notes for each group whether
 *       all its lines are byte-identical to its first one (word count: every record of a word is
 *       {@code word TAB 1});</li>
 *   <li>only the distinct keys are sorted, by a 4-byte prefix and then the full key (real keys
 *       repeat a lot, e.g. words by Zipf's law);</li>
 *   <li>a group of identical lines is written as its first line repeated, with no look at its
 *       other records; the records of the other groups are gathered in a second pass over the
 *       blocks and sorted by value, so the output never depends on map task timing.</li>
 * </ol>
 * Lines come out as {@link ByteSlice}s of the blocks ({@link #sorted()}) or straight into a
 * reducer's stdin ({@link #writeTo(OutputStream)}).
 */
final class BlockSorter {

    private static final int WRITE_BUFFER = 64 * 1024;

    private final byte[][] blocks;
    private final int[] blockSizes;
    private final int count;
    /** The group of each record, in block order. */
    private final int[] recordGroup;
    private int groups;
    private int[] groupBlock = new int[1024];
    private int[] groupOffset = new int[1024];
    private int[] groupHash = new int[1024];
    private int[] groupPrefix = new int[1024];
    private int[] groupSize = new int[1024];
    /** Whether some record of the group differs from its first one (in the value: keys are equal). */
    private boolean[] groupMixed = new boolean[1024];
    private int[] table;
    private int tableShift;
    private boolean ordered;
    /** Groups in key order. */
    private int[] order;
    /** Where each mixed group's records start in {@link #members}. */
    private int[] memberStart;
    /** The records of mixed groups, as numbers into memberBlock/memberOffset, value-sorted per group. */
    private int[] members;
    private int[] memberBlock;
    private int[] memberOffset;
    private int[] memberPrefix;

    private BlockSorter(List<RecordBlock> input) {
        blocks = new byte[input.size()][];
        blockSizes = new int[input.size()];
        int total = 0;
        for (int b = 0; b < input.size(); b++) {
            RecordBlock rb = input.get(b);
            blocks[b] = rb.data();
            blockSizes[b] = rb.size();
            total += rb.records();
        }
        count = total;
        recordGroup = new int[total];
        table = new int[1024];
        tableShift = 32 - 10;
    }

    /** Groups the records of {@code input} by key; {@link #sorted()} or {@link #writeTo} then orders them. */
    static BlockSorter of(List<RecordBlock> input) {
        BlockSorter sorter = new BlockSorter(input);
        sorter.group();
        return sorter;
    }

    private void group() {
        Arrays.fill(table, -1);
        int r = 0;
        for (int b = 0; b < blocks.length; b++) {
            byte[] d = blocks[b];
            for (int at = 0, end = blockSizes[b]; at < end; at += RecordBlock.HEADER + RecordBlock.getInt(d, at)) {
                recordGroup[r++] = groupOf(b, d, at);
            }
        }
    }

    /** The group of the record at {@code d[at]} (in block {@code b}), made if its key is new. */
    private int groupOf(int b, byte[] d, int at) {
        int lineLength = RecordBlock.getInt(d, at);
        int keyLength = RecordBlock.getInt(d, at + 4);
        int from = at + RecordBlock.HEADER;
        int hash = 1;
        for (int i = from, end = from + keyLength; i < end; i++) {
            hash = 31 * hash + d[i];
        }
        int mask = table.length - 1;
        for (int slot = (hash * 0x9E3779B9) >>> tableShift; ; slot = (slot + 1) & mask) {
            int g = table[slot];
            if (g < 0) {
                return newGroup(slot, b, at, hash, prefix(d, from, keyLength));
            }
            if (groupHash[g] != hash) {
                continue;
            }
            byte[] h = blocks[groupBlock[g]];
            int headAt = groupOffset[g];
            int headLine = RecordBlock.getInt(h, headAt);
            int headKey = RecordBlock.getInt(h, headAt + 4);
            int headFrom = headAt + RecordBlock.HEADER;
            if (headKey != keyLength || !Arrays.equals(h, headFrom, headFrom + headKey, d, from, from + keyLength)) {
                continue;
            }
            groupSize[g]++;
            if (!groupMixed[g] && (headLine != lineLength
                    || !Arrays.equals(h, headFrom + headKey, headFrom + headLine, d, from + keyLength, from + lineLength))) {
                groupMixed[g] = true;
            }
            return g;
        }
    }

    private int newGroup(int slot, int b, int at, int hash, int prefix) {
        int g = groups++;
        if (g == groupBlock.length) {
            int n = g * 2;
            groupBlock = Arrays.copyOf(groupBlock, n);
            groupOffset = Arrays.copyOf(groupOffset, n);
            groupHash = Arrays.copyOf(groupHash, n);
            groupPrefix = Arrays.copyOf(groupPrefix, n);
            groupSize = Arrays.copyOf(groupSize, n);
            groupMixed = Arrays.copyOf(groupMixed, n);
        }
        groupBlock[g] = b;
        groupOffset[g] = at;
        groupHash[g] = hash;
        groupPrefix[g] = prefix;
        groupSize[g] = 1;
        table[slot] = g;
        if (groups * 2 > table.length) {
            rehash();
        }
        return g;
    }

    private void rehash() {
        table = new int[table.length * 2];
        tableShift--;
        Arrays.fill(table, -1);
        int mask = table.length - 1;
        for (int g = 0; g < groups; g++) {
            int slot = (groupHash[g] * 0x9E3779B9) >>> tableShift;
            while (table[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = g;
        }
    }

    /** The first 4 bytes of {@code d[from, from + length)} as an int that orders like them unsigned (zero-padded). */
    private static int prefix(byte[] d, int from, int length) {
        int p = 0;
        for (int i = 0; i < 4; i++) {
            p = p << 8 | (i < length ? d[from + i] & 0xff : 0);
        }
        return p;
    }

    /** Sorts the groups by key and the records of mixed groups by value; runs once. */
    private void order() {
        if (ordered) {
            return;
        }
        ordered = true;
        table = null;
        order = new int[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        IntSorter.sort(order, 0, groups, this::compareGroupKeys);
        memberStart = new int[groups];
        int mixedRecords = 0;
        for (int g = 0; g < groups; g++) {
            if (groupMixed[g]) {
                memberStart[g] = mixedRecords;
                mixedRecords += groupSize[g];
            }
        }
        if (mixedRecords == 0) {
            return;
        }
        members = new int[mixedRecords];
        memberBlock = new int[mixedRecords];
        memberOffset = new int[mixedRecords];
        memberPrefix = new int[mixedRecords];
        int[] fill = memberStart.clone();
        int r = 0;
        for (int b = 0; b < blocks.length; b++) {
            byte[] d = blocks[b];
            for (int at = 0, end = blockSizes[b]; at < end; at += RecordBlock.HEADER + RecordBlock.getInt(d, at)) {
                int g = recordGroup[r++];
                if (groupMixed[g]) {
                    int m = fill[g]++;
                    members[m] = m;
                    memberBlock[m] = b;
                    memberOffset[m] = at;
                    int valueFrom = at + RecordBlock.HEADER + RecordBlock.getInt(d, at + 4) + 1;
                    memberPrefix[m] = prefix(d, valueFrom, at + RecordBlock.HEADER + RecordBlock.getInt(d, at) - valueFrom);
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            if (groupMixed[g]) {
                IntSorter.sort(members, memberStart[g], memberStart[g] + groupSize[g], this::compareMemberValues);
            }
        }
    }

    private int compareGroupKeys(int a, int b) {
        int c = Integer.compareUnsigned(groupPrefix[a], groupPrefix[b]);
        if (c != 0) {
            return c;
        }
        byte[] da = blocks[groupBlock[a]];
        byte[] db = blocks[groupBlock[b]];
        int fa = groupOffset[a] + RecordBlock.HEADER;
        int fb = groupOffset[b] + RecordBlock.HEADER;
        return Arrays.compareUnsigned(da, fa, fa + RecordBlock.getInt(da, groupOffset[a] + 4),
                db, fb, fb + RecordBlock.getInt(db, groupOffset[b] + 4));
    }

    /** Orders two records of one key by value (the part after the key and its TAB). */
    private int compareMemberValues(int a, int b) {
        int c = Integer.compareUnsigned(memberPrefix[a], memberPrefix[b]);
        if (c != 0) {
            return c;
        }
        byte[] da = blocks[memberBlock[a]];
        byte[] db = blocks[memberBlock[b]];
        int oa = memberOffset[a];
        int ob = memberOffset[b];
        int lineA = oa + RecordBlock.HEADER;
        int lineB = ob + RecordBlock.HEADER;
        return Arrays.compareUnsigned(da, lineA + RecordBlock.getInt(da, oa + 4) + 1, lineA + RecordBlock.getInt(da, oa),
                db, lineB + RecordBlock.getInt(db, ob + 4) + 1, lineB + RecordBlock.getInt(db, ob));
    }

    /** The records in Hadoop's order, as lines {@code key TAB value}. */
    Iterator<ByteSlice> sorted() {
        order();
        Cursor cursor = new Cursor();
        return new Iterator<>() {
            private boolean ready;
            private boolean more;

            @Override
            public boolean hasNext() {
                if (!ready) {
                    more = cursor.advance();
                    ready = true;
                }
                return more;
            }

            @Override
            public ByteSlice next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return new ByteSlice(cursor.array, cursor.offset, cursor.length);
            }
        };
    }

    /**
     * Writes the records in Hadoop's order to {@code out}, each line {@code key TAB value} ended by
     * {@code \n}, in writes of up to 64 KiB.
     */
    void writeTo(OutputStream out) throws IOException {
        order();
        Cursor cursor = new Cursor();
        byte[] buffer = new byte[WRITE_BUFFER];
        int used = 0;
        while (cursor.advance()) {
            int length = cursor.length;
            if (used + length + 1 > buffer.length) {
                out.write(buffer, 0, used);
                used = 0;
                if (length + 1 > buffer.length) {
                    out.write(cursor.array, cursor.offset, length);
                    out.write('\n');
                    continue;
                }
            }
            System.arraycopy(cursor.array, cursor.offset, buffer, used, length);
            used += length;
            buffer[used++] = '\n';
        }
        if (used > 0) {
            out.write(buffer, 0, used);
        }
    }

    /** Walks the sorted lines; each {@link #advance()} points {@code array/offset/length} at the next one. */
    private final class Cursor {
        byte[] array;
        int offset;
        int length;
        private int position = -1;
        private int remaining;
        private boolean mixed;
        private int member;

        boolean advance() {
            while (remaining == 0) {
                if (++position >= groups) {
                    return false;
                }
                int g = order[position];
                remaining = groupSize[g];
                mixed = groupMixed[g];
                if (mixed) {
                    member = memberStart[g];
                } else {
                    point(groupBlock[g], groupOffset[g]);
                }
            }
            remaining--;
            if (mixed) {
                int m = members[member++];
                point(memberBlock[m], memberOffset[m]);
            }
            return true;
        }

        private void point(int b, int at) {
            array = blocks[b];
            offset = at + RecordBlock.HEADER;
            length = RecordBlock.getInt(array, at);
        }
    }

    /** Records sorted. */
    int records() {
        return count;
    }

    /** Distinct keys (Hadoop's "Reduce input groups"). */
    int groups() {
        return groups;
    }
}
