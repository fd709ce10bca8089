package dev.kindling.internal.scheduler.backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The driver's record of which executors hold each cached RDD partition, as Spark's
 * {@code BlockManagerMaster}: executors report the blocks they stored and dropped (eviction, removal)
 * before the status update of the task that saw the change, so the scheduler knows a block's place
 * before it schedules the next job; an executor's loss forgets its blocks, and {@code unpersist}
 * forgets an RDD's.
 *
 * <p>A location is a hint: a block reported here may be gone by the time a task reads it (then the
 * task recomputes it there), never the reverse for a block that a finished task stored.
 *
 * <p>Thread safety: all methods may be called from any thread (network threads update it, the
 * scheduler's event thread reads it).
 */
public final class BlockLocations {

    /** A cached RDD partition: the block {@code rdd_<rddId>_<partition>}. */
    public record CachedBlock(int rddId, int partition) {
    }

    private final Object lock = new Object();
    private final Map<CachedBlock, Set<String>> holders = new HashMap<>();
    private final Map<String, Set<CachedBlock>> byExecutor = new HashMap<>();

    /** Records that executor {@code executorId} now holds {@code stored} and no longer holds {@code removed}. */
    public void update(String executorId, List<CachedBlock> stored, List<CachedBlock> removed) {
        Objects.requireNonNull(executorId, "executorId");
        synchronized (lock) {
            for (CachedBlock b : removed) {
                forget(executorId, b);
            }
            for (CachedBlock b : stored) {
                holders.computeIfAbsent(b, k -> new HashSet<>()).add(executorId);
                byExecutor.computeIfAbsent(executorId, k -> new HashSet<>()).add(b);
            }
        }
    }

    /** The executors holding partition {@code partition} of RDD {@code rddId}; empty when none. */
    public Set<String> executorsOf(int rddId, int partition) {
        synchronized (lock) {
            Set<String> s = holders.get(new CachedBlock(rddId, partition));
            return s == null ? Set.of() : Set.copyOf(s);
        }
    }

    /** The blocks executor {@code executorId} holds, as far as it reported. */
    public Set<CachedBlock> blocksOf(String executorId) {
        synchronized (lock) {
            Set<CachedBlock> s = byExecutor.get(executorId);
            return s == null ? Set.of() : Set.copyOf(s);
        }
    }

    /** Forgets every block of a lost executor; returns how many it held. */
    public int removeExecutor(String executorId) {
        synchronized (lock) {
            Set<CachedBlock> blocks = byExecutor.remove(executorId);
            if (blocks == null) {
                return 0;
            }
            for (CachedBlock b : blocks) {
                Set<String> s = holders.get(b);
                if (s != null && s.remove(executorId) && s.isEmpty()) {
                    holders.remove(b);
                }
            }
            return blocks.size();
        }
    }

    /** Forgets every block of RDD {@code rddId}; returns the executors that held one. */
    public Set<String> removeRdd(int rddId) {
        synchronized (lock) {
            Set<String> executors = new HashSet<>();
            List<CachedBlock> gone = new ArrayList<>();
            for (Iterator<Map.Entry<CachedBlock, Set<String>>> it = holders.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<CachedBlock, Set<String>> e = it.next();
                if (e.getKey().rddId() == rddId) {
                    executors.addAll(e.getValue());
                    gone.add(e.getKey());
                    it.remove();
                }
            }
            for (String executor : executors) {
                Set<CachedBlock> s = byExecutor.get(executor);
                if (s != null) {
                    gone.forEach(s::remove);
                    if (s.isEmpty()) {
                        byExecutor.remove(executor);
                    }
                }
            }
            return executors;
        }
    }

    /** Number of (block, executor) pairs known. */
    public int size() {
        synchronized (lock) {
            int n = 0;
            for (Set<String> s : holders.values()) {
                n += s.size();
            }
            return n;
        }
    }

    private void forget(String executorId, CachedBlock b) {
        Set<String> s = holders.get(b);
        if (s != null && s.remove(executorId) && s.isEmpty()) {
            holders.remove(b);
        }
        Set<CachedBlock> mine = byExecutor.get(executorId);
        if (mine != null && mine.remove(b) && mine.isEmpty()) {
            byExecutor.remove(executorId);
        }
    }
}
