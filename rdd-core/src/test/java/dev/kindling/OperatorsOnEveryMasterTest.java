package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.StorageLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pair, partitioning, persistence, checkpoint, object file, accumulator and tree-aggregation
 * operators, written once and run on {@code local[2]} and on {@code local-cluster[2,1,512]} (executor
 * processes, tasks and results as bytes, shuffles fetched between executors), each compared with a
 * java.util.stream answer on the same random input. One context per master serves the whole class, so
 * the executor processes start once.
 */
@ParameterizedClass(name = "[{index}] {0}")
@ValueSource(strings = {"local[2]", "local-cluster[2,1,512]"})
class OperatorsOnEveryMasterTest {

    private static KindlingContext kc;
    private static Path dir;

    @Parameter
    String master;

    @BeforeParameterizedClassInvocation
    static void startContext(String master) throws IOException {
        dir = Files.createTempDirectory("kindling-operators-");
        kc = Kindling.builder().master(master).build();
        kc.setCheckpointDir(dir.resolve("checkpoints").toString());
    }

    @AfterParameterizedClassInvocation
    static void stopContext() throws IOException {
        try {
            kc.close();
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static final List<Integer> INTS = randomInts(2_000, 500, 11);
    /** Keys: the 12 squares modulo 23, so some keys are much more frequent than others. */
    private static final List<Pair<Integer, Integer>> LEFT = INTS.stream().map(x -> Pair.of((x * x) % 23, x)).toList();
    /** Keys 0..30: some keys only here, some only on the left. */
    private static final List<Pair<Integer, Integer>> RIGHT = IntStream.range(0, 250).mapToObj(i -> Pair.of((i * 7) % 31, i))
            .toList();

    private static List<Integer> randomInts(int n, int bound, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, n).map(i -> random.nextInt(bound)).boxed().toList();
    }

    private static PairRDD<Integer, Integer> left() {
        return kc.parallelizePairs(LEFT, 4);
    }

    private static PairRDD<Integer, Integer> right() {
        return kc.parallelizePairs(RIGHT, 3);
    }

    private static Map<Integer, List<Integer>> grouped(List<Pair<Integer, Integer>> pairs) {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        pairs.forEach(p -> groups.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value()));
        groups.values().forEach(l -> l.sort(null));
        return groups;
    }

    private static List<Integer> sorted(Iterable<Integer> values) {
        List<Integer> list = new ArrayList<>();
        values.forEach(list::add);
        list.sort(null);
        return list;
    }

    @Test
    void cogroupGathersBothSidesOfEveryKey() {
        Map<Integer, List<List<Integer>>> actual = new TreeMap<>();
        for (Pair<Integer, Pair<Iterable<Integer>, Iterable<Integer>>> p : left().cogroup(right(), 5).collect()) {
            actual.put(p.key(), List.of(sorted(p.value().key()), sorted(p.value().value())));
        }
        Map<Integer, List<Integer>> l = grouped(LEFT);
        Map<Integer, List<Integer>> r = grouped(RIGHT);
        Map<Integer, List<List<Integer>>> expected = new TreeMap<>();
        for (int k : new TreeSet<>(Stream.concat(l.keySet().stream(), r.keySet().stream()).toList())) {
            expected.put(k, List.of(l.getOrDefault(k, List.of()), r.getOrDefault(k, List.of())));
        }
        assertEquals(expected, actual);
    }

    @Test
    void combineAggregateAndFoldByKeyAgreeWithGrouping() {
        Map<Integer, List<Integer>> groups = grouped(LEFT);
        Map<Integer, Pair<Long, Long>> countAndSum = new TreeMap<>(left().combineByKey(
                v -> Pair.of(1L, (long) v),
                (c, v) -> Pair.of(c.key() + 1, c.value() + v),
                (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()), 3).collectAsMap());
        Map<Integer, Pair<Long, Long>> expectedCountAndSum = new TreeMap<>();
        groups.forEach((k, vs) -> expectedCountAndSum.put(k, Pair.of((long) vs.size(), vs.stream().mapToLong(v -> v).sum())));
        assertEquals(expectedCountAndSum, countAndSum, "combineByKey");

        // A mutable zero: every key must start from its own copy, in every task and process.
        Map<Integer, List<Integer>> lists = new TreeMap<>();
        left().aggregateByKey(new ArrayList<Integer>(), 4, (l, v) -> {
            l.add(v);
            return l;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        }).collect().forEach(p -> lists.put(p.key(), sorted(p.value())));
        assertEquals(groups, lists, "aggregateByKey with a mutable zero");

        Map<Integer, Integer> folded = new TreeMap<>(left().foldByKey(0, 2, Integer::sum).collectAsMap());
        Map<Integer, Integer> sums = new TreeMap<>();
        groups.forEach((k, vs) -> sums.put(k, vs.stream().mapToInt(v -> v).sum()));
        assertEquals(sums, folded, "foldByKey");
    }

    @Test
    void theFourJoinsAreCogroupsCrossProducts() {
        Map<Integer, List<Integer>> l = grouped(LEFT);
        Map<Integer, List<Integer>> r = grouped(RIGHT);
        List<String> inner = new ArrayList<>();
        List<String> leftOuter = new ArrayList<>();
        List<String> rightOuter = new ArrayList<>();
        List<String> fullOuter = new ArrayList<>();
        for (int k : new TreeSet<>(Stream.concat(l.keySet().stream(), r.keySet().stream()).toList())) {
            List<Optional<Integer>> ls = l.containsKey(k) ? l.get(k).stream().map(Optional::of).toList() : List.of(Optional.empty());
            List<Optional<Integer>> rs = r.containsKey(k) ? r.get(k).stream().map(Optional::of).toList() : List.of(Optional.empty());
            for (Optional<Integer> a : ls) {
                for (Optional<Integer> b : rs) {
                    String row = k + ":" + a.map(String::valueOf).orElse("-") + ":" + b.map(String::valueOf).orElse("-");
                    fullOuter.add(row);
                    if (a.isPresent()) {
                        leftOuter.add(row);
                    }
                    if (b.isPresent()) {
                        rightOuter.add(row);
                    }
                    if (a.isPresent() && b.isPresent()) {
                        inner.add(row);
                    }
                }
            }
        }
        inner.sort(null);
        leftOuter.sort(null);
        rightOuter.sort(null);
        fullOuter.sort(null);
        assertEquals(inner, left().join(right(), 4).collect().stream()
                .map(p -> p.key() + ":" + p.value().key() + ":" + p.value().value()).sorted().toList(), "join");
        assertEquals(leftOuter, left().leftOuterJoin(right(), 3).collect().stream()
                .map(p -> p.key() + ":" + p.value().key() + ":" + p.value().value().map(String::valueOf).orElse("-"))
                .sorted().toList(), "leftOuterJoin");
        assertEquals(rightOuter, left().rightOuterJoin(right()).collect().stream()
                .map(p -> p.key() + ":" + p.value().key().map(String::valueOf).orElse("-") + ":" + p.value().value())
                .sorted().toList(), "rightOuterJoin");
        assertEquals(fullOuter, left().fullOuterJoin(right(), 5).collect().stream()
                .map(p -> p.key() + ":" + p.value().key().map(String::valueOf).orElse("-") + ":"
                        + p.value().value().map(String::valueOf).orElse("-"))
                .sorted().toList(), "fullOuterJoin");
    }

    @Test
    void sortByRepartitionAndCoalesceKeepTheElements() {
        RDD<Integer> rdd = kc.parallelize(INTS, 4);
        assertEquals(INTS.stream().sorted(Comparator.reverseOrder()).toList(), rdd.sortBy(x -> -x, true, 3).collect(), "sortBy");
        RDD<Integer> repartitioned = rdd.repartition(5);
        assertEquals(5, repartitioned.getNumPartitions());
        assertEquals(INTS.stream().sorted().toList(), repartitioned.collect().stream().sorted().toList(), "repartition");
        RDD<Integer> coalesced = rdd.coalesce(2);
        assertEquals(2, coalesced.getNumPartitions());
        assertEquals(INTS, coalesced.collect(), "coalesce without a shuffle keeps the order");
        assertEquals(INTS.stream().sorted().toList(), rdd.coalesce(3, true).collect().stream().sorted().toList(),
                "coalesce with a shuffle");
    }

    @Test
    void distinctKeepsOneOfEach() {
        assertEquals(INTS.stream().distinct().sorted().toList(), kc.parallelize(INTS, 4).distinct(3).collect().stream().sorted().toList());
    }

    @Test
    void aCheckpointedRddIsReadBackFromItsFiles() throws IOException {
        RDD<Integer> doubled = kc.parallelize(INTS, 4).map(x -> 2 * x);
        doubled.checkpoint();
        assertEquals(INTS.size(), doubled.count());
        assertTrue(doubled.isCheckpointed(), "checkpointed after the first action");
        try (Stream<Path> files = Files.walk(dir.resolve("checkpoints"))) {
            assertEquals(4, files.filter(f -> f.getFileName().toString().startsWith("part-")).count(), "part files");
        }
        assertEquals(INTS.stream().map(x -> 2 * x).toList(), doubled.collect());
        assertEquals(INTS.stream().mapToLong(x -> 2 * x).sum(), doubled.map(x -> (long) x).reduce(Long::sum));
    }

    @Test
    void accumulatorsUpdatedInActionsCountEachPartitionOnce() {
        LongAccumulator sum = kc.longAccumulator("sum");
        DoubleAccumulator halves = kc.doubleAccumulator("halves");
        CollectionAccumulator<Integer> sizes = kc.collectionAccumulator("sizes");
        RDD<Integer> rdd = kc.parallelize(INTS, 5);
        rdd.foreach(x -> {
            sum.add(x);
            halves.add(x / 2.0);
        });
        rdd.foreachPartition(it -> {
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            sizes.add(n);
        });
        long total = INTS.stream().mapToLong(x -> x).sum();
        assertEquals(total, sum.value());
        assertEquals(total / 2.0, halves.value(), 1e-9);
        List<Integer> expectedSizes = IntStream.range(0, 5).map(i -> (i + 1) * INTS.size() / 5 - i * INTS.size() / 5).boxed()
                .sorted().toList();
        assertEquals(expectedSizes, sizes.value().stream().sorted().toList(), "one size per partition");
    }

    @Test
    void persistedRddsOnMemoryAndDiskAndDiskOnlyGiveTheSameElements() {
        for (StorageLevel level : List.of(StorageLevel.MEMORY_AND_DISK, StorageLevel.DISK_ONLY)) {
            LongAccumulator evaluations = kc.longAccumulator("evaluations " + level);
            RDD<Integer> persisted = kc.parallelize(INTS, 4).map(x -> {
                evaluations.add(1);
                return x + 1;
            }).persist(level);
            assertEquals(INTS.size(), persisted.count());
            assertEquals(INTS.size(), evaluations.value(), level + ": the first action evaluates each element once");
            assertEquals(INTS.stream().map(x -> x + 1).toList(), persisted.collect(), level.toString());
            long reused = evaluations.value();
            if (master.startsWith("local[")) {
                assertEquals(INTS.size(), reused, level + ": a persisted partition is not evaluated again");
            } else {
                // A partition is stored on the executor that computed it and the scheduler does not yet prefer
                // that executor, so a partition may be computed again elsewhere (at most once more per action).
                assertTrue(reused <= 2L * INTS.size(), level + ": evaluations " + reused);
            }
            persisted.unpersist(true);
        }
    }

    @Test
    void anObjectFileReadsBackWhatWasSaved() {
        String path = dir.resolve("objects-" + System.nanoTime()).toString();
        left().saveAsObjectFile(path);
        RDD<Pair<Integer, Integer>> back = kc.objectFile(path);
        assertEquals(4, back.getNumPartitions(), "one partition per part file");
        assertEquals(LEFT, back.collect(), "the pairs in their order");
    }

    @Test
    void zipWithIndexNumbersElementsInPartitionOrder() {
        List<Pair<Integer, Long>> expected = IntStream.range(0, INTS.size()).mapToObj(i -> Pair.of(INTS.get(i), (long) i)).toList();
        assertEquals(expected, kc.parallelize(INTS, 5).zipWithIndex().collect());
        assertEquals(List.of(), kc.parallelize(List.<Integer>of(), 3).zipWithIndex().collect(), "no elements");
    }

    @Test
    void treeAggregateGivesTheSumAndCopiesAMutableZero() {
        RDD<Integer> rdd = kc.parallelize(INTS, 7);
        assertEquals(INTS.stream().mapToLong(x -> x).sum(), rdd.treeAggregate(0L, (acc, x) -> acc + x, Long::sum, 3));
        List<Integer> all = rdd.treeAggregate(new ArrayList<Integer>(), (l, x) -> {
            l.add(x);
            return l;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        });
        assertEquals(INTS.stream().sorted().toList(), all.stream().sorted().toList());
    }
}
