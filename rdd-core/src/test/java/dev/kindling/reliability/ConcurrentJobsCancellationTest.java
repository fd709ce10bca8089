package dev.kindling.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.JobCancelledException;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.testing.LocalContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability figure 5: eight threads run jobs that share shuffle stages while another thread
 * cancels their job groups at random. Nothing hangs (a watchdog dumps every thread's stack and fails
 * the test), completed jobs are correct, cancelled ones throw {@link JobCancelledException}, and
 * after close no {@code kindling-} thread survives.
 */
@Tag("slow")
class ConcurrentJobsCancellationTest {

    private static final int THREADS = 8;
    private static final int JOBS_PER_THREAD = 25;

    @Test
    void whenEightThreadsShareShufflesAndJobGroupsAreCancelledAtRandom_thenNothingHangsAndResultsAreRight()
            throws Exception {
        Set<Thread> before = ThreadDump.kindlingThreads();
        KindlingContext kc = Kindling.builder().master("local[4]").build();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(kc, completed, cancelled), ThreadDump::all);
            LocalContext.assertSchedulerIdle(kc);
        } finally {
            kc.close();
        }
        assertEquals(THREADS * JOBS_PER_THREAD, completed.get() + cancelled.get());
        System.err.println("concurrent jobs: " + completed + " completed, " + cancelled + " cancelled");
        assertEquals(Set.of(), ThreadDump.kindlingThreadsLeftOver(before), "kindling threads alive after close");
    }

    /**
     * Stress guard for a fixed bug: a job submitted while the context was closing could be queued
     * after the scheduler's event thread had exited, and its caller then waited forever. (The race
     * window is narrow; EventLoopTest checks the mechanism deterministically.)
     */
    @Test
    void jobsSubmittedWhileTheContextClosesEndInsteadOfHanging() throws Exception {
        Set<Thread> before = ThreadDump.kindlingThreads();
        for (int round = 0; round < 5; round++) {
            KindlingContext kc = Kindling.builder().master("local[2]").build();
            List<Integer> data = IntStream.range(0, 100).boxed().collect(Collectors.toList());
            long expected = data.stream().mapToLong(x -> x).sum();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            CountDownLatch running = new CountDownLatch(THREADS);
            ExecutorService workers = Executors.newFixedThreadPool(THREADS);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int t = 0; t < THREADS; t++) {
                        workers.submit(() -> {
                            running.countDown();
                            while (true) {
                                try {
                                    assertEquals(expected, (long) kc.parallelize(data, 4).map(x -> (long) x)
                                            .reduce(Long::sum));
                                } catch (JobCancelledException | IllegalStateException closed) {
                                    return; // the context closed under this job, or before it was created
                                } catch (Throwable e) {
                                    unexpected.add(e);
                                    return;
                                }
                            }
                        });
                    }
                    running.await();
                    Thread.sleep(5);
                    kc.close();
                    workers.shutdown();
                    assertTrue(workers.awaitTermination(50, TimeUnit.SECONDS), "a caller never got an answer");
                }, ThreadDump::all);
            } finally {
                workers.shutdownNow();
                kc.close();
            }
            assertEquals(List.of(), unexpected, "round " + round);
        }
        assertEquals(Set.of(), ThreadDump.kindlingThreadsLeftOver(before), "kindling threads alive after close");
    }

    private static void run(KindlingContext kc, AtomicInteger completed, AtomicInteger cancelled) throws Exception {
        List<Integer> data = IntStream.range(0, 4000).boxed().collect(Collectors.toList());
        // One shared reduceByKey per round: the threads' jobs of round j share its map stage.
        List<PairRDD<Integer, Long>> shared = new ArrayList<>();
        List<Map<Integer, Long>> sharedExpected = new ArrayList<>();
        for (int j = 0; j < JOBS_PER_THREAD; j++) {
            int mod = 7 + j;
            shared.add(kc.parallelize(data, 8).map(x -> {
                slowDown(x);
                return x;
            }).mapToPair(x -> Pair.of(x % mod, (long) x)).reduceByKey(Long::sum, 4));
            sharedExpected.add(data.stream().collect(Collectors.groupingBy(x -> x % mod,
                    Collectors.summingLong(x -> (long) x))));
        }
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(THREADS);
        ExecutorService workers = Executors.newFixedThreadPool(THREADS + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(workers.submit(() -> {
                    kc.setJobGroup("group-" + thread, "jobs of test thread " + thread);
                    ready.countDown();
                    Random random = new Random(thread);
                    for (int j = 0; j < JOBS_PER_THREAD; j++) {
                        try {
                            if (random.nextBoolean()) {
                                assertEquals(sharedExpected.get(j), new HashMap<>(shared.get(j).collectAsMap()));
                            } else {
                                // A per-thread job that reads the shared shuffle and adds one of its own.
                                int k = 3 + thread;
                                Map<Integer, Long> expected = new HashMap<>();
                                sharedExpected.get(j).forEach((key, v) -> expected.merge(key % k, v, Long::sum));
                                assertEquals(expected, new HashMap<>(shared.get(j)
                                        .mapToPair(p -> Pair.of(p.key() % k, p.value()))
                                        .reduceByKey(Long::sum, 3).collectAsMap()));
                            }
                            completed.incrementAndGet();
                        } catch (JobCancelledException e) {
                            cancelled.incrementAndGet();
                        } catch (JobFailedException | AssertionError e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            Future<?> canceller = workers.submit(() -> {
                ready.await();
                Random random = new Random(42);
                while (!done.get()) {
                    kc.cancelJobGroup("group-" + random.nextInt(THREADS));
                    Thread.sleep(1 + random.nextInt(8));
                }
                return null;
            });
            for (Future<?> f : futures) {
                f.get();
            }
            done.set(true);
            canceller.get();
        } finally {
            done.set(true);
            workers.shutdownNow();
            assertTrue(workers.awaitTermination(30, TimeUnit.SECONDS));
        }
        if (!unexpected.isEmpty()) {
            AssertionError error = new AssertionError(unexpected.size() + " job(s) failed unexpectedly or were wrong");
            unexpected.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** About a millisecond per 200 records, so cancellations often find running tasks. */
    private static void slowDown(int x) throws InterruptedException {
        if (x % 200 == 0) {
            Thread.sleep(1);
        }
    }
}
