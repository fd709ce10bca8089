package dev.kindling.internal.scheduler;

import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.scheduler.SchedulerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor lifecycle as a {@link DAGScheduler} sees it: executors that join and leave (announced
 * to listeners once each), executors lost with their map outputs (whose stages then re-run the lost
 * partitions), and the cached blocks executors report, store and drop ({@link CachedBlockEvents}).
 *
 * <p>Threading: every method runs on the scheduler's event thread, which owns the executors known and
 * the cached-block record here; the public executor hooks of {@link DAGScheduler} (called by backends
 * from any thread) post events that call in here.
 */
final class ExecutorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(DAGScheduler.class);

    private final ListenerBus bus;
    private final MapOutputTracker tracker;
    private final StageSubmitter stages;
    private final CachedBlockEvents cachedBlocks;
    /** The executors announced to listeners and not removed, by id. */
    private final Map<String, SchedulerEvent.ExecutorAdded> executors = new LinkedHashMap<>();

    ExecutorEvents(ListenerBus bus, MapOutputTracker tracker, StageSubmitter stages, CachedBlockEvents cachedBlocks) {
        this.bus = bus;
        this.tracker = tracker;
        this.stages = stages;
        this.cachedBlocks = cachedBlocks;
    }

    /** Forgets every map output executor {@code executorId} held and submits the stages that can run. */
    void executorLost(String executorId) {
        int lost = tracker.removeOutputsOnExecutor(executorId);
        LOG.info("Executor {} lost: forgot {} map output(s) it held; their map tasks will re-run when needed",
                executorId, lost);
        stages.submitWaitingStages();
    }

    /** Announces an executor that joined at {@code time}, unless it was announced and not removed. */
    void executorAdded(long time, String executorId, String host, int port, int cores) {
        if (!executors.containsKey(executorId)) {
            SchedulerEvent.ExecutorAdded added = new SchedulerEvent.ExecutorAdded(time, executorId, host, port, cores);
            executors.put(executorId, added);
            bus.post(added);
        }
    }

    /**
     * Forgets the cached blocks of an executor that left at {@code time} and, if it was announced,
     * announces its removal.
     */
    void executorRemoved(String executorId, String reason, long time) {
        cachedBlocks.executorRemoved(executorId);
        if (executors.remove(executorId) != null) {
            bus.post(new SchedulerEvent.ExecutorRemoved(time, executorId, reason));
        }
    }

    /** Removes every executor still announced, each with {@code reason} (the context closed). */
    void removeAll(String reason) {
        for (String id : new ArrayList<>(executors.keySet())) {
            executorRemoved(id, reason, SchedulerState.now());
        }
    }

    /** Tells listeners of the blocks executor {@code executorId} stored and removed. */
    void blocksUpdated(long time, String executorId, int[] stored, int[] removed) {
        cachedBlocks.reported(time, executorId, stored, removed).forEach(bus::post);
    }

    /** Tells listeners that every cached partition of RDD {@code rddId} was removed. */
    void rddUnpersisted(long time, int rddId) {
        cachedBlocks.unpersisted(time, rddId).forEach(bus::post);
    }
}
