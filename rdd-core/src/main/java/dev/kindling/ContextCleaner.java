package dev.kindling;

import dev.kindling.storage.shuffle.ShuffleStore;
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
 * <p>One {@link Cleaner} per context runs the clean-up actions on its own daemon thread. An action
 * must not refer to the object it watches (or that object never becomes unreachable): it holds
 * ids and the stores to remove them from. {@link #close()} runs every action still pending, so
 * everything registered is freed at the latest when the context closes, and lets the Cleaner (and
 * its thread) end.
 *
 * <p>Thread safety: all methods may be called from any thread; actions run on the cleaner thread,
 * or on the thread that closes the context.
 */
final class ContextCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextCleaner.class);

    private final String contextName;
    private final Map<Long, Cleaner.Cleanable> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextToken = new AtomicLong();
    /** Null once closed, so the Cleaner becomes unreachable and its thread ends. */
    private Cleaner cleaner;

    ContextCleaner(String contextName) {
        this.contextName = contextName;
        this.cleaner = Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, "kindling-cleaner-" + contextName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Removes shuffle {@code shuffleId}'s output from {@code store} once {@code owner} is unreachable. */
    void registerShuffle(Object owner, ShuffleStore store, int shuffleId) {
        register(owner, "the output of shuffle " + shuffleId, () -> store.removeShuffle(shuffleId));
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
            if (cleaner != null) {
                pending.put(token, cleaner.register(watched, logged));
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

    /** Runs every pending action now and lets the Cleaner's thread end. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            cleaner = null;
        }
        for (Cleaner.Cleanable cleanable : pending.values()) {
            cleanable.clean(); // runs the action at most once, even if the cleaner thread races us
        }
    }
}
