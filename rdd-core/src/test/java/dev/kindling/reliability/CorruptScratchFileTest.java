package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.SchedulerEvent.StageSubmitted;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.storage.StorageLevel;
import dev.kindling.storage.CorruptFileException;
import dev.kindling.internal.shuffle.MissingShuffleOutputException;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A byte flipped in a real scratch file on disk between two actions: a shuffle file makes the
 * reader drop that map output and the scheduler re-run exactly that map task; a cached disk block
 * is recomputed from lineage. Either way the next action's result is exact and the error names
 * the file.
 */
class CorruptScratchFileTest {

    /** Computations per partition of the cached RDD; static so closures reach it in local mode. */
    static final ConcurrentHashMap<Integer, AtomicInteger> COMPUTED = new ConcurrentHashMap<>();

    /** Flips the bits of the byte in the middle of {@code file}. */
    private static void flipMiddleByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(~b);
        }
    }

    @Test
    void whenAShuffleFileIsCorruptedBetweenTwoActions_thenOnlyItsMapTaskIsRerunAndTheResultIsExact()
            throws IOException {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 1L << 20)
                .config("kindling.task.maxFailures", "4").build()) {
            PairRDD<Long, Long> reduced = kc.range(0, 80_000, 1, 4).mapToPair(x -> Pair.of(x % 20_000, x))
                    .reduceByKey(Long::sum, 3);
            Map<Long, Long> expected = LongStream.range(0, 80_000).boxed()
                    .collect(Collectors.groupingBy(x -> x % 20_000, TreeMap::new, Collectors.summingLong(x -> x)));
            assertEquals(expected, new TreeMap<>(reduced.collectAsMap()));

            Path victim;
            try (Stream<Path> files = Files.list(kc.localDir().resolve("shuffle"))) {
                victim = files.max(Comparator.comparingLong(CorruptScratchFileTest::size)).orElseThrow();
            }
            int mapId = Integer.parseInt(victim.getFileName().toString().split("_")[2]);
            flipMiddleByte(victim);
            EventRecorder events = new EventRecorder();
            kc.addListener(events);

            assertEquals(expected, new TreeMap<>(reduced.collectAsMap()));
            assertEquals(List.of(mapId), mapTaskPartitions(events), "only the map task whose file was damaged re-ran");
            List<CorruptFileException> reported = events.of(TaskEnd.class).stream().filter(t -> !t.succeeded())
                    .map(t -> Failures.find(t.failure(), MissingShuffleOutputException.class))
                    .filter(m -> m != null && m.getCause() instanceof CorruptFileException)
                    .map(m -> (CorruptFileException) m.getCause()).collect(Collectors.toList());
            assertFalse(reported.isEmpty(), "a reduce task met the damage: " + events.of(TaskEnd.class));
            for (CorruptFileException c : reported) {
                assertEquals(victim, c.file());
                assertTrue(c.getMessage().startsWith("Corrupt shuffle spill file " + victim + " at byte offset "),
                        c.getMessage());
            }
            assertFalse(Files.exists(victim), "the damaged file was removed");

            events.clear();
            assertEquals(expected, new TreeMap<>(reduced.collectAsMap()));
            assertEquals(List.of(), mapTaskPartitions(events), "the recomputed output is read as it is");
            LocalContext.assertSchedulerIdle(kc);
        }
    }

    @Test
    void whenACachedDiskBlockIsCorrupted_thenOnlyThatPartitionIsRecomputedAndTheResultIsExact() throws IOException {
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            RDD<Long> rdd = kc.range(0, 40_000, 1, 4).mapPartitionsWithIndex((p, it) -> {
                COMPUTED.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet();
                return it;
            }, false).map(x -> x * 3 + 1).persist(StorageLevel.DISK_ONLY);
            List<Long> expected = LongStream.range(0, 40_000).map(x -> x * 3 + 1).boxed().collect(Collectors.toList());
            assertEquals(expected, rdd.collect());
            Path block = kc.localDir().resolve("blocks").resolve("rdd_" + rdd.id() + "_2.kryo");
            assertTrue(Files.exists(block), block + " was written");
            flipMiddleByte(block);

            assertEquals(expected, rdd.collect());
            assertEquals(Map.of(0, 1, 1, 1, 2, 2, 3, 1), counts(), "only partition 2 was computed again");
            assertEquals(expected, rdd.collect());
            assertEquals(Map.of(0, 1, 1, 1, 2, 2, 3, 1), counts(), "the recomputed block was cached again");
            LocalContext.assertSchedulerIdle(kc);
        } finally {
            COMPUTED.clear();
        }
    }

    private static Map<Integer, Integer> counts() {
        return COMPUTED.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Partitions of the map tasks that succeeded, in the order they ended. */
    private static List<Integer> mapTaskPartitions(EventRecorder events) {
        Set<Integer> mapStages = events.of(StageSubmitted.class).stream().filter(e -> e.stage().shuffleMap())
                .map(e -> e.stage().stageId()).collect(Collectors.toSet());
        return events.of(TaskEnd.class).stream().filter(e -> mapStages.contains(e.stageId()) && e.succeeded())
                .map(e -> e.task().partition()).collect(Collectors.toList());
    }
}
