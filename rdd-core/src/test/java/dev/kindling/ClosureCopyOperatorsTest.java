package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operator gives the same answer whether tasks run their own deserialized copies of all
 * functions ({@code kindling.closure.copyPerTask=always}) or share the driver's objects ({@code kindling.closure.copyPerTask=false},
 * the behaviour before copies existed). Proves that every function the operators hand to tasks
 * serializes and deserializes.
 */
class ClosureCopyOperatorsTest {

    @TempDir
    Path tmp;

    private static List<Integer> input() {
        Random random = new Random(42);
        return IntStream.range(0, 500).map(i -> random.nextInt(60) - 10).boxed().toList();
    }

    private static Map<String, Object> runAll(KindlingContext kc, Path out) throws Exception {
        List<Integer> ints = input();
        RDD<Integer> rdd = kc.parallelize(ints, 4);
        PairRDD<Integer, Integer> pairs = rdd.mapToPair(x -> Pair.of(x % 7, x));
        PairRDD<Integer, String> other = kc.parallelize(ints.subList(0, 50), 3).mapToPair(x -> Pair.of(x % 5, "v" + x));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("map", rdd.map(x -> x * 2).collect());
        r.put("filter", rdd.filter(x -> x > 3).collect());
        r.put("flatMap", rdd.flatMap(x -> List.of(x, -x).iterator()).collect());
        r.put("mapPartitions", rdd.mapPartitions(it -> List.of(count(it)).iterator()).collect());
        r.put("mapPartitionsWithIndex", rdd.mapPartitionsWithIndex((i, it) -> List.of(i * 1000 + count(it)).iterator(), false).collect());
        r.put("keyBy", rdd.keyBy(x -> x % 3).collect());
        r.put("glom", rdd.glom().collect());
        r.put("distinct", sorted(rdd.distinct().collect()));
        r.put("union", rdd.union(rdd).count());
        r.put("intersection", sorted(rdd.intersection(kc.parallelize(List.of(1, 2, 3, 1000), 2)).collect()));
        r.put("subtract", sorted(rdd.subtract(kc.parallelize(List.of(1, 2, 3), 2)).collect()));
        r.put("cartesian", rdd.cartesian(kc.parallelize(List.of("a", "b"), 2)).count());
        r.put("zip", rdd.zip(rdd.map(x -> -x)).collect());
        r.put("zipPartitions", rdd.zipPartitions(rdd, (a, b) -> List.of(count(a) + count(b)).iterator()).collect());
        r.put("zipWithIndex", rdd.zipWithIndex().collect());
        r.put("zipWithUniqueId", rdd.zipWithUniqueId().collect());
        r.put("sample", rdd.sample(false, 0.3, 7).collect());
        r.put("randomSplit", rdd.randomSplit(new double[] {1, 2}, 9).get(0).collect());
        r.put("sortBy", rdd.sortBy(x -> -x, true, 3).collect());
        r.put("groupBy", normalized(rdd.groupBy(x -> x % 4).collect()));
        r.put("coalesce", rdd.coalesce(2).glom().collect());
        r.put("repartition", sorted(rdd.repartition(5).collect()));
        r.put("first", rdd.first());
        r.put("take", rdd.take(7));
        r.put("takeOrdered", rdd.takeOrdered(5));
        r.put("top", rdd.top(5, Comparator.naturalOrder()));
        r.put("takeSample", rdd.takeSample(false, 5, 3));
        r.put("reduce", rdd.reduce(Integer::sum));
        r.put("treeReduce", rdd.treeReduce(Integer::sum));
        r.put("fold", rdd.fold(0, Integer::sum));
        r.put("aggregate", rdd.aggregate(new ArrayList<Integer>(), (l, x) -> { l.add(x); return l; },
                (a, b) -> { a.addAll(b); return a; }).size());
        r.put("treeAggregate", rdd.treeAggregate(0L, (a, x) -> a + x, Long::sum));
        r.put("countByValue", new TreeMap<>(rdd.countByValue()));
        List<Integer> local = new ArrayList<>();
        rdd.toLocalIterator().forEachRemaining(local::add);
        r.put("toLocalIterator", local);
        r.put("isEmpty", rdd.filter(x -> x > 1000).isEmpty());
        r.put("min", rdd.min(Comparator.naturalOrder()));
        r.put("max", rdd.max(Comparator.naturalOrder()));
        rdd.foreach(x -> { });
        rdd.foreachPartition(it -> { });
        rdd.saveAsTextFile(out.toString());
        try (Stream<Path> files = Files.list(out)) {
            r.put("saveAsTextFile", files.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .flatMap(p -> lines(p).stream()).sorted().toList());
        }
        r.put("reduceByKey", sortedPairs(pairs.reduceByKey(Integer::sum).collect()));
        r.put("reduceByKeySamePartitioner", sortedPairs(pairs.partitionBy(new dev.kindling.scheduler.HashPartitioner(3))
                .reduceByKey(Integer::sum, 3).collect()));
        r.put("groupByKey", normalized(pairs.groupByKey().collect()));
        r.put("aggregateByKey", sortedPairs(pairs.aggregateByKey(0L, (a, v) -> a + v, Long::sum).collect()));
        r.put("foldByKey", sortedPairs(pairs.foldByKey(0, Integer::sum).collect()));
        r.put("combineByKey", sortedPairs(pairs.combineByKey(v -> (long) v, (c, v) -> c + v, Long::sum, 3).collect()));
        r.put("mapValues", pairs.mapValues(v -> v + 1).collect());
        r.put("flatMapValues", pairs.flatMapValues(v -> List.of(v, v).iterator()).collect());
        r.put("join", normalized(pairs.join(other).collect()));
        r.put("leftOuterJoin", normalized(pairs.leftOuterJoin(other).collect()));
        r.put("rightOuterJoin", normalized(pairs.rightOuterJoin(other).collect()));
        r.put("fullOuterJoin", normalized(pairs.fullOuterJoin(other).collect()));
        r.put("cogroup", normalized(pairs.cogroup(other).collect()));
        r.put("cogroup3", normalized(pairs.cogroup(other, other).collect()));
        r.put("subtractByKey", normalized(pairs.subtractByKey(other).collect()));
        r.put("sortByKey", pairs.sortByKey().keys().collect());
        r.put("sortByKeyComparator", pairs.sortByKey(Comparator.<Integer>reverseOrder(), true, 3).keys().collect());
        r.put("repartitionAndSort", pairs.repartitionAndSortWithinPartitions(new dev.kindling.scheduler.HashPartitioner(3))
                .keys().glom().collect());
        r.put("lookup", sorted(pairs.lookup(3)));
        r.put("collectAsMap", new TreeMap<>(pairs.reduceByKey(Math::max).collectAsMap()));
        r.put("countByKey", new TreeMap<>(pairs.countByKey()));
        DoubleRDD doubles = rdd.mapToDouble(x -> x / 2.0);
        r.put("stats", doubles.stats().toString());
        r.put("histogram", Arrays.toString(doubles.histogram(4).value()));
        r.put("histogramBounds", Arrays.toString(doubles.histogram(new double[] {-10, 0, 10, 40})));
        return r;
    }

    @Test
    void everyOperatorGivesTheSameAnswerWithAndWithoutPerTaskCopies() throws Exception {
        Map<String, Object> copied;
        Map<String, Object> shared;
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, "always").build()) {
            copied = runAll(kc, tmp.resolve("copied"));
        }
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, "false").build()) {
            shared = runAll(kc, tmp.resolve("shared"));
        }
        for (String op : copied.keySet()) {
            assertEquals(String.valueOf(shared.get(op)), String.valueOf(copied.get(op)), op);
        }
    }

    @Test
    void withCopiesTheAnswersMatchStreams() throws Exception {
        try (KindlingContext kc = Kindling.builder().master("local[2]")
                .config(KindlingConf.CLOSURE_COPY_PER_TASK, "always").build()) {
            Map<String, Object> r = runAll(kc, tmp.resolve("spot"));
            List<Integer> ints = input();
            assertEquals(ints.stream().mapToInt(x -> x).sum(), r.get("reduce"));
            assertEquals(ints.stream().map(x -> x * 2).toList(), r.get("map"));
            assertEquals(ints.stream().distinct().sorted().toList(), r.get("distinct"));
            Map<Integer, Integer> byKey = ints.stream().collect(Collectors.groupingBy(x -> x % 7, TreeMap::new,
                    Collectors.summingInt(x -> x)));
            assertEquals(byKey.entrySet().stream().map(e -> Pair.of(e.getKey(), e.getValue()).toString()).sorted().toList(),
                    r.get("reduceByKey"));
        }
    }

    private static int count(Iterator<?> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(Comparator.naturalOrder());
        return copy;
    }

    private static List<String> sortedPairs(List<? extends Pair<?, ?>> list) {
        return list.stream().map(String::valueOf).sorted().toList();
    }

    /** Element strings with iterables expanded into sorted lists, sorted: for outputs without a defined order. */
    private static List<String> normalized(List<?> list) {
        return list.stream().map(ClosureCopyOperatorsTest::norm).sorted().toList();
    }

    private static String norm(Object o) {
        if (o instanceof Pair<?, ?> p) {
            return "(" + norm(p.key()) + "," + norm(p.value()) + ")";
        }
        if (o instanceof Triple<?, ?, ?> t) {
            return "(" + norm(t.first()) + "," + norm(t.second()) + "," + norm(t.third()) + ")";
        }
        if (o instanceof Iterable<?> it) {
            List<String> parts = new ArrayList<>();
            it.forEach(x -> parts.add(norm(x)));
            parts.sort(Comparator.naturalOrder());
            return parts.toString();
        }
        if (o instanceof Optional<?> opt) {
            return opt.map(ClosureCopyOperatorsTest::norm).orElse("none");
        }
        return String.valueOf(o);
    }
}
