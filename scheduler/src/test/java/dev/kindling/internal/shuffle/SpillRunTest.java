package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.CorruptFileException;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spill run on disk: records read back in order; a damaged file fails the read naming the file
 * before any wrong record is returned. (A full disk is {@code SortSpillDiskFullTest} in rdd-core,
 * whose test fixtures mount a real tmpfs.)
 */
class SpillRunTest {

    /** One record of a run. */
    private record Pair<K, V>(K key, V value) {
        static <K, V> Pair<K, V> of(K key, V value) {
            return new Pair<>(key, value);
        }
    }

    private static final KryoSerializer SERIALIZER = KryoSerializer.create();

    private static List<Pair<Integer, String>> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> Pair.of(i, "value " + i)).collect(Collectors.toList());
    }

    private static List<Pair<Object, Object>> readAll(SpillRun run, List<Pair<Object, Object>> out) {
        while (run.advance()) {
            out.add(Pair.of(run.key, run.value));
        }
        return out;
    }

    /** Writes {@code records} as a run, from the key and value arrays a sorter hands over. */
    private static SpillRun write(Path dir, List<Pair<Integer, String>> records) {
        Object[] keys = records.stream().map(Pair::key).toArray();
        Object[] values = records.stream().map(Pair::value).toArray();
        return SpillRun.write(dir, SERIALIZER, keys, values, records.size());
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toList()).get(0);
        }
    }

    @Test
    void recordsReadBackInOrder(@TempDir Path dir) {
        List<Pair<Integer, String>> in = records(100_000);
        try (SpillRun run = write(dir, in)) {
            assertEquals(new ArrayList<Object>(in), new ArrayList<Object>(readAll(run, new ArrayList<>())));
        }
    }

    @Test
    void whenTheFileIsDamaged_thenReadingFailsNamingItAndReturnsNoWrongRecord(@TempDir Path dir) throws IOException {
        List<Pair<Integer, String>> in = records(100_000);
        try (SpillRun run = write(dir, in)) {
            Path file = onlyFile(dir);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(f.length() * 3 / 4);
                int b = f.read();
                f.seek(f.length() * 3 / 4);
                f.write(b ^ 1);
            }
            List<Pair<Object, Object>> got = new ArrayList<>();
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> readAll(run, got));
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith("Corrupt sort spill run " + file + " at byte offset "), e.getMessage());
            assertTrue(got.size() < in.size());
            assertEquals(new ArrayList<Object>(in.subList(0, got.size())), new ArrayList<Object>(got),
                    "records before the damaged frame are the ones written");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.collect(Collectors.toList()), "closing deleted the run");
        }
    }
}
