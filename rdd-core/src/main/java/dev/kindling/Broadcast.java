package dev.kindling;

import dev.kindling.internal.scheduler.BroadcastReference;
import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.scheduler.Shareable;
import dev.kindling.scheduler.TaskContext;
import java.io.Serializable;

/**
 * A read-only value shipped once to the executors instead of with every task: a lookup table, a
 * model's weights. Create it with {@link KindlingContext#broadcast}, capture the handle in your
 * functions and call {@link #value()} inside them.
 *
 * <pre>{@code
 * Broadcast<Map<String, Integer>> codes = kc.broadcast(Map.of("a", 1, "b", 2));
 * RDD<Integer> coded = words.map(w -> codes.value().getOrDefault(w, 0));
 * }</pre>
 *
 * <p>The value is serialized when the broadcast is created. Tasks read one deserialized copy per
 * executor, shared by all its tasks, made on first use:
 * so changing the driver's object afterwards does not change what tasks see, and tasks must not
 * modify the value. On the driver {@link #value()} returns the object that was broadcast.
 *
 * <p>Lifecycle: {@link #unpersist()} drops the executors' copy (the next use in a task makes it
 * again from the driver's serialized form); {@link #destroy()} frees everything, after which
 * {@link #value()} throws, in tasks and on the driver. Closing the context destroys its broadcasts
 * for tasks; on the driver a handle still returns its value.
 *
 * <p>The handle is serializable: it carries only its id, and inside a task resolves the value
 * through that task's executor (which fetches it from the driver by id and caches it), so it works
 * inside functions that are serialized and deserialized. A deserialized handle has no value outside
 * a task: there is no JVM-wide registry to find one in.
 *
 * <p>On {@code local-cluster}, executors fetch the value from the driver as a block, in chunks (a
 * broadcast of any size, never one network frame), and keep one deserialized copy each. Unpersist,
 * destroy and the collection of the driver's handle ask the executors that ran tasks using it to drop
 * their copy, and return once they have.
 *
 * <p>Thread safety: all methods may be called from any thread.
 *
 * @param <T> the value's type
 */
public final class Broadcast<T> implements Serializable, Shareable {

    private static final long serialVersionUID = 1L;

    private final long id;
    /** The id again, in the form the scheduler recognizes while it serializes a task (see {@link BroadcastReference}). */
    private final BroadcastReference reference;
    /** The driver-side state; null in a deserialized handle, which reaches its value through its task's executor. */
    private final transient BroadcastManager.Entry<T> entry;

    Broadcast(BroadcastManager.Entry<T> entry) {
        this.id = entry.id;
        this.reference = new BroadcastReference(entry.id);
        this.entry = entry;
    }

    /** The id of this broadcast variable, unique within its context. */
    public long id() {
        return id;
    }

    /**
     * The broadcast value: in a task, the executor's shared copy (fetched from the driver by id on
     * first use); on the driver, the object that was broadcast.
     *
     * @throws IllegalStateException if the broadcast was destroyed or its context closed (in tasks), or
     *     if this is a deserialized handle used outside a task
     */
    @SuppressWarnings("unchecked")
    public T value() {
        TaskContext task = TaskContext.get();
        BroadcastManager.Entry<T> e = entry;
        if (task != null) {
            if (e != null) {
                e.checkUsable(true);
            }
            ClassLoader loader = e != null ? e.loader() : null;
            return (T) TaskContextAccess.get().env(task).broadcasts().value(id, loader);
        }
        if (e == null) {
            throw new IllegalStateException("Broadcast " + id + " is a deserialized handle used outside a task: it "
                    + "reaches its value only through the executor of the task running it. Call value() inside a "
                    + "task's function, or use the handle kc.broadcast(...) returned on the driver");
        }
        return e.driverValue();
    }

    /** Same as {@link #value()}, under the name of Spark's Java API. */
    public T getValue() {
        return value();
    }

    /**
     * Drops the executors' copy of the value to free memory; a later {@link #value()} in a task
     * fetches and deserializes it again from the driver's serialized form.
     *
     * @throws IllegalStateException if the broadcast was destroyed, or this is not the driver's handle
     */
    public void unpersist() {
        driverEntry("unpersist").unpersist();
    }

    /** Like {@link #unpersist()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    public void unpersist(boolean blocking) {
        unpersist();
    }

    /**
     * Frees the value everywhere. Afterwards {@link #value()} throws an
     * {@link IllegalStateException} naming this broadcast and where it was destroyed, in tasks
     * (failing their job) and on the driver.
     *
     * @throws IllegalStateException if it was already destroyed, or this is not the driver's handle
     */
    public void destroy() {
        driverEntry("destroy").destroy(dev.kindling.internal.rdd.CallSite.capture());
    }

    /** Like {@link #destroy()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    public void destroy(boolean blocking) {
        destroy();
    }

    /**
     * Whether the value can still be used: not destroyed and its context not closed (the driver's
     * handle); for a deserialized handle, whether the running task's executor can get its value.
     */
    public boolean isValid() {
        BroadcastManager.Entry<T> e = entry;
        if (e != null) {
            return e.isValid();
        }
        if (TaskContext.get() == null) {
            return false;
        }
        try {
            value();
            return true;
        } catch (IllegalStateException gone) {
            return false;
        }
    }

    private BroadcastManager.Entry<T> driverEntry(String operation) {
        BroadcastManager.Entry<T> e = entry;
        if (e == null) {
            throw new IllegalStateException("Broadcast " + id + " can only be " + (operation.equals("destroy")
                    ? "destroyed" : "unpersisted") + " through the driver's handle (the one kc.broadcast(...) "
                    + "returned), not a deserialized copy");
        }
        return e;
    }

    @Override
    public String toString() {
        return "Broadcast(" + id + ")";
    }
}
