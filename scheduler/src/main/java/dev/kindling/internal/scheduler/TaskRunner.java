package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskKilledException;
import dev.kindling.internal.storage.shuffle.ShuffleStore;
import dev.kindling.internal.storage.shuffle.ShuffleWriter;
import java.util.Iterator;

/** Runs one task attempt on the current executor thread and captures its outcome. */
final class TaskRunner {

    /** What an attempt produced: a result (result tasks), or the failure. */
    record Outcome(Object result, Throwable failure) {
    }

    private TaskRunner() {
    }

    static Outcome run(TaskAttempt attempt, ShuffleStore shuffleStore) {
        TaskContext context = attempt.context;
        TaskContextAccess.get().setCurrent(context);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        // An interrupt meant for an earlier attempt on this thread must not kill this one; a kill meant
        // for this attempt is also recorded in its context, which checkKilled() reads.
        Thread.interrupted();
        try {
            context.checkKilled();
            Stage stage = attempt.stage;
            Iterator<?> records = stage.rdd.iterator(attempt.partition, context);
            if (stage instanceof Stage.ShuffleMap map) {
                ShuffleDependency dep = map.dependency;
                ShuffleWriter writer = shuffleStore.writer(dep.shuffleId(), attempt.partition, map.numTasks,
                        dep.partitioner().numPartitions());
                try {
                    MapOutputWriter.write(dep, records, writer, context, shuffleStore.memoryManager());
                    context.checkKilled();
                    writer.commit();
                    context.metrics().addShuffleWrite(writer.recordsWritten(), writer.bytesWritten());
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
                result = ((Stage.Result) stage).job.function.apply(context, counted);
                context.metrics().addRecordsWritten(counted.count);
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
            TaskContextAccess.get().setRunNanos(context.metrics(), System.nanoTime() - start);
            TaskContextAccess.get().setCurrent(null);
            Thread.interrupted();
        }
        if (failure != null && context.isKilled() && !(failure instanceof TaskKilledException)) {
            TaskKilledException killed = new TaskKilledException("task " + attempt.taskId + " was killed");
            killed.initCause(failure);
            failure = killed;
        }
        return new Outcome(result, failure);
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
