package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.internal.scheduler.backend.ExecutorBackend;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.internal.scheduler.backend.TaskPreferences;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Lineage;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.StorageLevel;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where a task would rather run, walking its lineage: a cached partition's executors first, then
 * preferred hosts, through narrow dependencies only; a lineage method that throws means no preference.
 * A shuffled node's partition prefers the executors holding most of its input when reduce locality is on.
 */
class PreferredLocationsTest {

    /** A node with fixed answers; {@code hosts} null makes preferredLocations throw. */
    private record Node(int id, List<Dependency> dependencies, StorageLevel level, List<String> hosts) implements Lineage {
        @Override
        public int numPartitions() {
            return 4;
        }

        @Override
        public Optional<Partitioner> partitioner() {
            return Optional.empty();
        }

        @Override
        public Iterator<?> iterator(int partition, TaskContext context) {
            return List.of().iterator();
        }

        @Override
        public List<String> preferredLocations(int partition) {
            if (hosts == null) {
                throw new IllegalStateException("name node unreachable");
            }
            return hosts;
        }

        @Override
        public StorageLevel getStorageLevel() {
            return level;
        }

        @Override
        public String describe() {
            return "Node[" + id + "]";
        }
    }

    /** Only what locality needs: cached partitions by "rdd/partition". */
    private record Cache(Map<String, Set<String>> blocks) implements ExecutorBackend {
        @Override
        public Set<String> cachedLocations(int rddId, int partition) {
            return blocks.getOrDefault(rddId + "/" + partition, Set.of());
        }

        @Override
        public void start(StatusListener listener) {
        }

        @Override
        public boolean serializesTasks() {
            return false;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public void launch(TaskDescription task) {
        }

        @Override
        public void killTask(long taskId, boolean interrupt, String reason) {
        }

        @Override
        public List<String> shutdown(long timeoutMillis) {
            return List.of();
        }
    }

    private static final Node SOURCE = new Node(1, List.of(), StorageLevel.NONE, List.of("dn1", "dn2"));
    private static final Node CACHED = new Node(2, List.of(NarrowDependency.oneToOne(SOURCE)), StorageLevel.MEMORY_ONLY, List.of());
    private static final Node MAPPED = new Node(3, List.of(NarrowDependency.oneToOne(CACHED)), StorageLevel.NONE, List.of());

    @Test
    void aCachedPartitionsExecutorsComeFirstThenTheInputsHosts() {
        PreferredLocations prefs = new PreferredLocations(new Cache(Map.of("2/1", Set.of("exec-0"))));
        assertEquals(TaskPreferences.executors(Set.of("exec-0")), prefs.of(MAPPED, 1));
        assertEquals(TaskPreferences.hosts(Set.of("dn1", "dn2")), prefs.of(MAPPED, 0), "partition 0 is not cached");
    }

    @Test
    void narrowDependenciesAreFollowedAtTheirParentPartitions() {
        Node shifted = new Node(4, List.of(NarrowDependency.range(CACHED, 2, 0, 2)), StorageLevel.NONE, List.of());
        PreferredLocations prefs = new PreferredLocations(new Cache(Map.of("2/3", Set.of("exec-1"))));
        assertEquals(TaskPreferences.executors(Set.of("exec-1")), prefs.of(shifted, 1), "child 1 reads parent 3");
    }

    @Test
    void aShuffleEndsTheWalkAndAThrowingLineageMeansNoPreference() {
        Node reduced = new Node(5, List.of(new ShuffleDependency(SOURCE, 7, new HashPartitioner(2), null, false,
                r -> r, r -> r)), StorageLevel.NONE,
                List.of());
        PreferredLocations prefs = new PreferredLocations(new Cache(Map.of()));
        assertEquals(TaskPreferences.NONE, prefs.of(reduced, 0));
        Node broken = new Node(6, List.of(), StorageLevel.NONE, null);
        assertEquals(TaskPreferences.NONE, prefs.of(broken, 0));
    }

    @Test
    void withReduceLocality_aShuffledNodePrefersTheExecutorsHoldingAFifthOfItsInput_andAMapStageRunsAnywhere() {
        ShuffleDependency shuffle = new ShuffleDependency(SOURCE, 8, new HashPartitioner(4), null, false, r -> r, r -> r);
        Node reduced = new Node(7, List.of(shuffle), StorageLevel.NONE, List.of());
        MapOutputTracker tracker = new MapOutputTracker();
        // Reduce 0: exec-1 90 bytes, exec-2 10; reduce 1: exec-1 50, exec-2 50; reduces 2, 3 and exec-3 are empty.
        tracker.registerMapOutput(8, 4, 0, new MapStatus(new ExecutorLocation("exec-1", "h", 1), new long[] {90, 50, 0, 0}));
        tracker.registerMapOutput(8, 4, 1, new MapStatus(new ExecutorLocation("exec-2", "h", 2), new long[] {10, 50, 0, 0}));
        tracker.registerMapOutput(8, 4, 2, new MapStatus(new ExecutorLocation("exec-3", "h", 3), new long[] {0, 0, 0, 0}));
        tracker.registerMapOutput(8, 4, 3, new MapStatus(new ExecutorLocation("exec-3", "h", 3), new long[] {0, 0, 0, 0}));
        PreferredLocations prefs = new PreferredLocations(new Cache(Map.of()), tracker);
        assertEquals(TaskPreferences.executors(Set.of("exec-1")), prefs.of(reduced, 0));
        assertEquals(TaskPreferences.executors(Set.of("exec-1", "exec-2")), prefs.of(reduced, 1));
        assertEquals(TaskPreferences.NONE, prefs.of(reduced, 2), "no input bytes");
        Node mapped = new Node(9, List.of(NarrowDependency.oneToOne(reduced)), StorageLevel.NONE, List.of());
        assertEquals(TaskPreferences.executors(Set.of("exec-1")), prefs.of(mapped, 0), "through a narrow dependency");
        assertEquals(TaskPreferences.NONE, new PreferredLocations(new Cache(Map.of())).of(reduced, 0), "reduce locality off");
        Node twoShuffles = new Node(10, List.of(shuffle, shuffle), StorageLevel.NONE, List.of());
        assertEquals(TaskPreferences.NONE, prefs.of(twoShuffles, 0), "as Spark's CoGroupedRDD: no preference");
    }
}
