package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The execution model: nothing runs before an action, narrow transformations are pipelined one
 * element at a time, tasks of a stage run in parallel, and shuffle output is reused by later jobs.
 * Function calls are counted with static counters (the functions run in this JVM's executor threads).
 */
@ExtendWith(LocalContext.class)
class LazinessAndPipeliningTest {

    private static final AtomicLong FIRST_MAP = new AtomicLong();
    private static final AtomicLong FILTER = new AtomicLong();
    private static final AtomicLong SECOND_MAP = new AtomicLong();
    private static final List<String> TRACE = Collections.synchronizedList(new ArrayList<>());
    private static volatile CountDownLatch bothRunning;
    private static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void reset() {
        FIRST_MAP.set(0);
        FILTER.set(0);
        SECOND_MAP.set(0);
        TRACE.clear();
        THREADS.clear();
    }

    @Test
    void declaringAChainOfTransformationsRunsNoJob(KindlingContext kc) {
        JobRecorder jobs = JobRecorder.on(kc);
        RDD<Integer> numbers = kc.parallelize(RandomData.ints(140, 300, 100), 4).map(x -> {
            FIRST_MAP.incrementAndGet();
            return x;
        });
        PairRDD<Integer, Integer> pairs = numbers.filter(x -> x % 2 == 0).mapToPair(x -> Pair.of(x % 10, x));

        List<Object> declared = new ArrayList<>();
        declared.add(pairs.reduceByKey(Integer::sum).sortByKey(false, 3));
        declared.add(pairs.join(pairs.groupByKey()).mapValues(v -> v.key()));
        declared.add(numbers.zipWithIndex());
        declared.add(numbers.distinct().cartesian(numbers.repartition(5)));
        declared.add(numbers.sortBy(x -> -x, true, 2));
        declared.add(numbers.sample(false, 0.5, 1).coalesce(2).groupBy(x -> x % 3));
        declared.add(numbers.intersection(numbers.subtract(numbers)).cache());
        declared.add(pairs.cogroup(pairs, pairs).leftOuterJoin(pairs).fullOuterJoin(pairs));
        declared.add(numbers.randomSplit(new double[] {1, 1}, 3));
        declared.add(((RDD<?>) pairs.rdd()).toDebugString());

        assertEquals(10, declared.size());
        assertEquals(0, jobs.jobCount(), "no job before an action");
        assertEquals(0, FIRST_MAP.get(), "no function called before an action");
    }

    @Test
    void eachElementPassesEachFunctionOfAMapFilterMapChainOnce(KindlingContext kc) {
        List<Integer> data = RandomData.ints(141, 2000, 1000);
        RDD<Integer> chain = kc.parallelize(data, 5)
                .map(x -> {
                    FIRST_MAP.incrementAndGet();
                    return x + 1;
                })
                .filter(x -> {
                    FILTER.incrementAndGet();
                    return x % 3 == 0;
                })
                .map(x -> {
                    SECOND_MAP.incrementAndGet();
                    return x * 2;
                });

        List<Integer> out = chain.collect();

        List<Integer> expected = data.stream().map(x -> x + 1).filter(x -> x % 3 == 0).map(x -> x * 2)
                .collect(Collectors.toList());
        assertEquals(expected, out);
        assertEquals(data.size(), FIRST_MAP.get());
        assertEquals(data.size(), FILTER.get());
        assertEquals(expected.size(), SECOND_MAP.get());
    }

    @Test
    void narrowTransformationsInterleavePerElementWithoutIntermediateCollections(KindlingContext kc) {
        RDD<Integer> chain = kc.parallelize(List.of(1, 2, 3, 4), 1)
                .map(x -> {
                    TRACE.add("map " + x);
                    return x;
                })
                .filter(x -> {
                    TRACE.add("filter " + x);
                    return x % 2 == 0;
                })
                .map(x -> {
                    TRACE.add("map2 " + x);
                    return x;
                });

        assertEquals(List.of(2, 4), chain.collect());
        assertEquals(List.of("map 1", "filter 1", "map 2", "filter 2", "map2 2", "map 3", "filter 3",
                "map 4", "filter 4", "map2 4"), TRACE, "a partition is streamed, not materialised stage by stage");

        TRACE.clear();
        assertEquals(List.of(2), chain.take(1));
        assertEquals(List.of("map 1", "filter 1", "map 2", "filter 2", "map2 2"), TRACE, "take stops pulling early");
    }

    @Test
    void tasksOfOneStageRunAtTheSameTimeOnTwoExecutorThreads(KindlingContext kc) {
        bothRunning = new CountDownLatch(2);
        List<Boolean> met = kc.parallelize(List.of(1, 2), 2).mapPartitions(it -> {
            THREADS.add(Thread.currentThread().getName());
            bothRunning.countDown();
            // Both tasks must be running at once for the latch to open; the timeout only guards a hang.
            boolean open = bothRunning.await(60, TimeUnit.SECONDS);
            return List.of(open).iterator();
        }).collect();

        assertEquals(List.of(true, true), met);
        assertEquals(2, THREADS.size(), "two different executor threads: " + THREADS);
    }

    @Test
    void aSecondActionOnAShuffledRddDoesNotRerunTheMapStage(KindlingContext kc) {
        List<Pair<String, Integer>> data = RandomData.skewedPairs(142, 500);
        PairRDD<String, Integer> reduced = kc.parallelizePairs(data, 4).mapValues(v -> {
            FIRST_MAP.incrementAndGet();
            return v;
        }).reduceByKey(Integer::sum, 3);
        JobRecorder jobs = JobRecorder.on(kc);

        long keys = reduced.count();
        assertEquals(4, jobs.shuffleMapTaskCount(), "first action: one map task per input partition");
        assertEquals(data.size(), FIRST_MAP.get());

        jobs.reset();
        assertEquals(keys, reduced.collect().size());
        assertEquals(0, jobs.shuffleMapTaskCount(), "second action: map output reused");
        assertEquals(data.size(), FIRST_MAP.get(), "map-side functions not called again");
        assertEquals(1, jobs.stages().size(), "only the result stage ran");
    }

    @Test
    void toDebugStringShowsShuffleBoundaries(KindlingContext kc) {
        RDD<Integer> narrow = kc.parallelize(IntStream.range(0, 10).boxed().collect(Collectors.toList()), 2)
                .map(x -> x + 1).filter(x -> x > 2);
        PairRDD<Integer, Integer> wide = narrow.mapToPair(x -> Pair.of(x % 3, x)).reduceByKey(Integer::sum, 3);

        assertFalse(narrow.toDebugString().contains(" +-("), narrow.toDebugString());
        String lineage = wide.toDebugString();
        assertTrue(lineage.startsWith("(3) "), lineage);
        assertTrue(lineage.contains(" +-(2) "), lineage);
        assertTrue(lineage.contains("ShuffledRDD"), lineage);
        assertTrue(lineage.contains("ParallelCollectionRDD"), lineage);
        String twoShuffles = wide.sortByKey().toDebugString();
        assertEquals(2, twoShuffles.split(" \\+-\\(", -1).length - 1, twoShuffles);
    }
}
