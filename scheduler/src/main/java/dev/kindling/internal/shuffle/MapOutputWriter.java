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
import dev.kindling.internal.executor.ClassCopies;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

    private static final MethodType COMBINE = MethodType.methodType(void.class, Iterator.class,
            ShuffleDependency.class, CombineMap.class, SizeTracker.class, ExecutionMemory.class, ShuffleWriter.class,
            TaskContext.class);
    private static final MethodType WRITE_ALL = MethodType.methodType(void.class, Iterator.class,
            ShuffleDependency.class, ShuffleWriter.class, TaskContext.class);
    // A copy of the loops per class of the records' iterator: see ClassCopies for why.
    private static final ClassCopies COMBINE_LOOPS = new ClassCopies(MethodHandles.lookup(), MapOutputLoops.class,
            (lookup, type) -> lookup.findStatic(type, "combine", COMBINE));
    private static final ClassCopies WRITE_ALL_LOOPS = new ClassCopies(MethodHandles.lookup(), MapOutputLoops.class,
            (lookup, type) -> lookup.findStatic(type, "writeAll", WRITE_ALL));

    private MapOutputWriter() {
    }

    /**
     * Writes {@code records} of one map task into {@code writer}'s buckets (combining first when
     * {@code dep} asks for it), checking {@code context} for kills.
     */
    public static void write(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context,
                      Optional<MemoryManager> memoryManager) throws Exception {
        if (dep.mapSideCombine()) {
            combine(dep, records, writer, context, memoryManager);
        } else {
            MethodHandle loop = WRITE_ALL_LOOPS.handleFor(records.getClass());
            try {
                loop.invokeExact(records, dep, writer, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void combine(ShuffleDependency dep, Iterator<?> records, ShuffleWriter writer, TaskContext context,
                                Optional<MemoryManager> memoryManager) throws Exception {
        Aggregator<Object, Object> agg = dep.aggregator(context).orElseThrow();
        CombineMap<Object, Object, Object> combiners = new CombineMap<>(agg);
        ExecutionMemory memory = memoryManager.map(m -> new ExecutionMemory(m,
                "map-side combine of shuffle " + dep.shuffleId() + ", stage " + context.stageId()
                        + ", partition " + context.partitionId())).orElse(null);
        SizeTracker tracker = new SizeTracker(CombineMap.OVERHEAD_PER_KEY);
        MethodHandle loop = COMBINE_LOOPS.handleFor(records.getClass());
        try {
            try {
                loop.invokeExact(records, dep, combiners, tracker, memory, writer, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            flush(combiners, dep.partitioner(), writer);
        } finally {
            if (memory != null) {
                TaskMetric.PEAK_EXECUTION_MEMORY.record(context, memory.peak());
                memory.releaseAll();
            }
        }
    }

    /** Writes every combiner into its bucket of {@code writer} and empties {@code combiners}. */
    static void flush(CombineMap<Object, Object, Object> combiners, Partitioner partitioner, ShuffleWriter writer) {
        combiners.forEach((key, combiner) -> writer.write(partitioner.getPartition(key), key, combiner));
        combiners.clear();
    }
}
