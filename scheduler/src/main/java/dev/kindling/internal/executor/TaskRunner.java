package dev.kindling.internal.executor;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.scheduler.TaskFunction;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskBinary;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskKilledException;
import dev.kindling.internal.shuffle.MapOutputWriter;
import dev.kindling.internal.shuffle.MapStatus;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.shuffle.ShuffleWriter;
import dev.kindling.internal.storage.memory.SizeEstimator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs one task attempt on the current executor thread: opens its binary (deserializing it for
 * this attempt when it is bytes), computes its partition, writes shuffle output or applies the
 * job's function, and returns the attempt's final {@link StatusUpdate}.
 */
final class TaskRunner {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private TaskRunner() {
    }

    /** CPU time of the current thread so far, in nanoseconds; 0 where the JVM cannot measure it. */
    private static long cpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** Collection time of every garbage collector of this JVM so far, in milliseconds. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : COLLECTORS) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static StatusUpdate run(TaskDescription task, TaskContext context, ExecutorEnv env) {
        TaskContextAccess.get().setCurrent(context);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        long gcStart = gcMillis();
        Object result = null;
        Throwable failure = null;
        // An interrupt meant for an earlier attempt on this thread must not kill this one; a kill meant
        // for this attempt is also recorded in its context, which checkKilled() reads.
        Thread.interrupted();
        try {
            context.checkKilled();
            long openStart = System.nanoTime();
            // With this attempt's context current, so accumulators in the functions register with it.
            TaskBinary.Payload payload = task.binary().open();
            if (task.binary().isSerialized()) {
                TaskMetric.DESERIALIZE_NANOS.record(context, System.nanoTime() - openStart);
            }
            Iterator<?> records = payload.rdd().iterator(task.partition(), context);
            if (payload instanceof TaskBinary.ShuffleMapTask map) {
                ShuffleDependency dep = map.dependency();
                ShuffleStore shuffleStore = env.shuffleStore();
                ShuffleWriter writer = shuffleStore.writer(dep.shuffleId(), task.partition(), map.numMapTasks(),
                        dep.partitioner().numPartitions());
                try {
                    MapOutputWriter.write(dep, records, writer, context, shuffleStore.memoryManager());
                    context.checkKilled();
                    writer.commit();
                    result = new MapStatus(env.location(), writer.partitionLengths());
                    recordShuffleWrite(writer, context);
                } catch (Throwable t) {
                    try {
                        writer.abort();
                    } catch (Throwable abortFailed) {
                        t.addSuppressed(abortFailed); // keep the task's own failure (an OOM, say) as the cause
                    }
                    throw t;
                }
            } else {
                CountingIterator counted = new CountingIterator(records, context);
                @SuppressWarnings("unchecked")
                TaskFunction<Object> function = (TaskFunction<Object>) ((TaskBinary.ResultTask) payload).function();
                result = function.apply(context, counted);
                TaskMetric.RESULT_RECORDS.record(context, counted.count);
                TaskMetric.RESULT_BYTES.record(context, resultSize(result));
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                TaskContextAccess.get().runCompletionListeners(context);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            TaskMetric.CPU_NANOS.record(context, cpuNanos() - cpuStart);
            TaskMetric.GC_MILLIS.record(context, gcMillis() - gcStart);
            TaskContextAccess.get().setRunNanos(context.metrics(), System.nanoTime() - start);
            TaskContextAccess.get().setCurrent(null);
            Thread.interrupted();
        }
        if (failure != null && context.isKilled() && !(failure instanceof TaskKilledException)) {
            TaskKilledException killed = new TaskKilledException("task " + task.taskId() + " was killed");
            killed.initCause(failure);
            failure = killed;
        }
        String thread = Thread.currentThread().getName();
        Map<Long, Object> accumulators = accumulatorUpdates(context);
        if (failure == null) {
            return StatusUpdate.finished(task.taskId(), thread, result, accumulators, context.metrics(), context.status());
        }
        return StatusUpdate.failed(task.taskId(), thread, failure, failure instanceof TaskKilledException, accumulators,
                context.metrics(), context.status());
    }

    /** The attempt's accumulator copies by id (the context keys them by a Long id). */
    private static Map<Long, Object> accumulatorUpdates(TaskContext context) {
        Map<Object, Object> updates = context.accumulatorUpdates();
        if (updates.isEmpty()) {
            return Map.of();
        }
        Map<Long, Object> byId = new HashMap<>();
        updates.forEach((k, v) -> {
            if (k instanceof Long id) {
                byId.put(id, v);
            }
        });
        return byId;
    }

    /**
     * Estimated heap bytes of a result: local results are handed over as objects, never serialized,
     * so their size is estimated (large arrays and collections sampled). 0 for null, and for a result
     * the estimator cannot walk: a metric never fails a task.
     */
    private static long resultSize(Object result) {
        if (result == null) {
            return 0;
        }
        try {
            return SizeEstimator.estimate(result);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void recordShuffleWrite(ShuffleWriter writer, TaskContext context) {
        context.metrics().addShuffleWrite(writer.recordsWritten(), writer.bytesWritten());
        TaskMetric.SHUFFLE_WRITE_NANOS.record(context, writer.writeNanos());
        TaskMetric.MEMORY_BYTES_SPILLED.record(context, writer.memoryBytesSpilled());
        TaskMetric.DISK_BYTES_SPILLED.record(context, writer.diskBytesSpilled());
        TaskMetric.PEAK_EXECUTION_MEMORY.record(context, writer.peakMemory());
    }

    /** Counts the records a result task consumes and checks for kills every 1024 of them. */
    private static final class CountingIterator implements Iterator<Object> {
        private final Iterator<?> in;
        private final TaskContext context;
        long count;

        CountingIterator(Iterator<?> in, TaskContext context) {
            this.in = in;
            this.context = context;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public Object next() {
            if ((++count & 1023) == 0) {
                context.checkKilled();
            }
            return in.next();
        }
    }
}
