package dev.kindling.shell.streaming;

import dev.kindling.internal.io.ByteSlice;
import it.unimi.dsi.fastutil.ints.IntArrays;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Puts one reducer's records, packed in {@link RecordBlock}s, into the order of a
 * {@link KeyFieldComparator} ({@code mapreduce.job.output.key.comparator.class=
 * KeyFieldBasedComparator}). Keys the comparator finds equal form one group (Hadoop groups reduce
 * input with the output key comparator); within a group, records are ordered by key bytes, then
 * value bytes, so that the output never depends on map task timing. The records are sorted as
 * an array of positions into the blocks, with no object per record.
 */
final class KeyOrderSorter implements SortedRecords {

    private final byte[][] blocks;
    private final int[] block;
    private final int[] offset;
    private final int[] order;
    private final KeyFieldComparator comparator;
    /** Per record, where each -k of the comparator lies ({@link KeyFieldComparator#select}). */
    private final int[] selected;
    private final int width;
    private final int groups;

    private KeyOrderSorter(List<RecordBlock> input, KeyFieldComparator comparator) {
        this.comparator = comparator;
        blocks = new byte[input.size()][];
        int total = 0;
        for (int b = 0; b < input.size(); b++) {
            blocks[b] = input.get(b).data();
            total += input.get(b).records();
        }
        block = new int[total];
        offset = new int[total];
        order = new int[total];
        int r = 0;
        for (int b = 0; b < input.size(); b++) {
            byte[] d = blocks[b];
            for (int at = 0, end = input.get(b).size(); at < end; at += RecordBlock.HEADER + RecordBlock.getInt(d, at)) {
                block[r] = b;
                offset[r] = at;
                order[r] = r;
                r++;
            }
        }
        width = comparator.selectionSize();
        selected = new int[total * width];
        if (width > 0) {
            for (int i = 0; i < total; i++) {
                byte[] d = blocks[block[i]];
                int from = offset[i] + RecordBlock.HEADER;
                comparator.select(d, from, from + RecordBlock.getInt(d, offset[i] + 4), selected, i * width);
            }
        }
        IntArrays.quickSort(order, 0, total, this::compareRecords);
        int g = total == 0 ? 0 : 1;
        for (int i = 1; i < total; i++) {
            if (compareKeys(order[i - 1], order[i]) != 0) {
                g++;
            }
        }
        groups = g;
    }

    /** Sorts the records of {@code input} with {@code comparator}. */
    static KeyOrderSorter of(List<RecordBlock> input, KeyFieldComparator comparator) {
        return new KeyOrderSorter(input, comparator);
    }

    private int compareKeys(int x, int y) {
        byte[] dx = blocks[block[x]];
        byte[] dy = blocks[block[y]];
        if (width > 0) {
            return comparator.compareSelected(dx, selected, x * width, dy, selected, y * width);
        }
        int kx = offset[x] + RecordBlock.HEADER;
        int ky = offset[y] + RecordBlock.HEADER;
        return comparator.compare(dx, kx, kx + RecordBlock.getInt(dx, offset[x] + 4),
                dy, ky, ky + RecordBlock.getInt(dy, offset[y] + 4));
    }

    private int compareRecords(int x, int y) {
        int c = compareKeys(x, y);
        if (c != 0) {
            return c;
        }
        byte[] dx = blocks[block[x]];
        byte[] dy = blocks[block[y]];
        int lx = offset[x] + RecordBlock.HEADER;
        int ly = offset[y] + RecordBlock.HEADER;
        int keyX = RecordBlock.getInt(dx, offset[x] + 4);
        int keyY = RecordBlock.getInt(dy, offset[y] + 4);
        c = Arrays.compareUnsigned(dx, lx, lx + keyX, dy, ly, ly + keyY);
        if (c != 0) {
            return c;
        }
        return Arrays.compareUnsigned(dx, lx + keyX + 1, lx + RecordBlock.getInt(dx, offset[x]),
                dy, ly + keyY + 1, ly + RecordBlock.getInt(dy, offset[y]));
    }

    private ByteSlice line(int r) {
        byte[] d = blocks[block[r]];
        return new ByteSlice(d, offset[r] + RecordBlock.HEADER, RecordBlock.getInt(d, offset[r]));
    }

    @Override
    public Iterator<ByteSlice> sorted() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public ByteSlice next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return line(order[next++]);
            }
        };
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        for (int r : order) {
            ByteSlice l = line(r);
            buffered.write(l.array(), l.offset(), l.length());
            buffered.write('\n');
        }
        buffered.flush();
    }

    @Override
    public int records() {
        return order.length;
    }

    @Override
    public int groups() {
        return groups;
    }
}
