package dev.kindling.shell.streaming;

import dev.kindling.internal.io.ByteSlice;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;

/**
 * One reducer's input, in the job's key order: what a reduce task feeds its reducer as
 * {@code key TAB value} lines. {@link BlockSorter} gives the default byte order,
 * {@link KeyOrderSorter} the order of a {@link KeyFieldComparator}.
 */
interface SortedRecords {

    /**
     * The records in order, as lines {@code key TAB value} (without a line end); each is a slice of
     * its {@link RecordBlock}, so {@link RecordBlock#keyLengthOf} gives its key's length.
     */
    Iterator<ByteSlice> sorted();

    /** Writes the records in order to {@code out}, each line ended by {@code \n}. */
    void writeTo(OutputStream out) throws IOException;

    /** Records sorted (Hadoop's "Reduce input records"). */
    int records();

    /** Groups of equal keys (Hadoop's "Reduce input groups"). */
    int groups();
}
