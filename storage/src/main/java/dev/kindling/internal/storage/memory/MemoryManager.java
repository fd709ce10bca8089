package dev.kindling.internal.storage.memory;

import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one memory budget of a context, shared by execution (shuffle buffers, aggregation maps, sort
 * buffers) and storage (cached blocks).
 *
 * <p>Rules:
 * <ol>
 *   <li>Storage may use whatever execution does not: its limit is {@code budget - execution used}.
 *       The block manager's memory store follows that limit and evicts blocks beyond it.</li>
 *   <li>Execution may take memory from storage: a request that does not fit first evicts cached
 *       blocks, then asks idle consumers (committed in-memory shuffle outputs) to spill.</li>
 *   <li>Each task's consumer may hold at most {@code budget / active task consumers}, so one task
 *       cannot starve the others; a request beyond that is granted partially and the consumer
 *       spills.</li>
 *   <li>Nothing here allocates: memory is accounted in estimated bytes (see {@link SizeEstimator}).</li>
 * </ol>
 *
 * <p>Thread safety: all methods are synchronized; storage eviction and consumer spills run with the
 * lock held, on the thread that asked for memory.
 */
public final class MemoryManager {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryManager.class);

    /** What the memory store offers the manager: its current size and a way to shrink it. */
    public interface Storage {
        /** Bytes of cached blocks currently in memory. */
        long usedBytes();

        /** Evicts blocks until at most {@code limit} bytes remain in memory. */
        void shrinkTo(long limit);
    }

    private final long maxBytes;
    private final Map<MemoryConsumer, Long> consumers = new IdentityHashMap<>();
    private long executionUsed;
    private long peakExecution;
    private long spillRequests;
    private Storage storage = new Storage() {
        @Override
        public long usedBytes() {
            return 0;
        }

        @Override
        public void shrinkTo(long limit) {
        }
    };

    /** A manager with a budget of {@code maxBytes}. */
    public MemoryManager(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes (got " + maxBytes + ")");
        }
        this.maxBytes = maxBytes;
    }

    /** A manager whose budget is {@code fraction} of the JVM's maximum heap. */
    public static MemoryManager ofHeapFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("kindling.memory.fraction must be in (0, 1] (got " + fraction + ")");
        }
        return new MemoryManager((long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** Connects the memory store whose blocks execution may evict. */
    public synchronized void setStorage(Storage storage) {
        this.storage = storage;
    }

    /** The whole budget in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes execution holds now. */
    public synchronized long executionUsed() {
        return executionUsed;
    }

    /** Highest execution usage seen, for metrics and tests. */
    public synchronized long peakExecutionUsed() {
        return peakExecution;
    }

    /** Bytes cached blocks hold in memory now. */
    public synchronized long storageUsed() {
        return storage.usedBytes();
    }

    /** How many bytes the memory store may hold now: the budget minus execution's share. */
    public synchronized long storageLimit() {
        return Math.max(0, maxBytes - executionUsed);
    }

    /** How many times a request could not be granted in full (so a consumer had to spill). */
    public synchronized long spillRequests() {
        return spillRequests;
    }

    /**
     * Asks for {@code bytes} of execution memory for {@code consumer}; returns what was granted
     * (between 0 and {@code bytes}). Evicts cached blocks and spills idle consumers as needed.
     */
    public synchronized long acquireExecution(MemoryConsumer consumer, long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        long held = consumers.getOrDefault(consumer, 0L);
        if (!consumers.containsKey(consumer)) {
            consumers.put(consumer, 0L);
        }
        long cap = consumer.isTask() ? maxBytes / Math.max(1, activeTasks()) : maxBytes;
        long wanted = Math.min(bytes, Math.max(0, cap - held));
        long free = maxBytes - executionUsed - storage.usedBytes();
        if (free < wanted) {
            storage.shrinkTo(Math.max(0, maxBytes - executionUsed - wanted));
            free = maxBytes - executionUsed - storage.usedBytes();
        }
        if (free < wanted) {
            for (MemoryConsumer other : consumers.keySet().toArray(new MemoryConsumer[0])) {
                if (other != consumer && !other.isTask()) {
                    other.spill(wanted - free);
                    free = maxBytes - executionUsed - storage.usedBytes();
                    if (free >= wanted) {
                        break;
                    }
                }
            }
        }
        long granted = Math.max(0, Math.min(wanted, free));
        if (granted < bytes) {
            spillRequests++;
            LOG.debug("{} asked for {} bytes, granted {} (execution {}, storage {}, budget {})", consumer.describe(),
                    bytes, granted, executionUsed, storage.usedBytes(), maxBytes);
        }
        executionUsed += granted;
        peakExecution = Math.max(peakExecution, executionUsed);
        consumers.put(consumer, held + granted);
        return granted;
    }

    /** Gives back {@code bytes} that {@code consumer} held. */
    public synchronized void releaseExecution(MemoryConsumer consumer, long bytes) {
        Long held = consumers.get(consumer);
        if (held == null || bytes <= 0) {
            return;
        }
        long released = Math.min(bytes, held);
        consumers.put(consumer, held - released);
        executionUsed -= released;
    }

    /** Gives back everything {@code consumer} held and forgets it. */
    public synchronized void releaseAll(MemoryConsumer consumer) {
        Long held = consumers.remove(consumer);
        if (held != null) {
            executionUsed -= held;
        }
    }

    /** Bytes {@code consumer} holds now. */
    public synchronized long heldBy(MemoryConsumer consumer) {
        return consumers.getOrDefault(consumer, 0L);
    }

    private int activeTasks() {
        int n = 0;
        for (MemoryConsumer c : consumers.keySet()) {
            if (c.isTask()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized String toString() {
        return "MemoryManager[budget=" + maxBytes + ", execution=" + executionUsed + ", storage=" + storage.usedBytes()
                + ", consumers=" + consumers.size() + "]";
    }
}
