package dev.kindling;

import dev.kindling.internal.scheduler.TaskClosure;
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
 * <p>The value is serialized when the broadcast is created. Tasks read one deserialized copy,
 * shared by all tasks of the context (as tasks on one executor share theirs), made on first use:
 * so changing the driver's object afterwards does not change what tasks see, and tasks must not
 * modify the value. On the driver {@link #value()} returns the object that was broadcast.
 *
 * <p>Lifecycle: {@link #unpersist()} drops the executors' copy (the next use in a task makes it
 * again from the driver's serialized form); {@link #destroy()} frees everything, after which
 * {@link #value()} throws, in tasks and on the driver. Closing the context destroys its broadcasts
 * for tasks; on the driver a handle still returns its value.
 *
 * <p>The handle is serializable: it carries only its context's id and its own, and resolves the
 * value through the context's registry, so it works inside functions that are serialized and
 * deserialized (each task's copy of a function, or a function you serialize yourself).
 *
 * <p>Thread safety: all methods may be called from any thread.
 *
 * @param <T> the value's type
 */
public final class Broadcast<T> implements Serializable, Shareable {

    private static final long serialVersionUID = 1L;

    private final long contextId;
    private final long id;
    /** The driver-side state; null in a deserialized handle until first used. */
    private transient volatile Broadcasts.Entry<T> entry;

    Broadcast(Broadcasts.Entry<T> entry) {
        this.contextId = entry.contextId;
        this.id = entry.id;
        this.entry = entry;
    }

    /** The id of this broadcast variable, unique within its context. */
    public long id() {
        return id;
    }

    /**
     * The broadcast value: in a task, the executors' shared copy; on the driver, the object that
     * was broadcast.
     *
     * @throws IllegalStateException if the broadcast was destroyed, or its context closed (in tasks)
     */
    public T value() {
        return entry().value(TaskContext.get() != null);
    }

    /** Same as {@link #value()}, under the name of Spark's Java API. */
    public T getValue() {
        return value();
    }

    /**
     * Drops the executors' copy of the value to free memory; a later {@link #value()} in a task
     * deserializes it again from the driver's serialized form.
     *
     * @throws IllegalStateException if the broadcast was destroyed
     */
    public void unpersist() {
        entry().unpersist();
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
     * @throws IllegalStateException if it was already destroyed
     */
    public void destroy() {
        entry().destroy(dev.kindling.internal.rdd.CallSite.capture());
    }

    /** Like {@link #destroy()}; {@code blocking} is accepted for Spark compatibility (removal is immediate). */
    public void destroy(boolean blocking) {
        destroy();
    }

    /** Whether the value can still be used: not destroyed, and its context (as seen from here) not closed. */
    public boolean isValid() {
        Broadcasts.Entry<T> e = entry;
        if (e == null) {
            e = Broadcasts.lookup(contextId, id);
        }
        return e != null && e.isValid();
    }

    private Broadcasts.Entry<T> entry() {
        Broadcasts.Entry<T> e = entry;
        if (e == null) {
            e = Broadcasts.lookup(contextId, id);
            if (e == null) {
                throw new IllegalStateException("Broadcast " + id + " is not available here: its KindlingContext "
                        + "(context " + contextId + ") was closed, the driver's handle was garbage collected (keep a "
                        + "reference to it while functions that use it may run), or it was created in another JVM");
            }
            entry = e;
        }
        return e;
    }

    @Override
    public String toString() {
        return "Broadcast(" + id + ")";
    }
}
