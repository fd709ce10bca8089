package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scheduler's record of which executor process holds which cached RDD partition, turned into
 * {@link SchedulerEvent.BlockUpdated} events: a report of stored and removed blocks becomes one event
 * per block, and an unpersist one removal per block still held. Storage levels come from the stage
 * descriptions the scheduler posted. Sizes are not reported by executors, so they are -1 (unknown).
 * Used on the scheduler's event thread only.
 */
final class CachedBlockEvents {

    /** The storage level name of each persisted RDD seen in a stage description. */
    private final Map<Integer, String> levels = new HashMap<>();
    /** rdd id -> partition -> executors holding it. */
    private final Map<Integer, Map<Integer, Set<String>>> held = new HashMap<>();

    /** Notes the storage levels of the RDDs of a stage about to be announced. */
    void described(SchedulerEvent.StageInfo stage) {
        for (SchedulerEvent.RddInfo rdd : stage.rdds()) {
            if (rdd.cached()) {
                levels.put(rdd.id(), rdd.storageLevel());
            }
        }
    }

    /**
     * The events for executor {@code executorId}'s report: {@code stored} and {@code removed} are
     * (rdd id, partition) pairs.
     */
    List<SchedulerEvent.BlockUpdated> reported(long time, String executorId, int[] stored, int[] removed) {
        List<SchedulerEvent.BlockUpdated> out = new ArrayList<>();
        for (int i = 0; i + 1 < stored.length; i += 2) {
            int rdd = stored[i];
            int partition = stored[i + 1];
            held.computeIfAbsent(rdd, r -> new TreeMap<>()).computeIfAbsent(partition, p -> new TreeSet<>())
                    .add(executorId);
            out.add(new SchedulerEvent.BlockUpdated(time, executorId, rdd, partition,
                    levels.getOrDefault(rdd, "UNKNOWN"), -1, -1));
        }
        for (int i = 0; i + 1 < removed.length; i += 2) {
            int rdd = removed[i];
            int partition = removed[i + 1];
            Map<Integer, Set<String>> partitions = held.get(rdd);
            if (partitions != null && partitions.containsKey(partition)) {
                partitions.get(partition).remove(executorId);
                if (partitions.get(partition).isEmpty()) {
                    partitions.remove(partition);
                }
            }
            out.add(new SchedulerEvent.BlockUpdated(time, executorId, rdd, partition, null, -1, -1));
        }
        return out;
    }

    /** The removal events for every block of {@code rddId} still held (it was unpersisted). */
    List<SchedulerEvent.BlockUpdated> unpersisted(long time, int rddId) {
        List<SchedulerEvent.BlockUpdated> out = new ArrayList<>();
        Map<Integer, Set<String>> partitions = held.remove(rddId);
        if (partitions != null) {
            partitions.forEach((partition, executors) -> executors.forEach(executor ->
                    out.add(new SchedulerEvent.BlockUpdated(time, executor, rddId, partition, null, -1, -1))));
        }
        return out;
    }

    /** Forgets the blocks of a lost executor (listeners drop them on its {@code ExecutorRemoved}). */
    void executorRemoved(String executorId) {
        held.values().forEach(partitions -> partitions.values().removeIf(executors ->
                executors.remove(executorId) && executors.isEmpty()));
    }
}
