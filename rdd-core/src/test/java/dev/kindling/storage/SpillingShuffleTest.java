package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.internal.rdd.CombinedPartitionsRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shuffles over data many times larger than a 2 MB budget: results equal a java.util.stream
 * reference, spills happen, and no spill file is left behind.
 */
@Tag("slow")
class SpillingShuffleTest {

    private static final int N = 50_000;
    private KindlingContext kc;

    @BeforeEach
    void start() {
        kc = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 2L << 20).build();
    }

    @AfterEach
    void stop() {
        Path dir = kc.localDir();
        kc.close();
        assertFalse(Files.exists(dir), "scratch directory removed at close");
    }

    /** Keys with colliding hash codes ("Aa" and "BB" hash alike), a null key and extreme values. */
    private static List<Pair<String, Long>> data() {
        List<Pair<String, Long>> out = new ArrayList<>(N);
        String[] colliding = {"Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"};
        for (int i = 0; i < N; i++) {
            String key = i % 50 == 0 ? colliding[(i / 50) % colliding.length]
                    : i % 997 == 0 ? null : "key-" + (i * 7919L % 40_000);
            long value = i % 1000 == 0 ? Long.MAX_VALUE / 4 : i;
            out.add(Pair.of(key, value));
        }
        return out;
    }

    private long spills() {
        return ((SpillingShuffleStore) ContextInternals.of(kc).shuffleStore()).spillCount() + ContextInternals.of(kc).memoryManager().spillRequests();
    }

    private void assertNoSpillFilesLeft() throws IOException {
        Path spill = kc.localDir().resolve("spill");
        if (Files.exists(spill)) {
            try (Stream<Path> files = Files.list(spill)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    /** The reference: each key's sum, by a plain loop. */
    private static Map<String, Long> sums(List<Pair<String, Long>> data) {
        Map<String, Long> expected = new HashMap<>();
        for (Pair<String, Long> p : data) {
            expected.merge(p.key(), p.value(), Long::sum);
        }
        return expected;
    }

    private static <K, V> Map<K, V> asMap(List<Pair<K, V>> pairs) {
        Map<K, V> m = new HashMap<>();
        for (Pair<K, V> p : pairs) {
            assertFalse(m.containsKey(p.key()), "duplicate key " + p.key());
            m.put(p.key(), p.value());
        }
        return m;
    }

    @Test
    void reduceByKeyAggregateByKeyAndCombineByKeyMatchTheReference() throws IOException {
        List<Pair<String, Long>> data = data();
        Map<String, Long> expected = sums(data);
        PairRDD<String, Long> rdd = kc.parallelizePairs(data, 4);
        assertEquals(expected, asMap(rdd.reduceByKey(Long::sum, 3).collect()));
        assertEquals(expected, asMap(rdd.aggregateByKey(0L, Long::sum, Long::sum).collect()));
        assertEquals(expected, asMap(rdd.combineByKey(v -> v, Long::sum, Long::sum, 5).collect()));
        assertTrue(spills() > 0, "spilled");
        assertNoSpillFilesLeft();
    }

    @Test
    void whenTheRddIsAlreadyPartitioned_thenCombineByKeyCombinesInPlaceAndSpillsUnderTheBudget() throws IOException {
        List<Pair<String, Long>> data = data();
        Map<String, Long> expected = sums(data);
        HashPartitioner two = new HashPartitioner(2);
        PairRDD<String, Long> parted = kc.parallelizePairs(data, 4).partitionBy(two).persist(StorageLevel.DISK_ONLY);
        assertEquals(N, parted.count());
        long before = ContextInternals.of(kc).memoryManager().spillRequests();
        PairRDD<String, Long> summed = parted.reduceByKey(Long::sum, two);
        assertTrue(summed.rdd() instanceof CombinedPartitionsRDD, "no second shuffle: " + summed.rdd());
        assertEquals(expected, asMap(summed.collect()));
        assertTrue(ContextInternals.of(kc).memoryManager().spillRequests() > before, "20k keys per partition spill in a 2 MB budget");
        assertNoSpillFilesLeft();
    }

    @Test
    void groupByKeyAndCogroupMatchTheReference() throws IOException {
        List<Pair<String, Long>> data = data();
        Map<String, List<Long>> expected = new HashMap<>();
        for (Pair<String, Long> p : data) {
            expected.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value());
        }
        expected.values().forEach(l -> l.sort(null));
        PairRDD<String, Long> rdd = kc.parallelizePairs(data, 4);
        Map<String, List<Long>> grouped = new HashMap<>();
        for (Pair<String, Iterable<Long>> p : rdd.groupByKey(3).collect()) {
            List<Long> vs = new ArrayList<>();
            p.value().forEach(vs::add);
            vs.sort(null);
            assertFalse(grouped.containsKey(p.key()));
            grouped.put(p.key(), vs);
        }
        assertEquals(expected, grouped);
        PairRDD<String, Long> small = kc.parallelizePairs(List.of(Pair.of("Aa", -1L), Pair.of("BB", -2L),
                Pair.of("missing", -3L)), 2);
        Map<String, Long> joinedCounts = new HashMap<>();
        for (Pair<String, Pair<Long, Long>> p : small.join(rdd, 4).collect()) {
            joinedCounts.merge(p.key(), 1L, Long::sum);
        }
        assertEquals(Map.of("Aa", (long) expected.get("Aa").size(), "BB", (long) expected.get("BB").size()), joinedCounts);
        assertTrue(spills() > 0);
        assertNoSpillFilesLeft();
    }

    @Test
    void sortByKeyDistinctAndRepartitionMatchTheReference() throws IOException {
        List<Pair<String, Long>> data = data().stream().filter(p -> p.key() != null).collect(Collectors.toList());
        PairRDD<String, Long> rdd = kc.parallelizePairs(data, 4);
        List<String> sortedKeys = rdd.sortByKey(true, 3).keys().collect();
        List<String> expectedKeys = data.stream().map(Pair::key).sorted().collect(Collectors.toList());
        assertEquals(expectedKeys, sortedKeys);
        RDD<String> keys = rdd.keys();
        assertEquals(new TreeMap<>(data.stream().collect(Collectors.groupingBy(Pair::key, Collectors.counting()))).keySet()
                .stream().toList(), keys.distinct(3).collect().stream().sorted().toList());
        List<Long> values = rdd.values().repartition(5).collect();
        values.sort(null);
        assertEquals(data.stream().map(Pair::value).sorted().toList(), values);
        assertTrue(spills() > 0);
        assertNoSpillFilesLeft();
    }

    @Test
    void whenOneKeysValuesExceedTheBudget_thenTheJobFailsNamingStageAndPartitionAndTheContextStaysUsable() throws IOException {
        RDD<Long> many = kc.range(0, 150_000, 1, 2);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> many.mapToPair(x -> Pair.of("hot", "value-" + x)).groupByKey(2).count());
        Throwable cause = e;
        while (cause != null && !(cause instanceof MemoryLimitExceededException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "caused by MemoryLimitExceededException: " + e);
        assertTrue(cause.getMessage().contains("stage") && cause.getMessage().contains("partition"), cause.getMessage());
        assertEquals(10, kc.range(0, 10).count());
        assertNoSpillFilesLeft();
    }

    static final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> MAP_RUNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void whenAShuffleFileIsDeletedBetweenActions_thenOnlyThatMapPartitionIsRecomputed() throws IOException {
        List<Pair<String, Long>> data = data();
        Map<String, Long> expected = sums(data);
        PairRDD<String, Long> sums = new PairRDD<>(kc.parallelizePairs(data, 4).rdd().mapPartitionsWithIndex((i, it) -> {
            MAP_RUNS.computeIfAbsent(i, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            return it;
        }, false)).groupByKey(3).mapValues(vs -> {
            long t = 0;
            for (long v : vs) {
                t += v;
            }
            return t;
        });
        assertEquals(expected, asMap(sums.collect()));
        Path victim;
        try (Stream<Path> files = Files.list(kc.localDir().resolve("shuffle"))) {
            victim = files.sorted().findFirst().orElseThrow();
        }
        int map = Integer.parseInt(victim.getFileName().toString().split("_")[2]);
        Files.delete(victim);
        assertEquals(expected, asMap(sums.collect()));
        for (int m = 0; m < 4; m++) {
            assertEquals(m == map ? 2 : 1, MAP_RUNS.get(m).get(), "map partition " + m + " runs (deleted " + victim + ")");
        }
    }

    static final java.util.concurrent.atomic.AtomicReference<KindlingContext> TO_CANCEL =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Test
    void whenAJobIsCancelledWhileReducing_thenNoSpillFileIsLeftAndTheContextStaysUsable() throws IOException {
        TO_CANCEL.set(kc);
        PairRDD<String, Long> rdd = kc.parallelizePairs(data(), 4);
        RuntimeException e = assertThrows(RuntimeException.class, () -> rdd.groupByKey(2).mapValues(vs -> {
            KindlingContext once = TO_CANCEL.getAndSet(null); // cancel once, not the jobs that follow
            if (once != null) {
                once.cancelAllJobs();
            }
            return vs;
        }).count());
        assertTrue(e.getClass().getSimpleName().contains("Cancel") || String.valueOf(e.getMessage()).contains("cancel"),
                e.toString());
        assertTrue(spills() > 0);
        assertEquals(10, kc.range(0, 10).count());
        // Killed tasks delete their runs when they end, which may be just after the job has failed.
        for (int i = 0; i < 200 && spillFileCount() > 0; i++) {
            sleep(50);
        }
        assertNoSpillFilesLeft();
    }

    private long spillFileCount() throws IOException {
        Path spill = kc.localDir().resolve("spill");
        if (!Files.exists(spill)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spill)) {
            return files.count();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void whenEverythingFits_thenNothingSpills() {
        try (KindlingContext big = Kindling.builder().master("local[2]").config("kindling.memory.bytes", 512L << 20).build()) {
            Map<Long, Long> got = asMap(big.range(0, 10_000, 1, 4).mapToPair(x -> Pair.of(x % 10, 1L))
                    .reduceByKey(Long::sum).collect());
            assertEquals(10, got.size());
            assertTrue(got.values().stream().allMatch(v -> Objects.equals(v, 1000L)));
            assertEquals(0, ((SpillingShuffleStore) ContextInternals.of(big).shuffleStore()).spillCount());
        }
    }
}
