package dev.kindling.internal.scheduler;

import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.scheduler.TaskMetrics;
import java.util.Map;

/**
 * The scheduler's side door into {@link TaskContext} and {@link TaskMetrics}: what the executor
 * sets on a task's context (current thread, kill flag, closure mode and copies, local properties,
 * run time) is kept off their public API, which is what user functions see. The API package
 * installs the one implementation from {@code TaskContext}'s static initializer.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 */
public abstract class TaskContextAccess {

    private static volatile TaskContextAccess instance;

    /** For {@code TaskContext}'s own implementation only. */
    protected TaskContextAccess() {
    }

    /** The installed access; initializes {@code TaskContext} first if no task context exists yet. */
    public static TaskContextAccess get() {
        TaskContextAccess access = instance;
        if (access == null) {
            try {
                Class.forName(TaskContext.class.getName(), true, TaskContext.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("TaskContext could not be initialized: " + e, e);
            }
            access = instance;
        }
        return access;
    }

    /**
     * Installs the access; called once, by {@code TaskContext}'s static initializer. A call from any
     * other class, or a second call, fails.
     */
    public static synchronized void install(TaskContextAccess access) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != TaskContext.class || instance != null) {
            throw new IllegalStateException("TaskContextAccess is installed once, by TaskContext's static initializer; "
                    + caller.getName() + " called install (use TaskContextAccess.get instead)");
        }
        instance = access;
    }

    /** Makes {@code context} the current thread's task context ({@code null} clears it). */
    public abstract void setCurrent(TaskContext context);

    /** Marks the attempt killed; {@link TaskContext#isKilled()} then answers true. */
    public abstract void kill(TaskContext context);

    /** Runs the completion listeners, last added first; rethrows the first failure. */
    public abstract void runCompletionListeners(TaskContext context);

    /** How the attempt's functions are copied. */
    public abstract TaskClosure.Mode closureMode(TaskContext context);

    /** Sets how the attempt's functions are copied. */
    public abstract void setClosureMode(TaskContext context, TaskClosure.Mode mode);

    /** The attempt's deserialized copy of {@code holder}'s function, or null. */
    public abstract Object closureCopy(TaskContext context, TaskClosure<?> holder);

    /** Records the attempt's copy of {@code holder}'s function unless one exists. */
    public abstract void putClosureCopy(TaskContext context, TaskClosure<?> holder, Object copy);

    /** Sets the local properties captured when the job was submitted. */
    public abstract void setLocalProperties(TaskContext context, Map<String, String> properties);

    /**
     * The services of the executor running the attempt (memory, blocks, shuffle, serializer,
     * scratch directory): how code inside a task reaches them, never through the driver's context.
     *
     * @throws IllegalStateException if the attempt was not started by an executor
     */
    public abstract ExecutorEnv env(TaskContext context);

    /** Sets the executor environment of the attempt; called by the executor before the task runs. */
    public abstract void setEnv(TaskContext context, ExecutorEnv env);

    /** Records the attempt's run time. */
    public void setRunNanos(TaskMetrics metrics, long nanos) {
        recordMetric(metrics, TaskMetric.RUN_NANOS, nanos);
    }

    /** Records {@code value} for {@code metric} (see {@link TaskMetric#record(TaskMetrics, long)}). */
    public abstract void recordMetric(TaskMetrics metrics, TaskMetric metric, long value);
}
