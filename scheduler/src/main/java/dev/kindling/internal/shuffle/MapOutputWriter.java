package dev.kindling.internal.shuffle;

import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.storage.memory.ExecutionMemory;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.shuffle.ShuffleWriter;
import java.util.Iterator;
import java.util.Optional;

/**
 * Writes one map task's records into shuffle buckets, combining per key first when asked to. With
 * a memory budget, the combining map accounts its estimated size as execution memory; when the
 * budget grants no more, its partial combiners are flushed into the shuffle writer (which spills
 * to disk itself) and combining starts again. Correct because the reduce side merges combiners of
 * the same key anyway. The combiners live in a {@link CombineMap}: one hash lookup per record.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class MapOutputWriter {

    private static final int KILL_CHECK_INTERVAL = 1024;

    private MapOutputWriter() {
    }

    /**
     * Writes {@code records} of one map task into {@code writer}'s buckets (combining first when
     * {@code dep} asks for it), checking {@code context} for kills.
     */
    public static void write(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context,
                      Optional<MemoryManager> memoryManager) throws Exception {
        // One method per loop: the JIT compiles the loop that runs by itself (a smaller compilation,
        // done sooner) rather than one method holding both loops and all they inline.
        if (dep.mapSideCombine()) {
            combine(dep, records, writer, context, memoryManager);
        } else {
            writeAll(dep, records, writer, context);
        }
    }

    private static void combine(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context,
                                Optional<MemoryManager> memoryManager) throws Exception {
        Partitioner partitioner = dep.partitioner();
        long n = 0;
        Aggregator<Object, Object> agg = dep.aggregator(context).orElseThrow();
        CombineMap<Object, Object, Object> combiners = new CombineMap<>(agg);
        ExecutionMemory memory = memoryManager.map(m -> new ExecutionMemory(m,
                "map-side combine of shuffle " + dep.shuffleId() + ", stage " + context.stageId()
                        + ", partition " + context.partitionId())).orElse(null);
        SizeTracker tracker = new SizeTracker(CombineMap.OVERHEAD_PER_KEY);
        try {
            while (records.hasNext()) {
                Object record = records.next();
                Object key = dep.keyOf(record);
                if (combiners.foldValue(key, dep.valueOf(record)) && memory != null) {
                    tracker.add(key, combiners.get(key)); // a second lookup, for new keys only
                }
                if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                    context.checkKilled();
                }
                if (memory != null && (n & 63) == 0 && !memory.ensure(tracker.estimate())) {
                    flush(combiners, partitioner, writer);
                    tracker.reset();
                    memory.releaseAll();
                }
            }
            flush(combiners, partitioner, writer);
        } finally {
            if (memory != null) {
                TaskMetric.PEAK_EXECUTION_MEMORY.record(context, memory.peak());
                memory.releaseAll();
            }
        }
    }

    private static void writeAll(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context) {
        Partitioner partitioner = dep.partitioner();
        long n = 0;
        while (records.hasNext()) {
            Object record = records.next();
            Object key = dep.keyOf(record);
            writer.write(partitioner.getPartition(key), key, dep.valueOf(record));
            if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                context.checkKilled();
            }
        }
    }

    private static void flush(CombineMap<Object, Object, Object> combiners, Partitioner partitioner, ShuffleWriter writer) {
        combiners.forEach((key, combiner) -> writer.write(partitioner.getPartition(key), key, combiner));
        combiners.clear();
    }
}
