package dev.kindling;

import dev.kindling.internal.executor.BroadcastCache;
import dev.kindling.internal.rdd.CallSite;
import dev.kindling.internal.scheduler.ClosureSerializer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A context's broadcast variables, on the driver: each entry keeps the driver's object and its
 * serialized form, which executors fetch by id ({@link #fetch}, the {@link BroadcastCache.Source} of
 * every executor) and cache themselves. Nothing is registered JVM-wide: a handle deserialized in a
 * task finds its value through its executor's cache, never through a static registry.
 *
 * <p>A destroyed entry stays, emptied, so that tasks can say where it was destroyed. Like Spark's
 * context cleaner, an entry is removed once the driver's handle has been garbage collected (see
 * {@link ContextCleaner}): a running job keeps it reachable (its lineage holds the functions that
 * captured it). Unpersist, destroy and removal drop the executors' copies through the
 * invalidation callbacks ({@link #onInvalidate}); closing the context removes everything.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class BroadcastManager implements BroadcastCache.Source {

    private final Map<Long, Entry<?>> entries = new ConcurrentHashMap<>();
    private final List<LongConsumer> invalidators = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong();
    private final ContextCleaner cleaner;
    private volatile boolean closed;

    BroadcastManager(ContextCleaner cleaner) {
        this.cleaner = cleaner;
    }

    /** Tells {@code invalidate} (an executor cache's) of every broadcast whose executor copies must go. */
    void onInvalidate(LongConsumer invalidate) {
        invalidators.add(invalidate);
    }

    /** Serializes {@code value} and registers it; the returned handle can be captured by functions. */
    <T> Broadcast<T> create(T value) {
        String site = CallSite.capture();
        long id = nextId.getAndIncrement();
        Entry<T> entry = new Entry<>(this, id, site, value, serialize(value, site));
        entries.put(id, entry);
        Broadcast<T> handle = new Broadcast<>(entry);
        cleaner.register(handle, "broadcast " + id, () -> remove(id));
        return handle;
    }

    @Override
    public byte[] fetch(long id) {
        Entry<?> e = entries.get(id);
        if (e == null) {
            throw new IllegalStateException("Broadcast " + id + " is not available: " + (closed
                    ? "its KindlingContext was closed" : "the driver's handle was garbage collected (keep a reference "
                    + "to it while functions that use it may run)"));
        }
        return e.serialized();
    }

    /** Whether broadcast {@code id} is still registered (for tests of the cleaner). */
    boolean contains(long id) {
        return entries.containsKey(id);
    }

    /** Frees broadcast {@code id} (its driver handle was collected): executors drop their copies. */
    private void remove(long id) {
        Entry<?> e = entries.remove(id);
        if (e != null) {
            e.contextClosed();
            invalidate(id);
        }
    }

    /** Removes every broadcast: tasks can no longer use them; the driver's handles keep their values. */
    void close() {
        closed = true;
        for (Long id : List.copyOf(entries.keySet())) {
            remove(id);
        }
    }

    private void invalidate(long id) {
        for (LongConsumer i : invalidators) {
            i.accept(id);
        }
    }

    private static byte[] serialize(Object value, String site) {
        return ClosureSerializer.serialize(value, e -> "Cannot broadcast a value of class " + value.getClass().getName()
                + " (" + site + "): serializing it failed: " + e + ". Broadcast values are serialized once and "
                + "deserialized on the executors; make the class (and what it holds) java.io.Serializable");
    }

    /** The driver's state of one broadcast variable. */
    static final class Entry<T> {
        private final BroadcastManager manager;
        final long id;
        final String createdAt;
        private volatile T driverValue;
        private volatile byte[] serialized;
        private volatile String destroyedAt;
        private volatile boolean contextClosed;

        Entry(BroadcastManager manager, long id, String createdAt, T driverValue, byte[] serialized) {
            this.manager = manager;
            this.id = id;
            this.createdAt = createdAt;
            this.driverValue = driverValue;
            this.serialized = serialized;
        }

        /** The driver's object. */
        T driverValue() {
            checkUsable(false);
            return driverValue;
        }

        /** The loader of the value's classes, for executors in this JVM; null when unknown. */
        ClassLoader loader() {
            T v = driverValue;
            return v == null ? null : v.getClass().getClassLoader();
        }

        /** The serialized form executors fetch. */
        byte[] serialized() {
            checkUsable(true);
            return serialized;
        }

        void unpersist() {
            checkUsable(false);
            manager.invalidate(id);
        }

        synchronized void destroy(String site) {
            checkUsable(false);
            destroyedAt = site;
            serialized = null;
            driverValue = null;
            manager.invalidate(id);
        }

        synchronized void contextClosed() {
            contextClosed = true;
            serialized = null;
        }

        boolean isValid() {
            return destroyedAt == null && !contextClosed;
        }

        /** Fails if the broadcast was destroyed, or (for tasks) freed with its context. */
        void checkUsable(boolean inTask) {
            String destroyed = destroyedAt;
            if (destroyed != null) {
                throw new IllegalStateException("Broadcast " + id + " was destroyed (" + destroyed + ") and can no "
                        + "longer be used; it was created at " + createdAt + ". Broadcast a new value instead of "
                        + "using a destroyed one");
            }
            if (inTask && contextClosed) {
                throw new IllegalStateException("Broadcast " + id + " (created at " + createdAt + ") belongs to a "
                        + "closed KindlingContext, or its driver handle was garbage collected");
            }
        }
    }
}
