package dev.kindling.internal.scheduler;

import dev.kindling.scheduler.TaskContext;
import java.util.Objects;

/**
 * A function object (a lambda, an aggregator, an action's per-partition function) that every task
 * attempt receives as its own deserialized copy, as it would on a cluster, where each task
 * deserializes the functions it runs. So a function that mutates state it captured (a counter, a
 * list) changes only its task's copy, never the driver's object or another task's, and a program
 * behaves the same in local mode as on a cluster.
 *
 * <h2>Design</h2>
 * The function is frozen at most once per job (its <em>snapshot</em>: serialized, or for the common
 * shapes {@link LambdaCopier} handles, copied without serialization): either when the holder
 * is made ({@link #snapshotNow}, for a job's own function) or by the first task of each job that
 * needs it ({@link #perJob}, for functions held by lineage nodes, which outlive jobs). A snapshot
 * taken per job reflects the captured state as it is when the job runs, as Spark's does. Each task
 * attempt deserializes the snapshot at most once and keeps the copy in its {@link TaskContext}, so
 * a node computed twice in one task (say {@code a.zip(a)}) shares one copy there, again as on a
 * cluster.
 *
 * <p>A function whose whole object graph provably never changes (a lambda capturing nothing, or only
 * strings, numbers and other such lambdas: see {@code ImmutableGraph}) is shared instead: its copy
 * would behave identically, and tiny jobs pay nothing for copies.
 *
 * <p>When the attempt's context says closures are shared ({@code kindling.closure.copyPerTask=false})
 * or when there is no task (the driver), {@link #get} returns the original object; with
 * {@code always}, even immutable functions are copied (tests use it to prove that everything
 * serializes).
 *
 * <p>A holder is itself serializable: it travels to executors with the lineage or the job that
 * holds it. A holder read back from bytes belongs to the one task attempt that deserialized its
 * task description, so its function already is that attempt's own copy, and {@link #get} returns
 * it as it is.
 *
 * <p>Thread safety: {@link #get} may be called from any number of task threads at once.
 *
 * @param <F> the function's type
 */
public final class TaskClosure<F> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final int ANY_JOB = Integer.MIN_VALUE;
    /** Snapshots larger than this are logged: each task deserializes its own copy. */
    static final int LARGE_SNAPSHOT_BYTES = 1 << 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaskClosure.class);

    private final F original;
    private final boolean fixed;
    private transient volatile Snapshot snapshot;
    /** True in a holder read back from bytes: its function is already the reading attempt's own copy. */
    private transient boolean decoded;
    /** Null until decided; then whether tasks may share {@link #original} (see {@link ImmutableGraph}). */
    private volatile Boolean immutable;

    /** How tasks get the functions they run; set per context with {@code kindling.closure.copyPerTask}. */
    public enum Mode {
        /** Tasks share the driver's function objects ({@code false}). */
        SHARE,
        /** Each attempt gets its own copy unless the function provably never changes ({@code true}, the default). */
        COPY,
        /** Each attempt gets its own copy of every function ({@code always}): proves everything serializes. */
        COPY_ALWAYS;

        /** Parses {@code true}, {@code false} or {@code always}. */
        public static Mode parse(String key, String value) {
            switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true":
                    return COPY;
                case "false":
                    return SHARE;
                case "always":
                    return COPY_ALWAYS;
                default:
                    throw new IllegalArgumentException(key + " must be true, false or always (got \"" + value + "\")");
            }
        }
    }

    /**
     * The function as it was when the job ran: its serialized bytes, or (mode {@code true}, for the
     * shapes {@link LambdaCopier} copies) a private copy that nothing else touches, which each task
     * copies again instead of deserializing.
     */
    private record Snapshot(int jobId, byte[] bytes, Object frozen) {

        Object newCopy(TaskClosure<?> holder) {
            if (frozen != null) {
                LambdaCopier.Copy copy = LambdaCopier.copy(frozen);
                if (copy != null) {
                    return copy.value();
                }
            }
            return holder.deserialize(bytes != null ? bytes : TaskClosure.serialize(frozen));
        }
    }

    private TaskClosure(F original, boolean fixed, Boolean immutable) {
        this.original = Objects.requireNonNull(original, "function");
        this.fixed = fixed;
        this.immutable = immutable;
    }

    /**
     * Wraps a function held by a lineage node: it is serialized by the first task of each job that
     * uses it (nothing happens now).
     */
    public static <F> TaskClosure<F> perJob(F function) {
        return new TaskClosure<>(function, false, null);
    }

    /**
     * Wraps a job's own function and serializes it now, on the calling (driver) thread, so a
     * function that cannot be serialized fails before any task runs. Nothing is serialized when
     * {@code mode} shares functions, nor when it copies only mutable ones and this one is immutable.
     *
     * @throws IllegalArgumentException if {@code function} cannot be serialized
     */
    public static <F> TaskClosure<F> snapshotNow(F function, Mode mode) {
        if (mode == Mode.SHARE) {
            return new TaskClosure<>(function, true, true);
        }
        boolean immutable = ImmutableGraph.isImmutable(function);
        TaskClosure<F> closure = new TaskClosure<>(function, true, immutable);
        if (!immutable || mode == Mode.COPY_ALWAYS) {
            closure.snapshot = takeSnapshot(ANY_JOB, function, mode);
        }
        return closure;
    }

    /** The object this holder was made from (the driver's). */
    public F original() {
        return original;
    }

    /**
     * The function as the attempt {@code context} should use it: its own deserialized copy (made
     * on the first call in that attempt), or the original when {@code context} is null or shares
     * closures.
     *
     * @throws IllegalStateException if the function cannot be serialized or deserialized
     */
    @SuppressWarnings("unchecked")
    public F get(TaskContext context) {
        if (context == null || decoded) {
            return original;
        }
        Mode mode = TaskContextAccess.get().closureMode(context);
        if (mode == Mode.SHARE || (mode == Mode.COPY && isImmutable())) {
            return original;
        }
        Object copy = TaskContextAccess.get().closureCopy(context, this);
        if (copy == null) {
            Snapshot s = snapshotFor(context.jobId(), mode);
            long start = System.nanoTime();
            copy = s.newCopy(this);
            TaskMetric.DESERIALIZE_NANOS.record(context, System.nanoTime() - start);
            TaskContextAccess.get().putClosureCopy(context, this, copy);
        }
        return (F) copy;
    }

    /** Whether tasks may share the original because its object graph never changes (decided once). */
    public boolean isImmutable() {
        Boolean known = immutable;
        if (known == null) {
            known = ImmutableGraph.isImmutable(original);
            immutable = known;
        }
        return known;
    }

    private Snapshot snapshotFor(int jobId, Mode mode) {
        Snapshot s = snapshot;
        if (s != null && (fixed || s.jobId == jobId)) {
            return s;
        }
        try {
            s = takeSnapshot(fixed ? ANY_JOB : jobId, original, mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        snapshot = s;
        return s;
    }

    /**
     * Freezes {@code function} for the tasks of job {@code jobId}: a private copy where
     * {@link LambdaCopier} can make one and {@code mode} is {@code COPY}, else its serialized bytes
     * ({@code COPY_ALWAYS} always serializes, to prove that everything does).
     */
    private static Snapshot takeSnapshot(int jobId, Object function, Mode mode) {
        LambdaCopier.Copy copy = mode == Mode.COPY ? LambdaCopier.copy(function) : null;
        if (copy == null) {
            return new Snapshot(jobId, serialize(function), null);
        }
        if (copy.arrayBytes() > LARGE_SNAPSHOT_BYTES) {
            warnLarge(function, copy.arrayBytes());
        }
        return new Snapshot(jobId, null, copy.value());
    }

    private static byte[] serialize(Object function) {
        byte[] bytes = ClosureSerializer.serialize(function, e -> "Task not serializable: cannot give each task "
                + "its own copy of " + describe(function) + " because serializing it failed: " + e + ". Make what "
                + "it captures java.io.Serializable (or transient), or set kindling.closure.copyPerTask=false to let "
                + "tasks share the driver's object");
        if (bytes.length > LARGE_SNAPSHOT_BYTES) {
            warnLarge(function, bytes.length);
        }
        return bytes;
    }

    private static void warnLarge(Object function, long bytes) {
        LOG.warn("{} serializes to {} bytes, and every task deserializes its own copy. If it captures large "
                + "read-only data, share that with kc.broadcast(value) instead.", describe(function), bytes);
    }

    private Object deserialize(byte[] bytes) {
        ClassLoader own = original.getClass().getClassLoader();
        return ClosureSerializer.deserialize(bytes, own, e -> "Could not deserialize this task's copy of "
                + describe(original) + ": " + e + ". Check the readObject/readResolve methods of the objects it "
                + "captures, or set kindling.closure.copyPerTask=false to let tasks share the driver's object");
    }

    private static String describe(Object function) {
        return "the function " + function.getClass().getName();
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        decoded = true;
    }

    @Override
    public String toString() {
        return "TaskClosure[" + original.getClass().getName() + "]";
    }
}
