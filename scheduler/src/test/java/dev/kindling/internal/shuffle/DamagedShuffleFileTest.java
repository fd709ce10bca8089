package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.CorruptFileException;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shuffle store's contract for damaged files: the reader throws
 * {@link MissingShuffleOutputException} caused by the {@link CorruptFileException} naming the file,
 * and the damaged map output is removed (files deleted, reported missing) so it is never read again.
 */
class DamagedShuffleFileTest {

    private static final int RECORDS = 60_000;

    /** Writes map output 0 of shuffle 7 (2 reducers) with a 64 KB budget, so it goes to disk. */
    private static void writeMapOutput(SpillingShuffleStore store) {
        ShuffleWriter w = store.writer(7, 0, 1, 2);
        for (long i = 0; i < RECORDS; i++) {
            w.write((int) (i % 2), i, "v" + i);
        }
        w.commit();
    }

    private static List<Long> readKeys(SpillingShuffleStore store, int reducer) {
        List<Long> keys = new ArrayList<>();
        RecordCursor c = store.reader(7, reducer, 1);
        while (c.advance()) {
            keys.add((Long) c.key());
        }
        return keys;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void whenAByteOfAShuffleFileFlips_thenTheReaderReportsTheFileAndTheOutputIsRemoved(@TempDir Path dir)
            throws IOException {
        try (SpillingShuffleStore store = new SpillingShuffleStore(new MemoryManager(64 << 10), KryoSerializer.create(),
                dir)) {
            writeMapOutput(store);
            List<Long> evens = new ArrayList<>();
            for (long i = 0; i < RECORDS; i += 2) {
                evens.add(i);
            }
            assertEquals(evens, readKeys(store, 0));
            List<Path> written = files(dir);
            assertFalse(written.isEmpty(), "the output went to disk");
            Path victim = written.get(written.size() - 1);
            try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
                f.seek(f.length() - 100); // in the last bucket's last frame: reducer 1's data
                int b = f.read();
                f.seek(f.length() - 100);
                f.write(b ^ 0x40);
            }

            MissingShuffleOutputException e = assertThrows(MissingShuffleOutputException.class,
                    () -> readKeys(store, 1));
            assertEquals(7, e.shuffleId());
            assertEquals(0, e.mapId());
            CorruptFileException corrupt = assertInstanceOf(CorruptFileException.class, e.getCause());
            assertEquals(victim, corrupt.file());
            assertTrue(e.getMessage().contains(victim.toString()), e.getMessage());
            assertArrayEquals(new int[] {0}, store.missingMapOutputs(7, 1));
            assertEquals(List.of(), files(dir), "every file of the damaged output was deleted");
            assertThrows(MissingShuffleOutputException.class, () -> store.reader(7, 0, 1));

            writeMapOutput(store);
            assertEquals(evens, readKeys(store, 0), "a re-run map task replaces it");
        }
    }
}
