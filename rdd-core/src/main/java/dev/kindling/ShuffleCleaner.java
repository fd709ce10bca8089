package dev.kindling;

import dev.kindling.storage.shuffle.ShuffleStore;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees shuffle output once the RDD that reads it can no longer be used: when that RDD becomes
 * unreachable (no user reference, no child RDD, no running job), its shuffle's buckets and spill
 * files are removed from the {@link ShuffleStore}. Without this an iterative program that shuffles
 * in a loop would keep every iteration's shuffle output until the context closes.
 *
 * <p>A daemon thread per context waits on a reference queue; it stops when the context closes.
 */
final class ShuffleCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleCleaner.class);

    private final ShuffleStore store;
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<OwnerReference> pending = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;

    /** A phantom reference to the RDD reading a shuffle, remembering the shuffle's id. */
    private static final class OwnerReference extends PhantomReference<Object> {
        final int shuffleId;

        OwnerReference(Object owner, int shuffleId, ReferenceQueue<Object> queue) {
            super(owner, queue);
            this.shuffleId = shuffleId;
        }
    }

    ShuffleCleaner(ShuffleStore store, String contextName) {
        this.store = store;
        this.thread = new Thread(this::run, "kindling-cleaner-" + contextName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Removes shuffle {@code shuffleId}'s output once {@code owner} is unreachable. */
    void register(Object owner, int shuffleId) {
        pending.add(new OwnerReference(owner, shuffleId, queue));
    }

    /** Number of shuffles still waiting for their owner to become unreachable. */
    int registeredCount() {
        return pending.size();
    }

    private void run() {
        while (!stopped) {
            try {
                Reference<?> ref = queue.remove(1000);
                if (ref instanceof OwnerReference owner && pending.remove(owner)) {
                    store.removeShuffle(owner.shuffleId);
                    LOG.debug("Removed the output of shuffle {}: the RDD reading it is unreachable", owner.shuffleId);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Removing an unreachable shuffle's output failed; it stays until the context closes", e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.clear();
    }
}
