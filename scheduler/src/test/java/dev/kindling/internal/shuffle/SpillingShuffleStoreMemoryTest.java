package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.storage.memory.MemoryConsumer;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory accounting of committed in-memory map outputs. Bug: a reader that had taken its snapshot
 * kept an in-memory output reachable after the store moved it to disk and released its memory, so
 * the heap held it twice over (once as "free" budget given to another task); sortByKey at four times
 * the budget ran out of heap that way. Now the moved output's buckets are emptied and readers that
 * reach it read the file.
 */
class SpillingShuffleStoreMemoryTest {

    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    /** A value the test can follow with a weak reference. */
    record Value(long n, byte[] payload) {
    }

    @Test
    void whenAnOutputMovesToDiskWhileAReaderHoldsItsSnapshot_thenItsMemoryIsReallyFreeAndTheReaderReadsTheFile() {
        MemoryManager memory = new MemoryManager(64L << 20);
        SpillingShuffleStore store = new SpillingShuffleStore(memory, KryoSerializer.create(), dir);
        try {
            ShuffleWriter writer = store.writer(0, 0, 1, 2);
            List<WeakReference<Value>> written = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                Value v = new Value(i, new byte[64]);
                written.add(new WeakReference<>(v));
                writer.write(i % 2, "k" + i, v);
            }
            writer.commit();
            assertTrue(memory.executionUsed() > 0, "the output was committed in memory");
            RecordCursor started = store.reader(0, 0, 1);
            assertTrue(started.advance(), "this reader is inside its in-memory bucket");
            RecordCursor waiting = store.reader(0, 1, 1);

            // A task asks for the whole budget: the store moves the idle output to disk.
            MemoryConsumer task = () -> "a task that needs all the memory";
            memory.acquireExecution(task, memory.maxBytes());
            assertEquals(1, store.spillCount());
            assertEquals(memory.maxBytes(), memory.heldBy(task), "the task got the whole budget");
            assertEquals(memory.heldBy(task), memory.executionUsed(), "the output's memory was released");

            // The values of bucket 1 are reachable from nothing but the file now (bucket 0 is being read).
            WeakReference<Value> odd = written.get(RECORDS - 1);
            for (int i = 0; i < 20 && odd.get() != null; i++) {
                System.gc();
            }
            assertNull(odd.get(), "a moved output is not kept in memory by a reader's snapshot");

            long oddSum = 0;
            long oddCount = 0;
            while (waiting.advance()) {
                oddSum += ((Value) waiting.value()).n();
                oddCount++;
                assertEquals("k" + ((Value) waiting.value()).n(), waiting.key());
            }
            long evenSum = ((Value) started.value()).n();
            long evenCount = 1;
            while (started.advance()) {
                evenSum += ((Value) started.value()).n();
                evenCount++;
            }
            long half = RECORDS / 2;
            assertEquals(List.of(half, half * (half - 1), half, half * half),
                    List.of(evenCount, evenSum, oddCount, oddSum), "every record read once, from memory or the file");
            memory.releaseAll(task);
        } finally {
            store.close();
        }
        assertEquals(0, memory.executionUsed());
    }

    /** A value Kryo cannot write: it holds a lock of java.base, whose fields Java 17 does not open. */
    record Locked(int n, ReentrantLock lock) {
    }

    /**
     * Writes {@code count} records into a new map output of {@code store} with {@code reducers}
     * buckets (record i: bucket i % reducers, the given key and value), asks for it to be kept
     * serialized and commits it.
     */
    private static ShuffleWriter commitAskingSerialized(SpillingShuffleStore store, int reducers, int count,
                                                        IntFunction<Object> key, IntFunction<Object> value) {
        ShuffleWriter writer = store.writer(0, 0, 1, reducers);
        for (int i = 0; i < count; i++) {
            writer.write(i % reducers, key.apply(i), value.apply(i));
        }
        writer.preferSerialized();
        writer.commit();
        return writer;
    }

    /** The regular files under the store's directory. */
    private List<Path> filesUnderDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void whenAnOutputAskedToBeSerializedCannotBe_thenItIsKeptInMemoryAndReadWhole() throws Exception {
        MemoryManager memory = new MemoryManager(64L << 20);
        SpillingShuffleStore store = new SpillingShuffleStore(memory, KryoSerializer.create(), dir);
        try {
            commitAskingSerialized(store, 1, 1000, i -> i, i -> new Locked(i, new ReentrantLock()));
            assertTrue(store.committedMemory() > 0, "the output is held in memory instead");
            assertEquals(List.of(), filesUnderDir(), "no file left behind");
            RecordCursor cursor = store.reader(0, 0, 1);
            long sum = 0;
            int count = 0;
            while (cursor.advance()) {
                assertEquals(cursor.key(), ((Locked) cursor.value()).n());
                sum += (Integer) cursor.key();
                count++;
            }
            assertEquals(List.of(1000, 999L * 1000 / 2), List.of(count, sum));
        } finally {
            store.close();
        }
    }

    @Test
    void whenAWriterIsAskedToKeepItsOutputSerialized_thenTheCommitWritesAFileAndHoldsNoMemory() throws Exception {
        MemoryManager memory = new MemoryManager(64L << 20);
        SpillingShuffleStore store = new SpillingShuffleStore(memory, KryoSerializer.create(), dir);
        try {
            ShuffleWriter writer = commitAskingSerialized(store, 3, RECORDS, i -> "k" + i, i -> i);
            assertEquals(0, memory.executionUsed(), "nothing is held in memory for the output");
            assertEquals(0, store.committedMemory());
            long fileBytes = filesUnderDir().stream().mapToLong(f -> f.toFile().length()).sum();
            assertTrue(fileBytes > 0, "the output is in a file under the store's directory");
            long[] lengths = writer.partitionLengths();
            for (int r = 0; r < 3; r++) {
                int bucket = r;
                assertTrue(lengths[r] > 0, "bucket " + r + " has bytes");
                long count = 0;
                long sum = 0;
                RecordCursor cursor = store.reader(0, r, 1);
                while (cursor.advance()) {
                    int n = (Integer) cursor.value();
                    assertEquals("k" + n, cursor.key());
                    assertEquals(r, n % 3, "record " + n + " in bucket " + r);
                    count++;
                    sum += n;
                }
                long expectedCount = IntStream.range(0, RECORDS).filter(n -> n % 3 == bucket).count();
                long expectedSum = IntStream.range(0, RECORDS).filter(n -> n % 3 == bucket).asLongStream().sum();
                assertEquals(List.of(expectedCount, expectedSum), List.of(count, sum), "bucket " + r);
            }
        } finally {
            store.close();
        }
    }
}
