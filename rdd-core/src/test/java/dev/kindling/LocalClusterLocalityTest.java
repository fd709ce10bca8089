package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskLocality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locality on {@code local-cluster[2,1,512]}: executors report the partitions they cache, and a later job
 * runs each task on the executor that holds its partition (PROCESS_LOCAL, nothing recomputed); a killed
 * executor's partitions are recomputed on the other one; unpersist removes the blocks from the executors;
 * a lineage's preferred hosts make tasks NODE_LOCAL. Recomputations are counted with an accumulator
 * incremented once per computed partition; where each task ran comes from the task-end events. The
 * locality wait is long (60 s) so that no task gives up on its executor under a loaded machine; the tests
 * assert places, never times.
 */
class LocalClusterLocalityTest {

    private static final String CLUSTER = "local-cluster[2,1,512]";
    private static final int PARTITIONS = 8;
    private static final List<Integer> INTS = IntStream.range(0, 4_000).boxed().toList();

    @TempDir
    Path tmp;

    /** One cluster for the tests that kill nothing (starting executor JVMs is the slow part). */
    private static KindlingContext shared;
    private static final Recorder SHARED_RECORDER = new Recorder();

    @BeforeAll
    static void startSharedCluster() {
        shared = cluster();
        shared.addListener(SHARED_RECORDER);
    }

    @AfterAll
    static void stopSharedCluster() {
        if (shared != null) {
            shared.close();
        }
    }

    /** One task's end as the events tell it. */
    private record Ran(int partition, String executorId, TaskLocality locality) {
    }

    /** Records the successful task ends of result stages. */
    private static final class Recorder implements SchedulerListener {
        final List<Ran> ends = new CopyOnWriteArrayList<>();

        @Override
        public void onTaskEnd(SchedulerEvent.TaskEnd event) {
            if (event.succeeded()) {
                ends.add(new Ran(event.task().partition(), event.task().executorId(), event.task().locality()));
            }
        }

        List<Ran> take() {
            List<Ran> out = new ArrayList<>(ends);
            ends.clear();
            return out;
        }
    }

    private static KindlingContext cluster() {
        return Kindling.builder().master(CLUSTER).config("kindling.locality.wait", "60s").build();
    }

    /** The cached RDD: each partition's computation adds 1 to {@code computed} and writes its executor's pid. */
    private static RDD<Integer> cachedInput(KindlingContext kc, LongAccumulator computed, Path pids) {
        String dir = pids.toString();
        return kc.parallelize(INTS, PARTITIONS).mapPartitionsWithIndex((index, it) -> {
            computed.add(1);
            Files.writeString(Path.of(dir, index + "-" + System.nanoTime()), Long.toString(ProcessHandle.current().pid()));
            List<Integer> out = new ArrayList<>();
            it.forEachRemaining(x -> out.add(x * 3));
            return out.iterator();
        }, true).cache();
    }

    private static List<Integer> squares(RDD<Integer> cached) {
        return cached.map(x -> x * x).collect();
    }

    private static List<Integer> expectedSquares() {
        return INTS.stream().map(x -> x * 3).map(x -> x * x).toList();
    }

    /** Partition to the executor that ran it, from one job's task ends. */
    private static Map<Integer, String> places(List<Ran> ends) {
        Map<Integer, String> out = new TreeMap<>();
        for (Ran r : ends) {
            out.put(r.partition(), r.executorId());
        }
        return out;
    }

    @Test
    void aSecondActionRunsEveryTaskProcessLocalWhereItsPartitionIsCachedAndRecomputesNothing() throws IOException {
        KindlingContext kc = shared;
        Recorder recorder = SHARED_RECORDER;
        recorder.take();
        LongAccumulator computed = kc.longAccumulator("computed");
        RDD<Integer> cached = cachedInput(kc, computed, Files.createDirectories(tmp.resolve("pids")));
        assertEquals(INTS.size(), cached.count());
        List<Ran> first = recorder.take();
        assertEquals(PARTITIONS, computed.value(), "the first action computes every partition once");
        assertEquals(PARTITIONS, first.size());
        first.forEach(r -> assertEquals(TaskLocality.NO_PREF, r.locality(), "nothing is cached yet: " + r));
        Map<Integer, String> holders = places(first);
        assertEquals(Set.of("0", "1"), new HashSet<>(holders.values()), "both executors cached partitions");

        assertEquals(expectedSquares(), squares(cached));
        List<Ran> second = recorder.take();
        assertEquals(PARTITIONS, second.size());
        for (Ran r : second) {
            assertEquals(new Ran(r.partition(), holders.get(r.partition()), TaskLocality.PROCESS_LOCAL), r,
                    "partition " + r.partition() + " runs where it is cached (holders " + holders + ")");
        }
        assertEquals(PARTITIONS, computed.value(), "the second action recomputes no partition");
    }

    @Test
    void partitionsCachedOnAKilledExecutorAreRecomputedOnTheOtherAndTheResultIsExact() throws Exception {
        Recorder recorder = new Recorder();
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        try (KindlingContext kc = cluster()) {
            kc.addListener(recorder);
            LongAccumulator computed = kc.longAccumulator("computed");
            RDD<Integer> cached = cachedInput(kc, computed, pids);
            assertEquals(INTS.size(), cached.count());
            Map<Integer, String> holders = places(recorder.take());
            String victimId = holders.get(0);
            long victimPid = pidOf(pids, 0);
            Set<Integer> lost = new HashSet<>();
            holders.forEach((p, e) -> {
                if (e.equals(victimId)) {
                    lost.add(p);
                }
            });
            ProcessHandle victim = ProcessHandle.of(victimPid).orElseThrow();
            assertTrue(victim.info().commandLine().orElse("").contains("ExecutorProcess"), "partition 0 ran in an executor");
            victim.destroyForcibly(); // SIGKILL
            victim.onExit().get(60, TimeUnit.SECONDS);

            assertEquals(expectedSquares(), squares(cached));
            List<Ran> second = recorder.take();
            assertEquals(PARTITIONS + lost.size(), computed.value(), "only the lost partitions " + lost + " are recomputed");
            assertEquals(PARTITIONS, second.size(), "one successful task per partition");
            for (Ran r : second) {
                assertFalse(r.executorId().equals(victimId), "a task ran on the killed executor: " + r);
                if (lost.contains(r.partition())) {
                    // No executor holds it any more. Queued before the driver saw the loss, the task still
                    // prefers the dead holder's host, which the survivor shares (NODE_LOCAL), unless the
                    // loss reached the task queue first and left it with only the dead executor as its
                    // preference: it then runs as soon as any executor is free, reported ANY ("had
                    // preferences, none could be met", LocalityQueue). Queued after, it has no preference
                    // (NO_PREF). Any of these is right; PROCESS_LOCAL would not be.
                    assertNotEquals(TaskLocality.PROCESS_LOCAL, r.locality(),
                            "partition " + r.partition() + " (lost: " + lost + ") ran " + r.locality());
                } else {
                    assertEquals(TaskLocality.PROCESS_LOCAL, r.locality(), "partition " + r.partition() + " (lost: " + lost + ")");
                }
            }
            // The survivor now holds every partition: a third action recomputes nothing.
            assertEquals(expectedSquares(), squares(cached));
            recorder.take().forEach(r -> assertEquals(TaskLocality.PROCESS_LOCAL, r.locality(), r.toString()));
            assertEquals(PARTITIONS + lost.size(), computed.value());
        }
    }

    @Test
    void unpersistRemovesTheBlocksFromTheExecutors() throws IOException {
        KindlingContext kc = shared;
        Recorder recorder = SHARED_RECORDER;
        recorder.take();
        LongAccumulator computed = kc.longAccumulator("computed");
        RDD<Integer> cached = cachedInput(kc, computed, Files.createDirectories(tmp.resolve("pids")));
        assertEquals(INTS.size(), cached.count());
        recorder.take();
        cached.unpersist();
        // Persisted again: had an executor kept a block, its partition would be read, not computed.
        cached.cache();
        assertEquals(expectedSquares(), squares(cached));
        assertEquals(2L * PARTITIONS, computed.value(), "every partition is computed again after unpersist");
        recorder.take().forEach(r -> assertEquals(TaskLocality.NO_PREF, r.locality(),
                "the driver forgot the blocks too: " + r));
    }

    @Test
    void tasksOfALineageWithPreferredHostsRunNodeLocalOnExecutorsOfThoseHosts() {
        KindlingContext kc = shared;
        Recorder recorder = SHARED_RECORDER;
        recorder.take();
        // Executors of local-cluster register with the loopback address as their host.
        assertEquals(40L, new HostedRDD(kc, List.of("127.0.0.1")).map(x -> x + 1).count());
        List<Ran> onLoopback = recorder.take();
        assertEquals(4, onLoopback.size());
        onLoopback.forEach(r -> assertEquals(TaskLocality.NODE_LOCAL, r.locality(), r.toString()));
        // A host no executor is on: the tasks do not wait for it.
        assertEquals(40L, new HostedRDD(kc, List.of("datanode-that-is-not-here")).count());
        recorder.take().forEach(r -> assertEquals(TaskLocality.ANY, r.locality(), r.toString()));
    }

    /** Four partitions of ten numbers whose input is said to live on {@code hosts} (as an HDFS split's). */
    static final class HostedRDD extends RDD<Integer> {
        private final List<String> hosts;

        HostedRDD(KindlingContext kc, List<String> hosts) {
            super(kc);
            this.hosts = List.copyOf(hosts);
        }

        @Override
        protected int computeNumPartitions() {
            return 4;
        }

        @Override
        protected List<Dependency> computeDependencies() {
            return List.of();
        }

        @Override
        protected Iterator<Integer> compute(int partition, TaskContext context) {
            return IntStream.range(partition * 10, partition * 10 + 10).iterator();
        }

        @Override
        public List<String> preferredLocations(int partition) {
            return hosts;
        }
    }

    /** The pid of the process that first computed {@code partition}. */
    private static long pidOf(Path pids, int partition) throws IOException {
        try (Stream<Path> files = Files.list(pids)) {
            Path first = files.filter(f -> f.getFileName().toString().startsWith(partition + "-")).findFirst().orElseThrow();
            return Long.parseLong(Files.readString(first).strip());
        }
    }
}
