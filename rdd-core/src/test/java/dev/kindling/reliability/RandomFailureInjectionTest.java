package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability figure 4: tasks fail at random (5% of attempts, decided by a hash of seed, stage,
 * partition and attempt, so every run fails the same attempts) at a random record, over many seeded
 * jobs with two or three shuffles. Every result equals the failure-free run's.
 */
@Tag("slow")
class RandomFailureInjectionTest {

    private static final int SEEDS = 100;
    private static final double RATE = 0.05;

    @Test
    void whenFivePercentOfAttemptsFail_thenEveryMultiShuffleJobMatchesTheFailureFreeRun() {
        try (KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.TASK_MAX_FAILURES, "8")
                .build()) {
            EventRecorder events = new EventRecorder();
            kc.addListener(events);
            for (long seed = 1; seed <= SEEDS; seed++) {
                List<String> clean = pipeline(kc, seed, 0.0);
                List<String> faulty = pipeline(kc, seed, RATE);
                assertEquals(clean, faulty, "seed " + seed);
            }
            long injected = events.of(SchedulerEvent.TaskEnd.class).stream()
                    .filter(e -> e.failure() instanceof InjectedFailure).count();
            long attempts = events.of(SchedulerEvent.TaskEnd.class).size();
            System.err.println("random failures: " + injected + " injected of " + attempts + " attempts");
            assertTrue(injected > 50, "the injection should have failed a fair number of attempts: " + injected);
            assertTrue(events.of(SchedulerEvent.TaskEnd.class).stream().allMatch(
                    e -> e.succeeded() || e.failure() instanceof InjectedFailure), "only injected failures");
            LocalContext.assertSchedulerIdle(kc);
        }
    }

    /** Builds and runs seed's pipeline: reduceByKey, then join or cogroup, then sortByKey. */
    private static List<String> pipeline(KindlingContext kc, long seed, double rate) {
        Random random = new Random(seed);
        List<Pair<Integer, Integer>> left = new ArrayList<>();
        List<Pair<Integer, Integer>> right = new ArrayList<>();
        int keys = 5 + random.nextInt(60);
        for (int i = 200 + random.nextInt(600); i > 0; i--) {
            left.add(Pair.of(random.nextInt(keys), random.nextInt(1000)));
        }
        for (int i = 100 + random.nextInt(300); i > 0; i--) {
            right.add(Pair.of(random.nextInt(keys), random.nextInt(1000)));
        }
        PairRDD<Integer, Integer> reduced = failing(kc.parallelizePairs(left, 1 + random.nextInt(6)), seed, rate)
                .reduceByKey(Integer::sum, 1 + random.nextInt(5));
        PairRDD<Integer, Integer> other = failing(kc.parallelizePairs(right, 1 + random.nextInt(6)), seed, rate);
        PairRDD<Integer, Integer> combined;
        if (random.nextBoolean()) {
            combined = reduced.join(other, 1 + random.nextInt(5)).mapValues(p -> p.key() * 31 + p.value());
        } else {
            combined = reduced.cogroup(other, 1 + random.nextInt(5)).mapValues(p -> {
                int sum = 0;
                for (int v : p.key()) {
                    sum = sum * 7 + v;
                }
                for (int w : p.value()) {
                    sum += w;
                }
                return sum;
            });
        }
        PairRDD<Integer, Integer> stage3 = failing(combined, seed, rate);
        if (random.nextBoolean()) {
            return failing(stage3.sortByKey(true, 1 + random.nextInt(4)), seed, rate)
                    .map(p -> p.key() + "=" + p.value()).collect();
        }
        return stage3.map(p -> p.key() + "=" + p.value()).sortBy(s -> s, true, 3).collect();
    }

    /** Wraps every partition so that the chosen attempts fail part-way through. */
    private static <K, V> PairRDD<K, V> failing(PairRDD<K, V> rdd, long seed, double rate) {
        RDD<Pair<K, V>> wrapped = rdd.rdd().mapPartitions(it -> maybeFail(it, seed, rate), true);
        return new PairRDD<>(wrapped);
    }

    private static <T> Iterator<T> maybeFail(Iterator<T> in, long seed, double rate) {
        TaskContext tc = TaskContext.get();
        long h = mix(seed, tc.stageId(), tc.partitionId(), tc.attemptNumber());
        if ((h >>> 11) * 0x1.0p-53 >= rate) {
            return in;
        }
        int failAfter = (int) Math.floorMod(h, 50);
        return new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if (n >= failAfter || !in.hasNext()) {
                    throw new InjectedFailure("injected failure: seed " + seed + ", stage " + tc.stageId()
                            + ", partition " + tc.partitionId() + ", attempt " + tc.attemptNumber());
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                n++;
                return in.next();
            }
        };
    }

    private static long mix(long... values) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : values) {
            h ^= v;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
            h *= 0x94D049BB133111EBL;
            h ^= h >>> 29;
        }
        return h;
    }
}
