package dev.kindling.internal.storage.block;

import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.memory.SizeEstimator;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores blocks by {@link BlockId} in memory and on local disk according to a {@link StorageLevel},
 * with Spark's MemoryStore and BlockInfoManager rules.
 *
 * <pre>
 *   getOrCompute(id)
 *      |-- block stored           -> read lock (pin), read from memory, else from disk    (hit)
 *      |-- another task writes it -> wait for it (checking for task kill), then read it
 *      |-- this task writes it    -> compute without caching (re-entry never waits on itself)
 *      '-- absent                 -> write lock, compute, store, downgrade to a read lock  (miss)
 *   store(level)
 *      |-- level uses memory: unroll into a list, reserving storage memory as it grows
 *      |      fits      -> memory store (objects, or Kryo bytes for *_SER levels)
 *      |      too big   -> disk store when the level allows, else returned uncached
 *      '-- DISK_ONLY    -> disk store
 *   making room (unroll, insert, or execution shrinking storage)
 *      evicts least recently used blocks that are not pinned, not being written and, when the room
 *      is for a block of RDD r, not blocks of r; an evicted block goes to disk when its level
 *      allows, else it is dropped (recomputed from lineage)
 * </pre>
 *
 * <p>Rules:
 * <ol>
 *   <li>Eviction order is the order of last access (LRU): reading a block makes it the last to go.</li>
 *   <li>A block of RDD r is never evicted to make room for another block of r, so an RDD larger than
 *       memory keeps a stable prefix cached instead of evicting itself in a circle.</li>
 *   <li>A block being read is pinned (reader count) until its iterator is exhausted or closed, and
 *       is not evicted meanwhile.</li>
 *   <li>One writer per block: the first task to miss computes it, others wait and then read it. A
 *       failed or killed writer stores nothing and releases the lock; a waiter then computes it.</li>
 *   <li>A block is only stored once its iterator is exhausted and the task was not killed, so a
 *       partial partition never becomes visible.</li>
 *   <li>Storage memory = stored blocks + unroll reservations; it follows
 *       {@link MemoryManager#storageLimit()} and is what the memory manager shrinks for execution.</li>
 * </ol>
 *
 * <p>Thread safety: all methods may be called from any thread. Lock state and the memory store are
 * guarded by one lock ({@link BlockInfoManager}), taken a few times per block (never per record);
 * unrolling, serialization and disk writes (of evicted blocks too) happen outside it. Lock order:
 * the memory manager's lock may be held when this lock is taken (execution shrinking storage), never
 * the reverse.
 */
public final class BlockManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);
    private static final long INITIAL_UNROLL = 64 << 10;

    /** Per-RDD counters (hits, misses, evictions). */
    private static final class Counters {
        final AtomicLong hits = new AtomicLong();
        final AtomicLong misses = new AtomicLong();
        final AtomicLong evictions = new AtomicLong();
    }

    private final MemoryManager memoryManager;
    private final KryoSerializer serializer;
    private final DiskStore disk;
    private final BlockInfoManager blocks = new BlockInfoManager(this::onEvicted);
    private final ConcurrentHashMap<Integer, Counters> counters = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();

    /** A block manager accounting memory with {@code memoryManager}, writing files under {@code dir}. */
    public BlockManager(MemoryManager memoryManager, KryoSerializer serializer, Path dir) {
        this.memoryManager = memoryManager;
        this.serializer = serializer;
        this.disk = new DiskStore(dir, serializer);
        memoryManager.setStorage(new MemoryManager.Storage() {
            @Override
            public long usedBytes() {
                return blocks.usedBytes();
            }

            @Override
            public void shrinkTo(long limit) {
                writeEvicted(blocks.shrinkTo(limit));
            }
        });
    }

    /** The owner id of lock requests made outside a task: one per thread, never equal to a task's. */
    public static long threadOwner() {
        return -2 - Thread.currentThread().getId();
    }

    /** The serializer used for *_SER levels and disk blocks. */
    public KryoSerializer serializer() {
        return serializer;
    }

    /** Estimated bytes of blocks in memory now (unroll reservations not included). */
    public long memoryUsed() {
        return blocks.storedBytes();
    }

    /** Number of blocks evicted from memory so far (to disk or dropped). */
    public long evictions() {
        return evictions.get();
    }

    /** How many block requests so far had to wait for another task writing the same block. */
    public long lockWaits() {
        return blocks.waits();
    }

    /** Reads, computations and evictions of RDD {@code rddId}'s blocks since they were first stored. */
    public CacheCounts cacheCounts(int rddId) {
        Counters c = counters.get(rddId);
        return c == null ? CacheCounts.NONE : new CacheCounts(c.hits.get(), c.misses.get(), c.evictions.get());
    }

    private Counters countersOf(BlockId id) {
        return id instanceof BlockId.RDDBlock r ? counters.computeIfAbsent(r.rddId(), k -> new Counters()) : null;
    }

    private void count(BlockId id, boolean hit) {
        Counters c = countersOf(id);
        if (c != null) {
            (hit ? c.hits : c.misses).incrementAndGet();
        }
    }

    private void onEvicted(BlockId id) {
        evictions.incrementAndGet();
        Counters c = countersOf(id);
        if (c != null) {
            c.evictions.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Reading and computing
    // ---------------------------------------------------------------------------------------

    /**
     * Returns block {@code id}: read when stored (waiting while another owner writes it), otherwise
     * computed by {@code compute}, stored at {@code level} and returned. The returned iterator pins
     * the block until it is exhausted or closed; close it when stopping early (a task registers
     * {@code close} as a completion listener). {@code owner} identifies the task (its attempt id, or
     * {@link #threadOwner()}); a request from the owner that is writing the block computes it
     * without caching. {@code checkKilled} must throw when the task was cancelled; it is called
     * while waiting and while storing, and then nothing is stored.
     */
    public CloseableIterator<Object> getOrCompute(BlockId id, StorageLevel level, long owner, Runnable checkKilled,
                                                  Callable<? extends Iterator<?>> compute) throws Exception {
        requireValid(id, level);
        for (;;) {
            checkKilled.run();
            BlockInfoManager.Grant grant = blocks.acquire(id, level, owner, checkKilled, true);
            switch (grant.kind()) {
                case REENTRANT -> {
                    count(id, false);
                    return CloseableIterator.of(cast(compute.call()));
                }
                case WRITE -> {
                    count(id, false);
                    return write(id, grant.info(), compute, checkKilled, true);
                }
                default -> {
                    Optional<CloseableIterator<Object>> read = open(id, grant);
                    if (read.isPresent()) {
                        count(id, true);
                        return read.get();
                    }
                    // its file disappeared: the block is forgotten; compute it (or wait for whoever does)
                }
            }
        }
    }

    /** Reads a block from memory, else from disk; empty when absent (never stored, evicted, or file lost). */
    public Optional<CloseableIterator<Object>> get(BlockId id) {
        BlockInfoManager.Grant grant = blocks.acquire(id, StorageLevel.NONE, threadOwner(), () -> { }, false);
        if (grant.kind() != BlockInfoManager.Grant.Kind.READ) {
            return Optional.empty();
        }
        Optional<CloseableIterator<Object>> read = open(id, grant);
        if (read.isPresent()) {
            count(id, true);
        }
        return read;
    }

    /** Opens a read-locked block; when its data is gone, releases the lock and forgets the block. */
    private Optional<CloseableIterator<Object>> open(BlockId id, BlockInfoManager.Grant grant) {
        Runnable unpin = blocks.unpinOnce(grant.info());
        MemoryStore.Entry entry = grant.entry();
        if (entry != null) {
            if (entry.values() != null) {
                return Optional.of(CloseableIterator.ofArray(entry.values(), unpin));
            }
            return Optional.of(CloseableIterator.onDone(readBytes(entry.bytes()), unpin));
        }
        Optional<CloseableIterator<Object>> fromDisk;
        try {
            fromDisk = disk.get(id);
        } catch (RuntimeException e) {
            unpin.run();
            throw e;
        }
        if (fromDisk.isPresent()) {
            return Optional.of(CloseableIterator.onDone(fromDisk.get(), unpin));
        }
        blocks.forgetLost(id, grant.info());
        return Optional.empty();
    }

    /**
     * Stores the records of {@code values} as block {@code id} at {@code level}, replacing what was
     * stored, and returns an iterator over the same records for the caller to consume (it does not
     * pin the block). {@code checkKilled} is called periodically and must throw if the task was
     * cancelled; then nothing is stored.
     */
    public Iterator<Object> put(BlockId id, Iterator<?> values, StorageLevel level, Runnable checkKilled) {
        requireValid(id, level);
        BlockInfoManager.Grant grant;
        for (;;) {
            remove(id);
            grant = blocks.acquire(id, level, threadOwner(), checkKilled, true);
            if (grant.kind() == BlockInfoManager.Grant.Kind.WRITE) {
                break;
            }
            if (grant.kind() == BlockInfoManager.Grant.Kind.READ) {
                blocks.unpinOnce(grant.info()).run(); // another writer stored it meanwhile: replace it
            }
        }
        try {
            return write(id, grant.info(), () -> values, checkKilled, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot store block " + id.name() + ": " + e.getMessage(), e);
        }
    }

    /** Computes and stores a block whose write lock this thread holds; always releases the lock. */
    private CloseableIterator<Object> write(BlockId id, BlockInfoManager.Info info,
                                            Callable<? extends Iterator<?>> compute, Runnable checkKilled,
                                            boolean pin) throws Exception {
        Stored stored;
        try {
            stored = store(id, info.level, compute.call(), checkKilled);
        } catch (Throwable failed) {
            blocks.finishWrite(id, info, false, pin); // a waiter now computes the block itself
            throw failed;
        }
        boolean keep = blocks.finishWrite(id, info, stored.kept(), pin);
        if (stored.kept() && !keep) {
            disk.remove(id); // removed while being written
        }
        if (keep && pin) {
            Runnable unpin = blocks.unpinOnce(info);
            return stored.values() instanceof Object[] array
                    ? CloseableIterator.ofArray(array, unpin)
                    : CloseableIterator.onDone(stored.iterator(), unpin);
        }
        return stored.iterator();
    }

    /** What {@link #store} did: the records (an array or an iterator) and whether they were kept. */
    private record Stored(Object values, boolean kept) {
        CloseableIterator<Object> iterator() {
            if (values instanceof Object[] array) {
                return CloseableIterator.ofArray(array);
            }
            @SuppressWarnings("unchecked")
            Iterator<Object> it = (Iterator<Object>) values;
            return it instanceof CloseableIterator<Object> c ? c : CloseableIterator.of(it);
        }
    }

    private Stored store(BlockId id, StorageLevel level, Iterator<?> values, Runnable checkKilled) {
        if (!level.useMemory()) {
            disk.put(id, values, checkKilled);
            return new Stored(disk.get(id).orElseThrow(), true);
        }
        int rddId = id instanceof BlockId.RDDBlock r ? r.rddId() : Integer.MIN_VALUE;
        long[] reserved = {0};
        try {
            UnrollBuffer unrolled = new UnrollBuffer();
            SizeTracker tracker = new SizeTracker(4);
            boolean fits = true;
            while (values.hasNext()) {
                Object v = values.next();
                unrolled.add(v);
                tracker.add(v, null);
                if ((unrolled.size() & 63) == 0) {
                    checkKilled.run();
                    if (!reserveUnroll(rddId, tracker.estimate(), reserved)) {
                        fits = false;
                        break;
                    }
                }
            }
            checkKilled.run();
            if (fits) {
                Object[] array = unrolled.toArray();
                unrolled = null;
                MemoryStore.Entry entry = level.deserialized()
                        ? new MemoryStore.Entry(array, null, SizeEstimator.estimate(array), level)
                        : serialized(array, level);
                long limit = memoryManager.storageLimit();
                var toDisk = blocks.insert(id, rddId, entry, reserved[0], limit);
                reserved[0] = 0;
                if (toDisk != null) {
                    writeEvicted(toDisk);
                    return new Stored(array, true);
                }
                if (level.useDisk()) {
                    // Read it back from disk rather than hand out the array: the array is no longer
                    // counted in any memory budget, and a task holding it would be unaccounted heap.
                    disk.put(id, Arrays.asList(array).iterator(), checkKilled);
                    array = null;
                    entry = null;
                    return new Stored(disk.get(id).orElseThrow(), true);
                }
                LOG.debug("Block {} ({} bytes) does not fit in memory; returning it uncached", id.name(), entry.size());
                return new Stored(array, false);
            }
            Iterator<Object> all = concat(unrolled.iterator(), values);
            if (level.useDisk()) {
                disk.put(id, all, checkKilled);
                return new Stored(disk.get(id).orElseThrow(), true);
            }
            LOG.debug("Block {} does not fit in memory ({} bytes of storage); returning it uncached", id.name(),
                    memoryManager.storageLimit());
            return new Stored(all, false);
        } finally {
            if (reserved[0] > 0) {
                blocks.release(reserved[0]);
            }
        }
    }

    /**
     * Makes sure {@code estimate} bytes are reserved for a block of {@code rddId} being unrolled
     * (growing the reservation by half again to keep lock operations per block few); returns false
     * when even the exact amount cannot be had without evicting blocks of the same RDD.
     */
    private boolean reserveUnroll(int rddId, long estimate, long[] reserved) {
        if (estimate <= reserved[0]) {
            return true;
        }
        long generous = Math.max(INITIAL_UNROLL, estimate + estimate / 2) - reserved[0];
        for (long want : new long[] {generous, estimate - reserved[0]}) {
            var toDisk = blocks.reserve(rddId, want, memoryManager.storageLimit());
            if (toDisk != null) {
                reserved[0] += want;
                writeEvicted(toDisk);
                return true;
            }
        }
        return false;
    }

    /** Writes evicted blocks to disk (without the lock), then releases their eviction locks. */
    private void writeEvicted(List<Map.Entry<BlockId, MemoryStore.Entry>> toDisk) {
        for (Map.Entry<BlockId, MemoryStore.Entry> v : toDisk) {
            BlockId id = v.getKey();
            boolean written = false;
            try {
                LOG.debug("Evicting {} ({} bytes) from memory to disk", id.name(), v.getValue().size());
                disk.put(id, valuesOf(v.getValue()), () -> { });
                written = true;
            } catch (RuntimeException e) {
                LOG.warn("Could not write evicted block {} to disk; it is dropped and will be recomputed: {}",
                        id.name(), e.toString());
            }
            if (blocks.finishEviction(id, written)) {
                disk.remove(id);
            }
        }
    }

    private Iterator<Object> valuesOf(MemoryStore.Entry e) {
        if (e.values() != null) {
            return Arrays.asList(e.values()).iterator();
        }
        List<Object> out = new ArrayList<>();
        try (CloseableIterator<Object> it = readBytes(e.bytes())) {
            it.forEachRemaining(out::add);
        }
        return out.iterator();
    }

    private CloseableIterator<Object> readBytes(byte[] bytes) {
        return CloseableIterator.reading(serializer.newReader(new ByteArrayInputStream(bytes)));
    }

    private MemoryStore.Entry serialized(Object[] array, StorageLevel level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var w = serializer.newWriter(bytes)) {
            for (Object v : array) {
                w.write(v);
            }
        }
        byte[] b = bytes.toByteArray();
        return new MemoryStore.Entry(null, b, SizeEstimator.arraySizeOfBytes(b.length), level);
    }

    @SuppressWarnings("unchecked")
    private static Iterator<Object> cast(Iterator<?> it) {
        return (Iterator<Object>) it;
    }

    @SuppressWarnings("unchecked")
    private static Iterator<Object> concat(Iterator<Object> first, Iterator<?> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public Object next() {
                return first.hasNext() ? first.next() : ((Iterator<Object>) second).next();
            }
        };
    }

    private static void requireValid(BlockId id, StorageLevel level) {
        if (!level.isValid()) {
            throw new IllegalArgumentException("Cannot store block " + id.name() + " at level " + level
                    + "; use a level that keeps it in memory or on disk");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Removal and status
    // ---------------------------------------------------------------------------------------

    /**
     * Removes a block from memory and disk; returns whether it was stored. Does not wait for readers
     * (they keep what they opened); a block being written is discarded when its writer finishes.
     */
    public boolean remove(BlockId id) {
        boolean had = blocks.remove(id);
        had |= disk.remove(id);
        return had;
    }

    /** Removes every block of RDD {@code rddId} and forgets its counters. */
    public void removeRdd(int rddId) {
        blocks.blocksOf(rddId).forEach(this::remove);
        counters.remove(rddId);
    }

    /** Forgets a block's in-memory copy only, as if it had been evicted (for tests and tools); pins are ignored. */
    public void dropFromMemory(BlockId id) {
        writeEvicted(blocks.dropFromMemory(id));
    }

    /** Blocks in memory in eviction order, least recently used first (for tests and tools). */
    public List<BlockId> memoryOrder() {
        return blocks.memoryOrder();
    }

    /** Where each stored block is and how big it is. */
    public List<BlockStatus> statuses() {
        Map<BlockId, Long> inMemory = new HashMap<>();
        Map<BlockId, StorageLevel> levels = blocks.levels(inMemory);
        List<BlockStatus> out = new ArrayList<>();
        for (Map.Entry<BlockId, StorageLevel> e : levels.entrySet()) {
            BlockId id = e.getKey();
            DiskStore.Entry d = disk.entry(id);
            long mem = inMemory.getOrDefault(id, 0L);
            long dsk = d == null || !Files.exists(d.file()) ? 0 : d.bytes();
            if (mem > 0 || dsk > 0) {
                out.add(new BlockStatus(id, e.getValue(), mem, dsk));
            }
        }
        return out;
    }

    /**
     * The cached RDD partitions stored here now (in memory or on disk, not being written): what an
     * executor reports to the driver so that tasks are sent where their partition is. One pass over
     * the block table, under its lock, with no file access.
     */
    public java.util.Set<BlockId.RDDBlock> rddBlocks() {
        return blocks.completeRddBlocks();
    }

    /** Status of one block, if stored. */
    public Optional<BlockStatus> status(BlockId id) {
        return statuses().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Drops every block and deletes the disk files; tasks waiting for a block then compute it. */
    @Override
    public void close() {
        blocks.clear();
        disk.clear();
    }
}
