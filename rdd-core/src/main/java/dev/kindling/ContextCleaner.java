package dev.kindling;

import dev.kindling.internal.shuffle.MapOutputTracker;
import dev.kindling.internal.shuffle.ShuffleStore;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees what a context keeps for objects the program can no longer use, as Spark's
 * {@code ContextCleaner} does: a shuffle's output and spill files once the RDD reading it is
 * unreachable (no user reference, no child RDD, no running job), a broadcast's registry entry and
 * executors' copy once its driver handle is, an accumulator's registry entry once the accumulator
 * is. Without this an iterative program that shuffles or broadcasts in a loop would keep every
 * iteration's data until the context closes.
 *
 * <p>The actions run on one {@link Cleaner} shared by all contexts of the JVM (a daemon thread the
 * JDK names {@code Cleaner-N}). A Cleaner cannot be shut down: its thread ends only after the
 * Cleaner itself is garbage collected, so one per context would leave a thread behind every closed
 * context until the next collection. Each context keeps its own registrations here instead, and
 * {@link #close()} runs those still pending, so everything a context registered is freed at the
 * latest when it closes. An action must not refer to the object it watches (or that object never
 * becomes unreachable): it holds ids and the stores to remove them from.
 *
 * <p>Thread safety: all methods may be called from any thread; actions run on the cleaner thread,
 * or on the thread that closes the context.
 */
final class ContextCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextCleaner.class);

    /** Shared by every context: a Cleaner's thread cannot be stopped, so there is one per JVM. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final String contextName;
    private final Map<Long, Cleaner.Cleanable> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextToken = new AtomicLong();
    private boolean closed;

    /** The clean-up of context {@code contextName} (used in log messages). */
    ContextCleaner(String contextName) {
        this.contextName = contextName;
    }

    /**
     * Removes shuffle {@code shuffleId}'s output from {@code store}, and its locations from
     * {@code tracker}, once {@code owner} is unreachable.
     */
    void registerShuffle(Object owner, ShuffleStore store, MapOutputTracker tracker, int shuffleId) {
        register(owner, "the output of shuffle " + shuffleId, () -> {
            tracker.unregisterShuffle(shuffleId);
            store.removeShuffle(shuffleId);
        });
    }

    /**
     * Runs {@code action} once {@code watched} is unreachable, or when the context closes, whichever
     * comes first. {@code action} must not refer to {@code watched}. After {@link #close()} the
     * action runs at once.
     *
     * @param what what the action frees, for the log
     */
    void register(Object watched, String what, Runnable action) {
        long token = nextToken.getAndIncrement();
        Runnable logged = () -> {
            pending.remove(token);
            try {
                action.run();
                LOG.debug("Freed {} of context {}: the object using it is unreachable or the context closed", what,
                        contextName);
            } catch (RuntimeException e) {
                LOG.warn("Freeing {} of context {} failed; it stays until the context closes", what, contextName, e);
            }
        };
        synchronized (this) {
            if (!closed) {
                pending.put(token, CLEANER.register(watched, logged));
                Reference.reachabilityFence(watched); // the action must not run before it is pending
                return;
            }
        }
        logged.run();
    }

    /** Number of registrations whose object is still reachable (their action has not run). */
    int pendingCount() {
        return pending.size();
    }

    /** Runs every action of this context still pending; later registrations run at once. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Cleaner.Cleanable cleanable : pending.values()) {
            cleanable.clean(); // runs the action at most once, even if the cleaner thread races us
        }
    }
}
