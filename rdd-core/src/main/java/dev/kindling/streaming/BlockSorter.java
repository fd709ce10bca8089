package dev.kindling.streaming;

import dev.kindling.io.ByteSlice;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Puts one reducer's records, packed in {@link RecordBlock}s from every map task, into Hadoop's
 * order (unsigned key bytes, then value bytes) without an object per record:
 * <ol>
 *   <li>index every record as (block, offset) in primitive arrays;</li>
 *   <li>group equal keys with an open-addressing hash table (Hadoop's Text hash), chaining each
 *       group's records in arrival order;</li>
 *   <li>sort only the distinct keys (real keys repeat a lot, e.g. words by Zipf's law);</li>
 *   <li>within a key, sort the values unless they are all identical (then any order is the same
 *       bytes), so the output never depends on map task timing.</li>
 * </ol>
 * Lines come out as {@link ByteSlice}s of the blocks, ready for the reducer's stdin.
 */
final class BlockSorter {

    private final byte[][] blocks;
    private int[] block;
    private int[] offset;
    private int[] next;
    private int count;
    private int groups;

    private BlockSorter(List<RecordBlock> input) {
        blocks = new byte[input.size()][];
        int total = 0;
        for (RecordBlock b : input) {
            total += b.records();
        }
        block = new int[total];
        offset = new int[total];
        next = new int[total];
        for (int b = 0; b < input.size(); b++) {
            RecordBlock rb = input.get(b);
            blocks[b] = rb.data();
            for (int at = 0; at < rb.size(); at += RecordBlock.HEADER + RecordBlock.getInt(rb.data(), at)) {
                block[count] = b;
                offset[count] = at;
                count++;
            }
        }
    }

    /** Indexes the records of {@code input}; {@link #sorted()} then orders them. */
    static BlockSorter of(List<RecordBlock> input) {
        return new BlockSorter(input);
    }

    private int lineLength(int r) {
        return RecordBlock.getInt(blocks[block[r]], offset[r]);
    }

    private int keyLength(int r) {
        return RecordBlock.getInt(blocks[block[r]], offset[r] + 4);
    }

    private int keyHash(int r) {
        byte[] d = blocks[block[r]];
        int from = offset[r] + RecordBlock.HEADER;
        int h = 1;
        for (int i = from, end = from + keyLength(r); i < end; i++) {
            h = 31 * h + d[i];
        }
        return h;
    }

    private int compareKeys(int a, int b) {
        int fa = offset[a] + RecordBlock.HEADER;
        int fb = offset[b] + RecordBlock.HEADER;
        return compare(blocks[block[a]], fa, fa + keyLength(a), blocks[block[b]], fb, fb + keyLength(b));
    }

    private int compareValues(int a, int b) {
        int fa = offset[a] + RecordBlock.HEADER + keyLength(a) + 1;
        int fb = offset[b] + RecordBlock.HEADER + keyLength(b) + 1;
        int ea = offset[a] + RecordBlock.HEADER + lineLength(a);
        int eb = offset[b] + RecordBlock.HEADER + lineLength(b);
        return compare(blocks[block[a]], fa, ea, blocks[block[b]], fb, eb);
    }

    /**
     * Unsigned byte order of two ranges. A plain loop: keys and values are short, and for short
     * ranges this beats {@code Arrays.compareUnsigned}'s set-up cost.
     */
    private static int compare(byte[] a, int fromA, int toA, byte[] b, int fromB, int toB) {
        int la = toA - fromA;
        int lb = toB - fromB;
        int n = Math.min(la, lb);
        for (int i = 0; i < n; i++) {
            int x = a[fromA + i] & 0xff;
            int y = b[fromB + i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return la - lb;
    }

    /** The records in Hadoop's order, as lines {@code key TAB value}; call once. */
    Iterator<ByteSlice> sorted() {
        int capacity = Integer.highestOneBit(Math.max(16, count * 2 - 1)) << 1;
        int[] table = new int[capacity];
        Arrays.fill(table, -1);
        int[] heads = new int[16];
        int[] tails = new int[16];
        int groups = 0;
        int[] groupOfSlot = new int[capacity];
        int[] slotHash = new int[capacity];
        for (int r = 0; r < count; r++) {
            next[r] = -1;
            int hash = keyHash(r);
            int slot = (hash * 0x9E3779B9 >>> 1) & (capacity - 1);
            while (true) {
                int head = table[slot];
                if (head < 0) {
                    slotHash[slot] = hash;
                    if (groups == heads.length) {
                        heads = Arrays.copyOf(heads, groups * 2);
                        tails = Arrays.copyOf(tails, groups * 2);
                    }
                    table[slot] = r;
                    groupOfSlot[slot] = groups;
                    heads[groups] = r;
                    tails[groups] = r;
                    groups++;
                    break;
                }
                if (slotHash[slot] == hash && keyLength(head) == keyLength(r) && compareKeys(head, r) == 0) {
                    int g = groupOfSlot[slot];
                    next[tails[g]] = r;
                    tails[g] = r;
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
        }
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = heads[g];
        }
        Arrays.sort(order, (a, b) -> compareKeys(a, b));
        int[] sequence = new int[count];
        int n = 0;
        for (Integer head : order) {
            int start = n;
            boolean identical = true;
            for (int r = head; r >= 0; r = next[r]) {
                sequence[n++] = r;
                if (identical && r != head && (lineLength(r) != lineLength(head) || compareValues(r, head) != 0)) {
                    identical = false;
                }
            }
            if (!identical) {
                Integer[] values = new Integer[n - start];
                for (int i = 0; i < values.length; i++) {
                    values[i] = sequence[start + i];
                }
                Arrays.sort(values, (a, b) -> compareValues(a, b));
                for (int i = 0; i < values.length; i++) {
                    sequence[start + i] = values[i];
                }
            }
        }
        next = null;
        this.groups = groups;
        int total = n;
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < total;
            }

            @Override
            public ByteSlice next() {
                if (i >= total) {
                    throw new NoSuchElementException();
                }
                int r = sequence[i++];
                return new ByteSlice(blocks[block[r]], offset[r] + RecordBlock.HEADER, lineLength(r));
            }
        };
    }

    /** Records sorted. */
    int records() {
        return count;
    }

    /** Distinct keys (Hadoop's "Reduce input groups"); known once {@link #sorted()} has run. */
    int groups() {
        return groups;
    }
}
