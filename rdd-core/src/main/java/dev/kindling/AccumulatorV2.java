package dev.kindling;

import dev.kindling.internal.scheduler.AccumulatorReference;
import dev.kindling.scheduler.TaskContext;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Optional;

/**
 * A shared variable that tasks can only add to and the driver reads: counters, sums, sets of
 * distinct values. Register it with a context ({@link KindlingContext#register}, or use
 * {@link KindlingContext#longAccumulator()} and friends), capture it in a function, call
 * {@link #add} in tasks and read {@link #value()} on the driver after the action returns.
 *
 * <h2>Counting rule</h2>
 * Updates made inside an <b>action</b> (foreach, or a function that runs in the job's final stage)
 * count exactly once per partition, even when a task is retried or its stage re-run. Updates made
 * inside a <b>transformation</b> (map, filter, ... before a shuffle or cached) count once per
 * successful task attempt: when a partition is computed again (another action over the same
 * uncached RDD, a re-run of a stage whose shuffle output was lost) the updates count again.
 * Updates of failed attempts never count. The value read on the driver after an action returns
 * includes every update that action's tasks made.
 *
 * <h2>How it works</h2>
 * Each task attempt works on its own zero-valued copy: the copy travels in the task's
 * deserialized function (see {@code TaskClosure}), or, when the driver's object itself is reached
 * inside a task, {@link #taskCopy()} finds or makes the attempt's copy. When the attempt succeeds,
 * the scheduler's event thread merges the copy into the driver's object by the rule above, before
 * the job is reported finished.
 *
 * <h2>Writing your own</h2>
 * Implement {@link #isZero}, {@link #copy}, {@link #reset}, {@link #add}, {@link #merge} and
 * {@link #value}. The subclass must be serializable. {@link #merge} is called on the driver's
 * object while it is locked ({@code synchronized} on it), so a subclass that also reads or updates
 * its state on the driver concurrently should synchronize on itself too. With
 * {@code kindling.closure.copyPerTask=false} tasks share the driver's object: then {@link #add}
 * must start with {@code AccumulatorV2 t = taskCopy(); if (t != null) { t.add(v); return; }}, as
 * the built-in accumulators do.
 *
 * <p>Thread safety: a task's copy is used by its task only; the driver's object of the built-in
 * accumulators is thread-safe.
 *
 * @param <IN>  what {@link #add} takes
 * @param <OUT> what {@link #value} returns
 */
public abstract class AccumulatorV2<IN, OUT> implements Serializable {

    private static final long serialVersionUID = 1L;

    static final long UNREGISTERED = -1;

    private long id = UNREGISTERED;
    private String name;
    /** True for the registered object on the driver; false for task copies and unregistered objects. */
    private transient volatile boolean driverSide;
    /**
     * True in the zero-valued copy the driver's object is serialized as (on its way to a task); false
     * in a task's copy, so one that travels back to the driver as an update stays itself.
     */
    private boolean toTask;

    /**
     * The id in the form the scheduler recognizes while it serializes a task, set only on the copy
     * shipped to tasks (see {@link AccumulatorReference}).
     */
    private AccumulatorReference reference;

    /** Whether this accumulator holds its zero value (nothing added since creation or reset). */
    public abstract boolean isZero();

    /** A new accumulator of the same kind holding the same value. */
    public abstract AccumulatorV2<IN, OUT> copy();

    /** Returns this accumulator to its zero value. */
    public abstract void reset();

    /** Adds {@code v}. In a task this updates the task's copy; on the driver, the driver's value. */
    public abstract void add(IN v);

    /**
     * Merges the value of {@code other}, an accumulator of the same kind, into this one.
     *
     * @throws UnsupportedOperationException if {@code other} is of another kind
     */
    public abstract void merge(AccumulatorV2<IN, OUT> other);

    /** The current value. On the driver, read it after the action returns. */
    public abstract OUT value();

    /** A zero-valued copy: {@link #copy()} then {@link #reset()}. */
    public AccumulatorV2<IN, OUT> copyAndReset() {
        AccumulatorV2<IN, OUT> c = copy();
        c.reset();
        return c;
    }

    /** Whether this accumulator was registered with a context (and so can be used in tasks). */
    public final boolean isRegistered() {
        return id != UNREGISTERED;
    }

    /**
     * The id the context gave this accumulator (unique in the JVM).
     *
     * @throws IllegalStateException if it was never registered
     */
    public final long id() {
        if (id == UNREGISTERED) {
            throw new IllegalStateException("This " + getClass().getSimpleName() + " is not registered; "
                    + "call kc.register(accumulator) or create it with kc.longAccumulator() and friends");
        }
        return id;
    }

    /** The name given at registration, if any. */
    public final Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * For {@link #add} implementations: when this is the driver's object and the calling thread
     * runs a task, the task attempt's own copy (made on first use) that the add must go to;
     * otherwise null (the add updates this object).
     */
    @SuppressWarnings("unchecked")
    protected final AccumulatorV2<IN, OUT> taskCopy() {
        if (!driverSide) {
            return null;
        }
        TaskContext task = TaskContext.get();
        if (task == null) {
            return null;
        }
        return (AccumulatorV2<IN, OUT>) task.accumulatorUpdates().computeIfAbsent(id, k -> copyForTask());
    }

    /**
     * The copy of the task attempt {@code task} (made on first use), for updates made on a thread
     * that is not the task's own (a subprocess's stderr reader, say).
     */
    final AccumulatorV2<IN, OUT> copyIn(TaskContext task) {
        @SuppressWarnings("unchecked")
        AccumulatorV2<IN, OUT> c = (AccumulatorV2<IN, OUT>) task.accumulatorUpdates().computeIfAbsent(id,
                k -> copyForTask());
        return c;
    }

    /** Whether this is the registered object on the driver (not a task's copy). */
    protected final boolean isDriverSide() {
        return driverSide;
    }

    final void markRegistered(long newId, String newName) {
        this.id = newId;
        this.name = newName;
        this.driverSide = true;
    }

    final void forgetDriverSide() {
        // Called when the owning context closes: the object stays usable as a plain local value.
        this.driverSide = false;
    }

    private AccumulatorV2<IN, OUT> copyForTask() {
        AccumulatorV2<IN, OUT> c = copyAndReset();
        if (c == this || c.getClass() != getClass()) {
            throw new IllegalStateException(getClass().getName() + ".copy() must return a new object of the same class");
        }
        c.id = id;
        c.name = name;
        c.driverSide = false;
        return c;
    }

    /**
     * Serialization hook: the driver's object travels to tasks as a zero-valued copy with the same
     * id, so tasks only ever send back their own updates.
     */
    protected final Object writeReplace() throws ObjectStreamException {
        if (id == UNREGISTERED) {
            throw new InvalidObjectException("an unregistered " + getClass().getName() + " cannot be used in a task: "
                    + "register it first with kc.register(accumulator), or create it with kc.longAccumulator() and friends");
        }
        if (driverSide) {
            AccumulatorV2<IN, OUT> shipped = copyForTask();
            shipped.toTask = true;
            shipped.reference = new AccumulatorReference(id);
            return shipped;
        }
        return this;
    }

    /**
     * Deserialization hook: inside a task, the copy the driver sent becomes (or joins) that attempt's
     * copy for this id; outside a task (a function deserialized on the driver) it stays a detached,
     * zero-valued copy: there is no JVM-wide registry to resolve it through. A task's copy read back
     * on the driver (a status update's accumulator updates) stays itself, to be merged by id into the
     * registered object.
     */
    protected final Object readResolve() throws ObjectStreamException {
        if (!toTask) {
            return this; // a task's update on its way back to the driver: merged there by id
        }
        toTask = false;
        reference = null; // only the way in needs it; updates travel back without it
        TaskContext task = TaskContext.get();
        if (task != null) {
            Object existing = task.accumulatorUpdates().putIfAbsent(id, this);
            return existing != null ? existing : this;
        }
        return this; // deserialized on the driver outside a task: a detached zero-valued copy, as Spark's
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(id: " + (id == UNREGISTERED ? "unregistered" : id)
                + (name == null ? "" : ", name: " + name) + ", value: " + value() + ")";
    }
}
