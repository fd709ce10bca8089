package dev.kindling.scheduler;

import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.internal.scheduler.TaskContextAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Information about the task attempt running on the current thread, and a place for it to report
 * metrics and accumulator updates. {@link #get()} returns it from inside user functions.
 *
 * <p>Thread safety: owned by the executor thread running the attempt; {@link #kill()} may be called
 * from any thread.
 */
public final class TaskContext {

    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    static {
        TaskContextAccess.install(new Access());
    }

    private final int jobId;
    private final int stageId;
    private final int stageAttempt;
    private final int partitionId;
    private final int attemptNumber;
    private final long taskAttemptId;
    private final TaskMetrics metrics = new TaskMetrics();
    private final List<Runnable> completionListeners = new ArrayList<>();
    private final Map<Object, Object> accumulatorUpdates = new ConcurrentHashMap<>();
    private final Map<Object, Object> closureCopies = new java.util.IdentityHashMap<>();
    private volatile TaskClosure.Mode closureMode = TaskClosure.Mode.COPY;
    private volatile boolean killed;
    private volatile String status = "";
    private volatile Map<String, String> localProperties = Map.of();
    private volatile ExecutorEnv env;

    /** Creates the context of one task attempt. */
    public TaskContext(int jobId, int stageId, int stageAttempt, int partitionId, int attemptNumber, long taskAttemptId) {
        this.jobId = jobId;
        this.stageId = stageId;
        this.stageAttempt = stageAttempt;
        this.partitionId = partitionId;
        this.attemptNumber = attemptNumber;
        this.taskAttemptId = taskAttemptId;
    }

    /** The context of the task running on this thread, or null outside a task. */
    public static TaskContext get() {
        return CURRENT.get();
    }

    static void set(TaskContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    /** The job that first submitted this task's stage. */
    public int jobId() {
        return jobId;
    }

    /** The stage this task belongs to. */
    public int stageId() {
        return stageId;
    }

    /** How many times this stage was re-submitted before this attempt (0 at first). */
    public int stageAttemptNumber() {
        return stageAttempt;
    }

    /** The partition this task computes. */
    public int partitionId() {
        return partitionId;
    }

    /**
     * How many attempts of this task (this stage and partition) were launched before this one: 0 for
     * the first. Unique per stage and partition, so it can name an attempt's temporary files.
     */
    public int attemptNumber() {
        return attemptNumber;
    }

    /** Identifier of this attempt, unique within the context. */
    public long taskAttemptId() {
        return taskAttemptId;
    }

    /** Counters of this attempt. */
    public TaskMetrics metrics() {
        return metrics;
    }

    /** Whether the scheduler asked this attempt to stop (job cancelled or no longer needed). */
    public boolean isKilled() {
        return killed;
    }

    /** Throws {@link TaskKilledException} if this attempt was asked to stop or its thread interrupted. */
    public void checkKilled() {
        if (killed || Thread.currentThread().isInterrupted()) {
            throw new TaskKilledException("task " + taskAttemptId + " (stage " + stageId + ", partition "
                    + partitionId + ") was killed");
        }
    }

    void kill() {
        killed = true;
    }

    /** Registers code to run when the attempt ends, successfully or not (close files, processes). */
    public void addCompletionListener(Runnable listener) {
        completionListeners.add(listener);
    }

    /** Runs every completion listener, latest first, even when some throw; rethrows the first failure. */
    void runCompletionListeners() {
        Throwable first = null;
        for (int i = completionListeners.size() - 1; i >= 0; i--) {
            try {
                completionListeners.get(i).run();
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        completionListeners.clear();
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException("A task completion listener failed: " + first, first);
        }
    }

    /** Updates made by this attempt to accumulators: its copies, keyed by accumulator id (a Long); merged on success. */
    public Map<Object, Object> accumulatorUpdates() {
        return accumulatorUpdates;
    }

    /**
     * Whether this attempt runs its own deserialized copies of the job's functions (see
     * {@link TaskClosure}), as set by {@code kindling.closure.copyPerTask}.
     */
    TaskClosure.Mode closureMode() {
        return closureMode;
    }

    void setClosureMode(TaskClosure.Mode mode) {
        this.closureMode = mode;
    }

    Object closureCopy(TaskClosure<?> holder) {
        synchronized (closureCopies) {
            return closureCopies.get(holder);
        }
    }

    void putClosureCopy(TaskClosure<?> holder, Object copy) {
        synchronized (closureCopies) {
            closureCopies.putIfAbsent(holder, copy);
        }
    }

    /** Sets the job's local properties: an immutable map, frozen at submission and shared by all its tasks. */
    void setLocalProperties(Map<String, String> properties) {
        this.localProperties = properties;
    }

    /**
     * A local property of the job this task belongs to, as set with
     * {@code KindlingContext.setLocalProperty} on the thread that submitted the job (captured at
     * submission, as Spark's {@code TaskContext.getLocalProperty}); null if it was not set.
     */
    public String getLocalProperty(String key) {
        return localProperties.get(key);
    }

    /** Sets a free-form status line shown in task events (e.g. from a subprocess reporter). */
    public void setStatus(String status) {
        this.status = status == null ? "" : status;
    }

    /** The last status set by the task. */
    public String status() {
        return status;
    }

    /** The scheduler's access to the package-private members above (see {@link TaskContextAccess}). */
    private static final class Access extends TaskContextAccess {
        @Override
        public void setCurrent(TaskContext context) {
            set(context);
        }

        @Override
        public void kill(TaskContext context) {
            context.kill();
        }

        @Override
        public void runCompletionListeners(TaskContext context) {
            context.runCompletionListeners();
        }

        @Override
        public TaskClosure.Mode closureMode(TaskContext context) {
            return context.closureMode();
        }

        @Override
        public void setClosureMode(TaskContext context, TaskClosure.Mode mode) {
            context.setClosureMode(mode);
        }

        @Override
        public Object closureCopy(TaskContext context, TaskClosure<?> holder) {
            return context.closureCopy(holder);
        }

        @Override
        public void putClosureCopy(TaskContext context, TaskClosure<?> holder, Object copy) {
            context.putClosureCopy(holder, copy);
        }

        @Override
        public void setLocalProperties(TaskContext context, Map<String, String> properties) {
            context.setLocalProperties(properties);
        }

        @Override
        public ExecutorEnv env(TaskContext context) {
            ExecutorEnv env = context.env;
            if (env == null) {
                throw new IllegalStateException("Task " + context.taskAttemptId + " (stage " + context.stageId
                        + ", partition " + context.partitionId + ") has no executor environment: it was not "
                        + "started by an executor. Run task code through a job, not by calling compute directly");
            }
            return env;
        }

        @Override
        public void setEnv(TaskContext context, ExecutorEnv env) {
            context.env = env;
        }

        @Override
        public void recordMetric(TaskMetrics metrics, dev.kindling.internal.scheduler.TaskMetric metric, long value) {
            metrics.record(metric, value);
        }
    }
}
