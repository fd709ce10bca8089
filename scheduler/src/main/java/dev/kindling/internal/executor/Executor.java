package dev.kindling.internal.executor;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.scheduler.Throwables;
import dev.kindling.internal.scheduler.backend.StatusListener;
import dev.kindling.internal.scheduler.backend.StatusUpdate;
import dev.kindling.internal.scheduler.backend.TaskDescription;
import dev.kindling.scheduler.TaskContext;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor: runs the task descriptions it is given in its {@link Slots} with its
 * {@link ExecutorEnv}, and reports each task's {@link StatusUpdate}s to a listener. It knows nothing
 * of the driver: a task's lineage and function come from its description's binary (deserialized
 * per task when it is bytes), its services from the env, and everything the driver learns comes
 * from the updates.
 *
 * <p>Per task: the executor makes its {@link TaskContext} at launch (so a kill before it starts is
 * recorded), reports RUNNING when a slot starts it, runs it with {@link TaskRunner}, and reports
 * exactly one final update; a task killed before it started reports KILLED with
 * {@code started() == false} and nothing else.
 *
 * <p>Thread safety: {@link #launch} and {@link #killTask} may be called from any thread; tasks run
 * on the slots' threads.
 */
public final class Executor {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    /** Where tasks run: a pool of executor threads, or a test's own thread. */
    @FunctionalInterface
    public interface Slots {
        /**
         * Queues {@code task}; cancelling the returned future with interruption interrupts it.
         * {@code description} names it in reports.
         */
        Future<?> submit(Runnable task, String description);
    }

    private final ExecutorEnv env;
    private final Slots slots;
    private final StatusListener listener;
    private final boolean serializeUpdates;
    private final Map<Long, RunningTask> tasks = new ConcurrentHashMap<>();

    /**
     * Creates an executor.
     *
     * @param serializeUpdates whether final updates carry result, accumulator updates and failure
     *                         as bytes (as to a driver in another process) instead of the objects
     */
    public Executor(ExecutorEnv env, Slots slots, StatusListener listener, boolean serializeUpdates) {
        this.env = Objects.requireNonNull(env, "env");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.serializeUpdates = serializeUpdates;
    }

    /** This executor's services. */
    public ExecutorEnv env() {
        return env;
    }

    /** Queues a task. */
    public void launch(TaskDescription description) {
        TaskContext context = new TaskContext(description.jobId(), description.stageId(), description.stageAttempt(),
                description.partition(), description.attemptNumber(), description.taskId());
        TaskContextAccess access = TaskContextAccess.get();
        access.setLocalProperties(context, description.properties());
        access.setClosureMode(context, description.closureMode());
        access.setEnv(context, env);
        RunningTask task = new RunningTask(description, context);
        tasks.put(description.taskId(), task);
        task.future = slots.submit(() -> run(task), description.name() + " of job " + description.jobId());
    }

    /**
     * Kills a task: one that has not started is dropped and reported KILLED (never started); a
     * running one gets its kill flag set first, then its thread interrupted when {@code interrupt}.
     */
    public void killTask(long taskId, boolean interrupt, String reason) {
        RunningTask task = tasks.get(taskId);
        if (task == null) {
            return;
        }
        if (task.started.compareAndSet(false, true)) {
            tasks.remove(taskId);
            Future<?> f = task.future;
            if (f != null) {
                f.cancel(false);
            }
            report(StatusUpdate.killedBeforeStart(taskId, reason));
            return;
        }
        TaskContextAccess.get().kill(task.context);
        Future<?> f = task.future;
        if (f != null) {
            f.cancel(interrupt);
        }
    }

    /** Number of tasks launched and not yet ended. */
    public int activeTasks() {
        return tasks.size();
    }

    /** Runs on a slot's thread: RUNNING, the task, exactly one final update. */
    private void run(RunningTask task) {
        if (!task.started.compareAndSet(false, true)) {
            return; // killed before it started; already reported
        }
        long taskId = task.description.taskId();
        StatusUpdate end;
        try {
            listener.statusUpdate(StatusUpdate.running(taskId, Thread.currentThread().getName()));
            end = TaskRunner.run(task.description, task.context, env);
            if (serializeUpdates) {
                end = end.serialized();
            }
        } catch (Throwable t) {
            end = StatusUpdate.failed(taskId, Thread.currentThread().getName(), t, false, Map.of(),
                    task.context.metrics(), "");
        } finally {
            tasks.remove(taskId);
        }
        report(end);
    }

    /**
     * Hands an update to the listener. After an OutOfMemoryError the task's data is garbage now,
     * but reporting may still fail once for lack of memory; an update that is never reported would
     * leave its job waiting forever.
     */
    private void report(StatusUpdate update) {
        for (int tries = 1; ; tries++) {
            try {
                listener.statusUpdate(update);
                return;
            } catch (OutOfMemoryError e) {
                if (tries == 3) {
                    throw e;
                }
            } catch (RuntimeException e) {
                Throwables.warn(LOG, "Reporting " + update + " failed", e);
                return;
            }
        }
    }

    /** A launched task: its description, context, slot future and whether it started (or was dropped). */
    private static final class RunningTask {
        final TaskDescription description;
        final TaskContext context;
        final AtomicBoolean started = new AtomicBoolean();
        volatile Future<?> future;

        RunningTask(TaskDescription description, TaskContext context) {
            this.description = description;
            this.context = context;
        }
    }
}
