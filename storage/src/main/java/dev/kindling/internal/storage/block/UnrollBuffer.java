package dev.kindling.internal.storage.block;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Collects the records of a block being unrolled into memory, in order, in small arrays of
 * {@link #CHUNK} references, until {@link #toArray()} hands them out as the block's one array.
 *
 * <p>Why small arrays: the records are young while a task unrolls them, so young collections copy
 * them, and lay them out in the order they find them. HotSpot's parallel collectors (G1, Parallel)
 * split a large reference array into slices of 50 elements ({@code ParGCArrayScanChunk}) that are
 * pushed on a work stack and stolen between GC threads, so the records of one growing
 * {@code ArrayList} end up in short runs scattered over the heap, and every later scan of the
 * cached block jumps around memory. An array of at most 50 references is scanned as one unit, so
 * records collected in small arrays are copied side by side in iteration order. Measured on
 * {@code PlainBenchmark}'s 1M-point gradient step: the same loop over the same cached arrays took
 * about a quarter longer when they had been unrolled into an {@code ArrayList}.
 *
 * <p>The block itself is one array, not these chunks: reading a record's chunk, copied by the
 * collector between the records, costs more than reading a flat array kept apart from them.
 * Not thread safe: one task unrolls a block.
 */
final class UnrollBuffer {

    /** References per chunk: below the collectors' 50-element slice. */
    static final int CHUNK = 32;

    private static final Object[][] NO_CHUNKS = new Object[0][];

    private Object[][] full = NO_CHUNKS;
    private int fullCount;
    private Object[] current = new Object[CHUNK];
    private int inCurrent;

    /** Appends {@code v}. */
    void add(Object v) {
        if (inCurrent == CHUNK) {
            if (fullCount == full.length) {
                full = Arrays.copyOf(full, Math.max(16, fullCount * 2));
            }
            full[fullCount++] = current;
            current = new Object[CHUNK];
            inCurrent = 0;
        }
        current[inCurrent++] = v;
    }

    /** The number of records added. */
    int size() {
        return fullCount * CHUNK + inCurrent;
    }

    /** The records added, in order, as one new array. */
    Object[] toArray() {
        Object[] out = new Object[size()];
        for (int c = 0; c < fullCount; c++) {
            System.arraycopy(full[c], 0, out, c * CHUNK, CHUNK);
        }
        System.arraycopy(current, 0, out, fullCount * CHUNK, inCurrent);
        return out;
    }

    /** The records added so far, in order (for a block that turned out not to fit); add no more. */
    Iterator<Object> iterator() {
        return Stream.concat(Arrays.stream(full, 0, fullCount).flatMap(Arrays::stream),
                Arrays.stream(current, 0, inCurrent)).iterator();
    }
}
