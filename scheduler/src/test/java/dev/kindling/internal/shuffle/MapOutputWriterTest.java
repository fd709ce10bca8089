package dev.kindling.internal.shuffle;

import dev.kindling.internal.scheduler.TestLineage;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.shuffle.ShuffleWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The map-side combine of {@link MapOutputWriter} against a plain fold of each key's values in
 * record order, with and without memory pressure.
 */
class MapOutputWriterTest {

    /** A key whose hash code is chosen by the test. */
    record Colliding(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Joins values with commas in the order they come, so a lost, repeated or reordered value shows.
     * A null value starts a null combiner, which a later value turns into {@code "null,v"}.
     */
    static final class Joining implements Aggregator<Object, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object createCombiner(Object value) {
            return value;
        }

        @Override
        public Object mergeValue(Object combiner, Object value) {
            return combiner + "," + value;
        }

        @Override
        public Object mergeCombiners(Object left, Object right) {
            return left + "," + right;
        }
    }

    /** One write to the shuffle: its bucket, key and combiner. */
    record Written(int reducer, Object key, Object value) {
    }

    /** A shuffle writer that keeps what it is given, in order. */
    static final class ListWriter implements ShuffleWriter {
        final List<Written> records = new ArrayList<>();
        boolean preferSerialized;
        /** Records written when the hint came: it must come after the last write. */
        long writtenAtHint = -1;

        @Override
        public void preferSerialized() {
            preferSerialized = true;
            writtenAtHint = records.size();
        }

        @Override
        public void write(int reducer, Object key, Object value) {
            records.add(new Written(reducer, key, value));
        }

        @Override
        public void commit() {
        }

        @Override
        public void abort() {
        }

        @Override
        public long recordsWritten() {
            return records.size();
        }

        @Override
        public long[] partitionLengths() {
            return new long[0];
        }

        @Override
        public long bytesWritten() {
            return 0;
        }
    }

    private static final Partitioner PARTITIONER = new HashPartitioner(3);

    private static ListWriter write(List<Object[]> records, Optional<MemoryManager> memory) throws Exception {
        ShuffleDependency dep = new ShuffleDependency(TestLineage.source(1, 0, 1), 1, PARTITIONER, new Joining(), true,
                r -> ((Object[]) r)[0], r -> ((Object[]) r)[1]);
        ListWriter writer = new ListWriter();
        MapOutputWriter.write(dep, records.iterator(), writer, new TaskContext(1, 0, 0, 0, 0, 1L), memory);
        return writer;
    }

    /** The reference: each key's values folded in record order with the aggregator's own functions. */
    private static Map<Object, Object> fold(List<Object[]> records) {
        Joining agg = new Joining();
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object[] r : records) {
            out.put(r[0], out.containsKey(r[0]) ? agg.mergeValue(out.get(r[0]), r[1]) : agg.createCombiner(r[1]));
        }
        return out;
    }

    /** Merges the written combiners of each key in write order, as a reduce task would. */
    private static Map<Object, Object> mergeWritten(ListWriter writer) {
        Joining agg = new Joining();
        Map<Object, Object> out = new HashMap<>();
        for (Written w : writer.records) {
            assertEquals(PARTITIONER.getPartition(w.key()), w.reducer(), "bucket of key " + w.key());
            out.put(w.key(), out.containsKey(w.key()) ? agg.mergeCombiners(out.get(w.key()), w.value()) : w.value());
        }
        return out;
    }

    private static List<Object[]> randomRecords(int count, int distinctKeys, long seed) {
        Random random = new Random(seed);
        List<Object[]> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = random.nextInt(distinctKeys);
            Object key = k == 0 ? null : k % 5 == 0 ? new Colliding(k, 99) : k % 7 == 0 ? (k % 2 == 0 ? "Aa" : "BB")
                    : "key" + k;
            Object value = random.nextInt(20) == 0 ? null : "v" + i;
            records.add(new Object[] {key, value});
        }
        return records;
    }

    @Test
    void whenManyRecordsAreCombinedIntoALargeOutput_thenTheWriterIsAskedToKeepItSerialized() throws Exception {
        int keys = (int) MapOutputWriter.SERIALIZE_MIN_RECORDS_WRITTEN;
        List<Object[]> records = new ArrayList<>();
        for (int i = 0; i < keys * MapOutputWriter.SERIALIZE_MIN_RECORDS_READ_PER_WRITTEN; i++) {
            records.add(new Object[] {"w" + (i % keys), "v"});
        }
        ListWriter writer = write(records, Optional.empty());
        assertEquals(keys, writer.records.size(), "one combiner per key");
        assertTrue(writer.preferSerialized, keys + " combiners from " + records.size() + " records");
        assertEquals(keys, writer.writtenAtHint, "the hint comes after every combiner is written");
        assertEquals(fold(records), mergeWritten(writer));
    }

    @Test
    void whenTheOutputIsSmallOrBarelyCombined_thenItIsLeftAsObjects() throws Exception {
        List<Object[]> small = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) { // 1,000 keys, 100 records each: well combined, but small
            small.add(new Object[] {"w" + (i % 1000), "v"});
        }
        assertFalse(write(small, Optional.empty()).preferSerialized, "1,000 combiners");
        List<Object[]> barely = new ArrayList<>();
        int keys = 20_000;
        for (int i = 0; i < keys * 4; i++) { // 4 records per key: below the ratio
            barely.add(new Object[] {"w" + (i % keys), "v"});
        }
        assertFalse(write(barely, Optional.empty()).preferSerialized, keys + " combiners from " + barely.size());
        assertTrue(MapOutputWriter.shouldSerialize(8 * 10_000, 10_000));
        assertFalse(MapOutputWriter.shouldSerialize(8 * 10_000 - 1, 10_000));
        assertFalse(MapOutputWriter.shouldSerialize(1_000_000, 9_999));
    }

    @Test
    void whenNoBudgetIsSet_thenEachKeyIsWrittenOnceWithTheFoldOfItsValues() throws Exception {
        List<Object[]> records = randomRecords(20_000, 700, 1);
        ListWriter writer = write(records, Optional.empty());
        Map<Object, Object> expected = fold(records);
        assertEquals(expected.size(), writer.records.size(), "one combiner per key");
        assertEquals(expected, mergeWritten(writer));
    }

    @Test
    void whenTheFirstValueOfAKeyIsNull_thenItsNullCombinerIsMergedIntoNotReplaced() throws Exception {
        List<Object[]> records = List.of(new Object[] {"Aa", null}, new Object[] {"BB", "b1"},
                new Object[] {"Aa", "a2"}, new Object[] {null, null}, new Object[] {null, null},
                new Object[] {"Aa", "a3"}, new Object[] {"c", null});
        ListWriter writer = write(records, Optional.empty());
        Map<Object, Object> expected = new HashMap<>();
        expected.put("Aa", "null,a2,a3");
        expected.put("BB", "b1");
        expected.put(null, "null,null");
        expected.put("c", null);
        assertEquals(expected, fold(records), "the reference fold itself");
        assertEquals(4, writer.records.size());
        assertEquals(expected, mergeWritten(writer));
    }

    @Test
    void whenTheBudgetRunsOut_thenPartialCombinersAreFlushedAndStillMergeToTheFold() throws Exception {
        List<Object[]> records = randomRecords(60_000, 5_000, 2);
        MemoryManager memory = new MemoryManager(64 * 1024);
        ListWriter writer = write(records, Optional.of(memory));
        Map<Object, Object> expected = fold(records);
        assertTrue(writer.records.size() > expected.size(),
                "a 64 KB budget must force flushes (" + writer.records.size() + " records for " + expected.size()
                        + " keys)");
        assertEquals(expected, mergeWritten(writer));
        assertEquals(0, memory.executionUsed(), "all execution memory is given back");
    }

    @Test
    void whenABudgetIsAmple_thenNothingIsFlushedEarly() throws Exception {
        List<Object[]> records = randomRecords(20_000, 700, 3);
        MemoryManager memory = new MemoryManager(512L << 20);
        ListWriter writer = write(records, Optional.of(memory));
        Map<Object, Object> expected = fold(records);
        assertEquals(expected.size(), writer.records.size());
        assertEquals(expected, mergeWritten(writer));
        assertEquals(0, memory.executionUsed());
    }
}
