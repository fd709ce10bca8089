package dev.kindling;

import dev.kindling.internal.rdd.CallSite;
import dev.kindling.internal.scheduler.ClosureSerializer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A context's broadcast variables, and the JVM-wide registry through which a (deserialized)
 * {@link Broadcast} handle finds its value by (context id, broadcast id). Each entry keeps the
 * driver's object, its serialized form (the "driver's copy" that executors fetch) and the
 * executors' shared deserialized copy. A destroyed entry stays registered, emptied, so that handles
 * can say where it was destroyed; a context removes all its entries when it closes (its
 * {@link ContextCleaner} runs every pending removal then).
 *
 * <p>Like Spark's context cleaner, an entry is also removed once the driver's handle has been
 * garbage collected (see {@link ContextCleaner}): a running job keeps it reachable (its lineage
 * holds the functions that captured it), so only broadcasts the program can no longer use are
 * freed, together with the executors' copy.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class Broadcasts {

    private static final Map<Key, Entry<?>> REGISTRY = new ConcurrentHashMap<>();

    private record Key(long contextId, long id) {
    }

    private final long contextId;
    private final AtomicLong nextId = new AtomicLong();
    private final ContextCleaner cleaner;

    Broadcasts(long contextId, ContextCleaner cleaner) {
        this.contextId = contextId;
        this.cleaner = cleaner;
    }

    @SuppressWarnings("unchecked")
    static <T> Entry<T> lookup(long contextId, long id) {
        return (Entry<T>) REGISTRY.get(new Key(contextId, id));
    }

    /** Serializes {@code value} and registers it; the returned handle can be captured by functions. */
    <T> Broadcast<T> create(T value) {
        String site = CallSite.capture();
        long id = nextId.getAndIncrement();
        Entry<T> entry = new Entry<>(contextId, id, site, value, serialize(value, site));
        REGISTRY.put(new Key(contextId, id), entry);
        Broadcast<T> handle = new Broadcast<>(entry);
        cleaner.register(handle, "broadcast " + id, () -> remove(id));
        return handle;
    }

    /**
     * Frees broadcast {@code id} (its driver handle was collected, or the context closes):
     * deserialized handles then fail, the driver's handle (if any) keeps its value.
     */
    private void remove(long id) {
        Entry<?> e = REGISTRY.remove(new Key(contextId, id));
        if (e != null) {
            e.contextClosed();
        }
    }

    private static byte[] serialize(Object value, String site) {
        return ClosureSerializer.serialize(value, e -> "Cannot broadcast a value of class " + value.getClass().getName()
                + " (" + site + "): serializing it failed: " + e + ". Broadcast values are serialized once and "
                + "deserialized on the executors; make the class (and what it holds) java.io.Serializable");
    }

    /** The state of one broadcast variable. */
    static final class Entry<T> {
        final long contextId;
        final long id;
        final String createdAt;
        private volatile T driverValue;
        private volatile byte[] serialized;
        private volatile T executorCopy;
        private volatile boolean executorCopyMade;
        private volatile String destroyedAt;
        private volatile boolean contextClosed;

        Entry(long contextId, long id, String createdAt, T driverValue, byte[] serialized) {
            this.contextId = contextId;
            this.id = id;
            this.createdAt = createdAt;
            this.driverValue = driverValue;
            this.serialized = serialized;
        }

        T value(boolean inTask) {
            checkUsable(inTask);
            if (!inTask) {
                return driverValue;
            }
            if (executorCopyMade) {
                return executorCopy;
            }
            synchronized (this) {
                checkUsable(true);
                if (!executorCopyMade) {
                    executorCopy = deserialize(serialized);
                    executorCopyMade = true;
                }
                return executorCopy;
            }
        }

        synchronized void unpersist() {
            checkUsable(false);
            executorCopyMade = false;
            executorCopy = null;
        }

        synchronized void destroy(String site) {
            checkUsable(false);
            destroyedAt = site;
            executorCopyMade = false;
            executorCopy = null;
            serialized = null;
            driverValue = null;
        }

        synchronized void contextClosed() {
            contextClosed = true;
            executorCopyMade = false;
            executorCopy = null;
            serialized = null;
        }

        boolean isValid() {
            return destroyedAt == null && !contextClosed;
        }

        private void checkUsable(boolean inTask) {
            String destroyed = destroyedAt;
            if (destroyed != null) {
                throw new IllegalStateException("Broadcast " + id + " was destroyed (" + destroyed + ") and can no "
                        + "longer be used; it was created at " + createdAt + ". Broadcast a new value instead of "
                        + "using a destroyed one");
            }
            if (inTask && contextClosed) {
                throw new IllegalStateException("Broadcast " + id + " (created at " + createdAt + ") belongs to a "
                        + "closed KindlingContext");
            }
        }

        private T deserialize(byte[] bytes) {
            ClassLoader own = driverValue == null ? null : driverValue.getClass().getClassLoader();
            return ClosureSerializer.deserialize(bytes, own, e -> "Could not deserialize broadcast " + id
                    + " (created at " + createdAt + "): " + e + ". Check the readObject/readResolve methods of its "
                    + "classes");
        }
    }
}
