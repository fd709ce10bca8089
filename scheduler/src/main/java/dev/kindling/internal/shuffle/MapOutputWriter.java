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
 * A large combined output made from many more records asks to be kept serialized
 * ({@link #shouldSerialize}).
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public final class MapOutputWriter {

    /**
     * A combined output is kept serialized ({@link ShuffleWriter#preferSerialized}) when the task read
     * at least this many records per record it wrote...
     */
    static final long SERIALIZE_MIN_RECORDS_READ_PER_WRITTEN = 8;
    /** ...and wrote at least this many: a smaller output costs the collector little as objects. */
    static final long SERIALIZE_MIN_RECORDS_WRITTEN = 10_000;

    private static final MethodType COMBINE = MethodType.methodType(long.class, Iterator.class,
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
            long read;
            try {
                read = (long) loop.invokeExact(records, dep, combiners, tracker, memory, writer, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            flush(combiners, dep.partitioner(), writer);
            if (shouldSerialize(read, writer.recordsWritten())) {
                writer.preferSerialized();
            }
        } finally {
            if (memory != null) {
                TaskMetric.PEAK_EXECUTION_MEMORY.record(context, memory.peak());
                memory.releaseAll();
            }
        }
    }

    /**
     * Whether a combined output of {@code written} records, made from {@code read} records, is
     * better kept serialized than as objects until the reducers read it. Serializing costs about
     * the same per record written; holding the objects costs a copy of each at every young
     * collection while the rest of the map stage runs, and a stage that reads many records per
     * record it writes allocates much meanwhile. A plain word count of 200 MB (seven map tasks,
     * about 6.5 million words read and 100,000 written by each), three JVMs per build in turns:
     * 3.33 / 2.94 / 2.63 s per run against 3.35 / 3.78 / 3.86 s with its outputs as objects, peak
     * RSS 938 to 1,029 MB against 1,067 to 1,418 MB, collection pauses 0.47 s against 1.33 to 1.51 s
     * per JVM. Left as objects: an output barely combined, as a {@code groupByKey}'s (3 million
     * ints took 1.0 to 1.3 s through Kryo files against 0.16 to 0.72 s as objects), and a small one.
     */
    static boolean shouldSerialize(long read, long written) {
        return written >= SERIALIZE_MIN_RECORDS_WRITTEN && read >= SERIALIZE_MIN_RECORDS_READ_PER_WRITTEN * written;
    }

    /** Writes every combiner into its bucket of {@code writer} and empties {@code combiners}. */
    static void flush(CombineMap<Object, Object, Object> combiners, Partitioner partitioner, ShuffleWriter writer) {
        combiners.forEach((key, combiner) -> writer.write(partitioner.getPartition(key), key, combiner));
        combiners.clear();
    }
}
