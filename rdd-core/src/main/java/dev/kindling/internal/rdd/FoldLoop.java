package dev.kindling.internal.rdd;

import dev.kindling.function.Function2;
import dev.kindling.internal.executor.ClassCopies;
import dev.kindling.internal.storage.block.ArrayBlockIterator;
import dev.kindling.scheduler.TaskContext;
import java.lang.invoke.MethodHandles;
import java.util.Iterator;

/**
 * The per-record loop of {@link Iterators#fold}, in a class of its own so that it is copied per
 * class of the user's function ({@link ClassCopies}): an aggregate's seqOp is then the only class
 * its call site sees, and the JIT inlines it into the loop, as in a hand-written loop, although
 * every aggregate of the JVM (a gradient over arrays, one over records, the tree's combOp) folds
 * through the same code. A template: no nested classes, no lambdas.
 */
final class FoldLoop {

    /** The class of every function this copy calls (null in the template): see ClassCopies. */
    private static final Class<?> KEY = ClassCopies.keyOf(MethodHandles.lookup());

    private FoldLoop() {
    }

    /** See {@link Iterators#fold}; {@code task} may be null (no kill checks). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object fold(Iterator<?> in, Object zero, Function2 f, TaskContext task) throws Exception {
        Object acc = zero;
        if (in instanceof ArrayBlockIterator block) {
            Object[] values = block.values();
            int i = block.position();
            while (i < values.length) {
                int stop = values.length - i > Iterators.KILL_CHECK_INTERVAL ? i + Iterators.KILL_CHECK_INTERVAL
                        : values.length;
                for (; i < stop; i++) {
                    // Checked in the loop, so that a compilation entered mid-loop (OSR) knows the class too.
                    if (KEY != null && f.getClass() != KEY) {
                        throw ClassCopies.notTheKey(KEY, f);
                    }
                    acc = f.call(acc, values[i]);
                }
                block.advanceTo(i);
                if (task != null) {
                    task.checkKilled();
                }
            }
            block.advanceTo(values.length);
            return acc;
        }
        long n = 0;
        while (in.hasNext()) {
            if (KEY != null && f.getClass() != KEY) {
                throw ClassCopies.notTheKey(KEY, f);
            }
            acc = f.call(acc, in.next());
            if ((++n & (Iterators.KILL_CHECK_INTERVAL - 1)) == 0 && task != null) {
                task.checkKilled();
            }
        }
        return acc;
    }
}
