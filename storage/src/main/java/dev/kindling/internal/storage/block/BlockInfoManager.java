package dev.kindling.internal.storage.block;

import dev.kindling.storage.StorageLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The lock state of every block a {@link BlockManager} holds (as Spark's BlockInfoManager), and the
 * {@link MemoryStore} guarded by the same lock: which owner writes a block, how many iterators read
 * it, and which blocks may be evicted to make room.
 *
 * <p>Rules:
 * <ol>
 *   <li>A block has an entry here from the moment its first writer takes the write lock until it
 *       is removed, dropped from memory without a disk copy, or its writer fails.</li>
 *   <li>One writer at a time; readers of a block being written wait ({@link #acquire}), checking
 *       for task kill every {@value #WAIT_SLICE_MS} ms; its writer asking again gets
 *       {@link Grant.Kind#REENTRANT} and must compute without caching.</li>
 *   <li>Eviction takes the least recently used blocks that have no reader and no writer and do not
 *       belong to the RDD being made room for; a block evicted to disk is write-locked by the
 *       evictor until {@link #finishEviction}, so readers wait for its disk copy.</li>
 *   <li>Removal never waits: readers keep what they opened (their pin refers to the old entry); a
 *       block being written is marked removed and discarded by its writer.</li>
 * </ol>
 *
 * <p>Thread safety: every method takes the one lock; none does I/O or calls the memory manager.
 */
final class BlockInfoManager {

    static final long NO_WRITER = Long.MIN_VALUE;
    static final long EVICTOR = Long.MIN_VALUE + 1;
    /** How often a task waiting for another task's block checks whether it was killed. */
    static final long WAIT_SLICE_MS = 50;

    /** Lock state of one stored (or being written) block. Guarded by the manager's lock. */
    static final class Info {
        final StorageLevel level;
        long writer;
        int readers;
        boolean removed;

        Info(StorageLevel level, long writer) {
            this.level = level;
            this.writer = writer;
        }
    }

    /** What a request got: read it (pinned, with its memory entry or null for disk), write it, or neither. */
    record Grant(Kind kind, Info info, MemoryStore.Entry entry) {
        /** The outcome of {@link #acquire}. */
        enum Kind { READ, WRITE, REENTRANT, ABSENT }
    }

    private final Object lock = new Object();
    private final Map<BlockId, Info> infos = new HashMap<>();
    private final MemoryStore memory = new MemoryStore();
    private final AtomicLong waits = new AtomicLong();
    private final Consumer<BlockId> onEvicted;

    /** A table calling {@code onEvicted} (with the lock held) for each block evicted from memory. */
    BlockInfoManager(Consumer<BlockId> onEvicted) {
        this.onEvicted = onEvicted;
    }

    /** Bytes of stored blocks plus unroll reservations; read without the lock. */
    long usedBytes() {
        return memory.usedBytes();
    }

    /** Bytes of stored blocks; read without the lock. */
    long storedBytes() {
        return memory.storedBytes();
    }

    /** Requests that had to wait for another owner's write. */
    long waits() {
        return waits.get();
    }

    /**
     * Locks block {@code id} for {@code owner}: a read lock when it is stored (waiting while another
     * owner writes it), else the write lock when {@code create} (as a new block at {@code level}),
     * else {@link Grant.Kind#ABSENT}. {@code checkKilled} is called between waits.
     */
    Grant acquire(BlockId id, StorageLevel level, long owner, Runnable checkKilled, boolean create) {
        boolean waited = false;
        synchronized (lock) {
            for (;;) {
                Info info = infos.get(id);
                if (info == null) {
                    if (!create) {
                        return new Grant(Grant.Kind.ABSENT, null, null);
                    }
                    info = new Info(level, owner);
                    infos.put(id, info);
                    return new Grant(Grant.Kind.WRITE, info, null);
                }
                if (info.writer == owner) {
                    return new Grant(Grant.Kind.REENTRANT, null, null);
                }
                if (info.writer == NO_WRITER) {
                    info.readers++;
                    return new Grant(Grant.Kind.READ, info, memory.get(id));
                }
                if (!waited) {
                    waited = true;
                    waits.incrementAndGet();
                }
                try {
                    lock.wait(WAIT_SLICE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    checkKilled.run();
                    throw new CancellationException("Interrupted while waiting for block " + id.name()
                            + ", which another task is computing");
                }
                checkKilled.run();
            }
        }
    }

    /** A release of one read lock on {@code info}, running at most once however often it is called. */
    Runnable unpinOnce(Info info) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                synchronized (lock) {
                    info.readers--;
                    if (info.readers == 0) {
                        lock.notifyAll();
                    }
                }
            }
        };
    }

    /** Releases a read lock whose block turned out to have no data left, and forgets the block. */
    void forgetLost(BlockId id, Info info) {
        synchronized (lock) {
            info.readers--;
            if (infos.get(id) == info && info.writer == NO_WRITER && !memory.contains(id)) {
                infos.remove(id);
            }
            lock.notifyAll();
        }
    }

    /**
     * Ends a write: keeps the block ({@code stored}) and downgrades to a read lock when
     * {@code pin}, unless it was removed meanwhile; otherwise forgets it and drops its memory copy.
     * Returns whether the block is kept; wakes waiters either way.
     */
    boolean finishWrite(BlockId id, Info info, boolean stored, boolean pin) {
        synchronized (lock) {
            boolean keep = stored && infos.get(id) == info && !info.removed;
            if (keep) {
                info.writer = NO_WRITER;
                if (pin) {
                    info.readers++;
                }
            } else {
                if (infos.get(id) == info) {
                    infos.remove(id);
                }
                if (stored) {
                    memory.remove(id);
                }
            }
            lock.notifyAll();
            return keep;
        }
    }

    /** Reserves {@code bytes} for unrolling a block of {@code rddId}; returns blocks to write to disk, or null if it cannot. */
    List<Map.Entry<BlockId, MemoryStore.Entry>> reserve(int rddId, long bytes, long limit) {
        synchronized (lock) {
            var toDisk = makeRoom(bytes, limit, rddId);
            if (toDisk != null) {
                memory.reserve(bytes);
            }
            return toDisk;
        }
    }

    /** Gives back unroll reservation. */
    void release(long bytes) {
        synchronized (lock) {
            memory.release(bytes);
        }
    }

    /**
     * Turns a reservation of {@code reserved} bytes into the stored block {@code entry}, evicting
     * other RDDs' blocks as needed; returns blocks to write to disk, or null if it does not fit
     * (the reservation is given back either way).
     */
    List<Map.Entry<BlockId, MemoryStore.Entry>> insert(BlockId id, int rddId, MemoryStore.Entry entry, long reserved,
                                                        long limit) {
        synchronized (lock) {
            memory.release(reserved);
            var toDisk = makeRoom(entry.size(), limit, rddId);
            if (toDisk != null) {
                memory.put(id, entry);
            }
            return toDisk;
        }
    }

    /** Evicts unpinned blocks of any RDD until at most {@code limit} bytes remain, if it can; returns blocks for disk. */
    List<Map.Entry<BlockId, MemoryStore.Entry>> shrinkTo(long limit) {
        synchronized (lock) {
            long needed = memory.usedBytes() - limit;
            if (needed <= 0) {
                return List.of();
            }
            return evict(memory.victims(needed, b -> evictable(b, Integer.MIN_VALUE)));
        }
    }

    /** Evicts one block no one is writing, pinned or not (for tests and tools); returns it if bound for disk. */
    List<Map.Entry<BlockId, MemoryStore.Entry>> dropFromMemory(BlockId id) {
        synchronized (lock) {
            Info info = infos.get(id);
            if (!memory.contains(id) || info == null || info.writer != NO_WRITER) {
                return List.of();
            }
            return evict(List.of(Map.entry(id, memory.get(id))));
        }
    }

    private List<Map.Entry<BlockId, MemoryStore.Entry>> makeRoom(long bytes, long limit, int rddId) {
        long needed = memory.usedBytes() + bytes - limit;
        if (needed <= 0) {
            return List.of();
        }
        if (bytes > limit) {
            return null;
        }
        var victims = memory.victims(needed, b -> evictable(b, rddId));
        long freed = victims.stream().mapToLong(v -> v.getValue().size()).sum();
        return freed < needed ? null : evict(victims);
    }

    private boolean evictable(BlockId id, int exceptRdd) {
        if (id instanceof BlockId.RDDBlock r && r.rddId() == exceptRdd) {
            return false;
        }
        Info info = infos.get(id);
        return info == null || (info.readers == 0 && info.writer == NO_WRITER);
    }

    /** With the lock held: drops victims from memory; returns those that must now go to disk. */
    private List<Map.Entry<BlockId, MemoryStore.Entry>> evict(List<Map.Entry<BlockId, MemoryStore.Entry>> victims) {
        List<Map.Entry<BlockId, MemoryStore.Entry>> toDisk = new ArrayList<>();
        for (Map.Entry<BlockId, MemoryStore.Entry> v : victims) {
            BlockId id = v.getKey();
            memory.remove(id);
            onEvicted.accept(id);
            Info info = infos.get(id);
            boolean useDisk = v.getValue().level().useDisk();
            if (useDisk && info != null) { // a block in memory has no disk copy
                info.writer = EVICTOR; // readers wait until it is on disk
                toDisk.add(v);
            } else if (!useDisk) {
                infos.remove(id);
            }
        }
        return toDisk;
    }

    /**
     * Ends the eviction of {@code id} to disk: returns true when its disk copy must be deleted (the
     * write failed, or the block was removed meanwhile), in which case the block is forgotten.
     */
    boolean finishEviction(BlockId id, boolean written) {
        synchronized (lock) {
            boolean drop = !written;
            Info info = infos.get(id);
            if (info != null && info.writer == EVICTOR) {
                info.writer = NO_WRITER;
                if (drop || info.removed) {
                    infos.remove(id);
                    drop = true;
                }
            }
            lock.notifyAll();
            return drop;
        }
    }

    /**
     * Forgets a block's memory copy and lock entry; a block being written is only marked removed.
     * Returns whether anything was known of it.
     */
    boolean remove(BlockId id) {
        synchronized (lock) {
            Info info = infos.get(id);
            if (info != null && info.writer != NO_WRITER) {
                info.removed = true;
                memory.remove(id);
                return true;
            }
            if (info != null) {
                infos.remove(id);
            }
            boolean had = memory.remove(id) != null || info != null;
            lock.notifyAll();
            return had;
        }
    }

    /** Ids of the known blocks of RDD {@code rddId}. */
    List<BlockId> blocksOf(int rddId) {
        List<BlockId> ids = new ArrayList<>();
        synchronized (lock) {
            for (BlockId id : infos.keySet()) {
                if (id instanceof BlockId.RDDBlock r && r.rddId() == rddId) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The RDD blocks that are complete (not being written by a task): those a reader would find. */
    java.util.Set<BlockId.RDDBlock> completeRddBlocks() {
        java.util.Set<BlockId.RDDBlock> out = new java.util.HashSet<>();
        synchronized (lock) {
            for (Map.Entry<BlockId, Info> e : infos.entrySet()) {
                long writer = e.getValue().writer;
                if (e.getKey() instanceof BlockId.RDDBlock r && (writer == NO_WRITER || writer == EVICTOR)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Level of each complete block (not being written by a task), and memory bytes of those in memory. */
    Map<BlockId, StorageLevel> levels(Map<BlockId, Long> memoryBytesOut) {
        Map<BlockId, StorageLevel> levels = new HashMap<>();
        synchronized (lock) {
            for (Map.Entry<BlockId, Info> e : infos.entrySet()) {
                long writer = e.getValue().writer;
                if (writer == NO_WRITER || writer == EVICTOR) {
                    levels.put(e.getKey(), e.getValue().level);
                }
            }
            memoryBytesOut.putAll(memory.sizes());
        }
        return levels;
    }

    /** Blocks in memory, least recently used first. */
    List<BlockId> memoryOrder() {
        synchronized (lock) {
            return memory.order();
        }
    }

    /** Forgets everything; waiting requests then find their blocks absent. */
    void clear() {
        synchronized (lock) {
            infos.clear();
            memory.clear();
            lock.notifyAll();
        }
    }
}
