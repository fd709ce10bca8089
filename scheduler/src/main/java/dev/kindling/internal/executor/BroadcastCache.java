package dev.kindling.internal.executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kindling.internal.scheduler.backend.TaskBytes;
import java.io.IOException;
import java.util.Objects;

/**
 * An executor's broadcast values: fetched by id from the driver the first time a task of this
 * executor asks, deserialized once, and shared by all its tasks (as Spark's executors share theirs).
 * Values are held softly (a Caffeine cache with soft values): under memory pressure the JVM may drop
 * one, and the next task that asks fetches it again. The driver invalidates an entry when the
 * broadcast is unpersisted, destroyed or freed.
 *
 * <p>Thread safety: all methods may be called from any thread; concurrent first uses of one id
 * fetch and deserialize it once.
 */
public final class BroadcastCache {

    /** Where an executor gets a broadcast's serialized value: the driver's broadcast manager, directly or over RPC. */
    @FunctionalInterface
    public interface Source {
        /**
         * The serialized value of broadcast {@code broadcastId}.
         *
         * @throws IllegalStateException if the broadcast was destroyed or freed, or its context closed,
         *     with a message that says which
         */
        byte[] fetch(long broadcastId);
    }

    /** Stands in for a null value, which the cache cannot hold. */
    private static final Object NULL = new Object();

    private final Source source;
    private final Cache<Long, Object> values = Caffeine.newBuilder().softValues().build();

    /** A cache fetching from {@code source}. */
    public BroadcastCache(Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The value of broadcast {@code broadcastId}, fetched and deserialized on first use.
     *
     * @param loader tried first to resolve the value's classes (may be null)
     * @throws IllegalStateException if the driver no longer has it, or it cannot be deserialized
     */
    public Object value(long broadcastId, ClassLoader loader) {
        Object v = values.get(broadcastId, id -> read(id, loader));
        return v == NULL ? null : v;
    }

    /** The value if this executor holds it now, without fetching; null otherwise (for tests and metrics). */
    public Object cached(long broadcastId) {
        Object v = values.getIfPresent(broadcastId);
        return v == NULL ? null : v;
    }

    /** Drops this executor's copy of one broadcast; the next use fetches it again. */
    public void invalidate(long broadcastId) {
        values.invalidate(broadcastId);
    }

    /** Drops every copy. */
    public void clear() {
        values.invalidateAll();
    }

    private Object read(long id, ClassLoader loader) {
        byte[] bytes = source.fetch(id);
        try {
            Object v = TaskBytes.deserialize(bytes, Object.class, loader);
            return v == null ? NULL : v;
        } catch (IOException e) {
            throw new IllegalStateException("Could not deserialize broadcast " + id + " (" + bytes.length + " bytes): "
                    + e.getMessage() + ". Check the readObject/readResolve methods of its classes", e);
        }
    }
}
