package dev.kindling.internal.shuffle;

import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.storage.memory.ExecutionMemory;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.executor.ClassCopies;
import java.lang.invoke.MethodHandles;
import java.util.Iterator;

/**
 * The per-record loops of {@link MapOutputWriter}, in a class of their own so that it can be
 * copied per class of the records' iterator ({@link dev.kindling.internal.executor.ClassCopies}):
 * each pipeline's loop then calls one iterator class, which the JIT inlines with the user's
 * function behind it, and the {@code Pair} that function returns is never allocated. A template:
 * no nested classes, no lambdas.
 */
final class MapOutputLoops {

    private static final int KILL_CHECK_INTERVAL = 1024;
    /** The class of every records iterator this copy loops over (null in the template): see ClassCopies. */
    private static final Class<?> KEY = ClassCopies.keyOf(MethodHandles.lookup());

    private MapOutputLoops() {
    }

    /**
     * Folds each record's value into {@code combiners}; when {@code memory} (may be null) cannot
     * grant what {@code tracker} estimates, flushes the combiners into {@code writer} and starts
     * again. Leaves the last combiners in the map. Returns the number of records read.
     */
    static long combine(Iterator<?> records, ShuffleDependency dep, CombineMap<Object, Object, Object> combiners,
                        SizeTracker tracker, ExecutionMemory memory, ShuffleWriter writer, TaskContext context)
            throws Exception {
        long n = 0;
        while (true) {
            // Checked in the loop, so that a compilation entered mid-loop (OSR) knows the class too.
            if (KEY != null && records.getClass() != KEY) {
                throw ClassCopies.notTheKey(KEY, records);
            }
            if (!records.hasNext()) {
                break;
            }
            Object record = records.next();
            Object key = dep.keyOf(record);
            if (combiners.foldValue(key, dep.valueOf(record)) && memory != null) {
                tracker.add(key, combiners.get(key)); // a second lookup, for new keys only
            }
            if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                context.checkKilled();
            }
            if (memory != null && (n & 63) == 0 && !memory.ensure(tracker.estimate())) {
                MapOutputWriter.flush(combiners, dep.partitioner(), writer);
                tracker.reset();
                memory.releaseAll();
            }
        }
        return n;
    }

    /** Writes each record into its bucket of {@code writer}, uncombined. */
    static void writeAll(Iterator<?> records, ShuffleDependency dep, ShuffleWriter writer, TaskContext context) {
        Partitioner partitioner = dep.partitioner();
        long n = 0;
        while (true) {
            if (KEY != null && records.getClass() != KEY) {
                throw ClassCopies.notTheKey(KEY, records);
            }
            if (!records.hasNext()) {
                break;
            }
            Object record = records.next();
            Object key = dep.keyOf(record);
            writer.write(partitioner.getPartition(key), key, dep.valueOf(record));
            if ((++n & (KILL_CHECK_INTERVAL - 1)) == 0) {
                context.checkKilled();
            }
        }
    }
}
