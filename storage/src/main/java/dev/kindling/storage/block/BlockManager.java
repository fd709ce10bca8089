package dev.kindling.storage.block;

import dev.kindling.storage.StorageLevel;
import dev.kindling.storage.memory.MemoryManager;
import dev.kindling.storage.memory.SizeEstimator;
import dev.kindling.storage.memory.SizeTracker;
import dev.kindling.storage.serializer.KryoSerializer;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * guarded by one lock, taken a few times per block (never per record); disk writes of evicted blocks
 * happen outside it. Lock order: the memory manager's lock may be held when this lock is taken
 * (execution shrinking storage), never the reverse.
 */
public final class BlockManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);
    private static final long NO_WRITER = Long.MIN_VALUE;
    private static final long EVICTOR = Long.MIN_VALUE + 1;
    /** How often a task waiting for another task's block checks whether it was killed. */
    private static final long WAIT_SLICE_MS = 50;
    private static final long INITIAL_UNROLL = 64 << 10;

    /** Lock state of one stored (or being written) block. Guarded by {@link #lock}. */
    private static final class Info {
        final StorageLevel level;
        long writer;
        int readers;
        boolean removed;

        Info(StorageLevel level, long writer) {
            this.level = level;
            this.writer = writer;
        }
    }

    /** Per-RDD counters (hits, misses, evictions). */
    private static final class Counters {
        final AtomicLong hits = new AtomicLong();
        final AtomicLong misses = new AtomicLong();
        final AtomicLong evictions = new AtomicLong();
    }

    private final MemoryManager memoryManager;
    private final KryoSerializer serializer;
    private final DiskStore disk;
    private final Object lock = new Object();
    private final Map<BlockId, Info> infos = new HashMap<>();
    private final MemoryStore memory = new MemoryStore();
    private final ConcurrentHashMap<Integer, Counters> counters = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();

    /** A block manager accounting memory with {@code memoryManager}, writing files under {@code dir}. */
    public BlockManager(MemoryManager memoryManager, KryoSerializer serializer, Path dir) {
        this.memoryManager = memoryManager;
        this.serializer = serializer;
        this.disk = new DiskStore(dir, serializer);
        memoryManager.setStorage(new MemoryManager.Storage() {
            @Override
            public long usedBytes() {
                return memory.usedBytes();
            }

            @Override
            public void shrinkTo(long limit) {
                BlockManager.this.shrinkTo(limit);
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
        return memory.storedBytes();
    }

    /** Number of blocks evicted from memory so far (to disk or dropped). */
    public long evictions() {
        return evictions.get();
    }

    /** How many block requests so far had to wait for another task writing the same block. */
    public long lockWaits() {
        return waits.get();
    }

    /** Reads, computations and evictions of RDD {@code rddId}'s blocks since they were first stored. */
    public CacheCounts cacheCounts(int rddId) {
        Counters c = counters.get(rddId);
        return c == null ? CacheCounts.NONE : new CacheCounts(c.hits.get(), c.misses.get(), c.evictions.get());
    }

    private Counters countersOf(BlockId id) {
        return id instanceof BlockId.RDDBlock r ? counters.computeIfAbsent(r.rddId(), k -> new Counters()) : null;
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
        boolean waited = false;
        for (;;) {
            checkKilled.run();
            Info info;
            MemoryStore.Entry entry = null;
            boolean write = false;
            synchronized (lock) {
                info = infos.get(id);
                if (info == null) {
                    info = new Info(level, owner);
                    infos.put(id, info);
                    write = true;
                } else if (info.writer == owner) {
                    info = null; // re-entry: this owner is computing the block right now
                } else if (info.writer != NO_WRITER) {
                    if (!waited) {
                        waited = true;
                        waits.incrementAndGet();
                    }
                    awaitSlice(id, checkKilled);
                    continue;
                } else {
                    info.readers++;
                    entry = memory.get(id);
                }
            }
            Counters c = countersOf(id);
            if (info == null) {
                if (c != null) {
                    c.misses.incrementAndGet();
                }
                return CloseableIterator.of(cast(compute.call()));
            }
            if (write) {
                if (c != null) {
                    c.misses.incrementAndGet();
                }
                return write(id, info, compute, checkKilled, true);
            }
            Optional<CloseableIterator<Object>> read = open(id, info, entry);
            if (read.isPresent()) {
                if (c != null) {
                    c.hits.incrementAndGet();
                }
                return read.get();
            }
            // its file disappeared: forget the block and compute it (or wait for whoever does)
        }
    }

    /** Reads a block from memory, else from disk; empty when absent (never stored, evicted, or file lost). */
    public Optional<CloseableIterator<Object>> get(BlockId id) {
        long owner = threadOwner();
        for (;;) {
            Info info;
            MemoryStore.Entry entry;
            synchronized (lock) {
                info = infos.get(id);
                if (info == null || info.writer == owner) {
                    return Optional.empty();
                }
                if (info.writer != NO_WRITER) {
                    awaitSlice(id, () -> { });
                    continue;
                }
                info.readers++;
                entry = memory.get(id);
            }
            Optional<CloseableIterator<Object>> read = open(id, info, entry);
            if (read.isPresent()) {
                Counters c = countersOf(id);
                if (c != null) {
                    c.hits.incrementAndGet();
                }
            }
            return read;
        }
    }

    private void awaitSlice(BlockId id, Runnable checkKilled) {
        try {
            lock.wait(WAIT_SLICE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checkKilled.run();
            throw new CancellationException("Interrupted while waiting for block " + id.name()
                    + ", which another task is computing");
        }
    }

    /**
     * Opens a pinned block (readers already counted for {@code info}); on failure unpins it and
     * forgets the block when nothing of it is left.
     */
    private Optional<CloseableIterator<Object>> open(BlockId id, Info info, MemoryStore.Entry entry) {
        Runnable unpin = unpinOnce(id, info);
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
        synchronized (lock) {
            info.readers--;
            if (infos.get(id) == info && info.writer == NO_WRITER && !memory.contains(id)) {
                infos.remove(id);
            }
            lock.notifyAll();
        }
        return Optional.empty();
    }

    private Runnable unpinOnce(BlockId id, Info info) {
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

    /**
     * Stores the records of {@code values} as block {@code id} at {@code level}, replacing what was
     * stored, and returns an iterator over the same records for the caller to consume (it does not
     * pin the block). {@code checkKilled} is called periodically and must throw if the task was
     * cancelled; then nothing is stored.
     */
    public Iterator<Object> put(BlockId id, Iterator<?> values, StorageLevel level, Runnable checkKilled) {
        requireValid(id, level);
        long owner = threadOwner();
        Info info;
        for (;;) {
            remove(id);
            synchronized (lock) {
                if (!infos.containsKey(id)) {
                    info = new Info(level, owner);
                    infos.put(id, info);
                    break;
                }
                awaitSlice(id, checkKilled);
            }
        }
        try {
            return write(id, info, () -> values, checkKilled, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot store block " + id.name() + ": " + e.getMessage(), e);
        }
    }

    /** Computes and stores a block whose write lock {@code info} this thread holds; always releases it. */
    private CloseableIterator<Object> write(BlockId id, Info info, Callable<? extends Iterator<?>> compute,
                                            Runnable checkKilled, boolean pin) throws Exception {
        Stored stored = null;
        try {
            stored = store(id, info.level, compute.call(), checkKilled);
        } finally {
            boolean keep = stored != null && stored.kept;
            boolean discard = false;
            synchronized (lock) {
                if (keep && infos.get(id) == info && !info.removed) {
                    info.writer = NO_WRITER;
                    if (pin) {
                        info.readers++;
                    }
                } else {
                    keep = false;
                    discard = stored != null && stored.kept;
                    if (infos.get(id) == info) {
                        infos.remove(id);
                    }
                    if (discard) {
                        memory.remove(id);
                    }
                }
                lock.notifyAll();
            }
            if (discard) {
                disk.remove(id);
            }
            if (keep && pin) {
                Runnable unpin = unpinOnce(id, info);
                stored = new Stored(stored.values instanceof Object[] array
                        ? CloseableIterator.ofArray(array, unpin)
                        : CloseableIterator.onDone(stored.iterator(), unpin), true);
            }
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
            List<Object> unrolled = new ArrayList<>();
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
                if (insert(id, rddId, entry, reserved)) {
                    disk.remove(id);
                    return new Stored(array, true);
                }
                if (level.useDisk()) {
                    disk.put(id, Arrays.asList(array).iterator(), checkKilled);
                    return new Stored(array, true);
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
            releaseUnroll(reserved);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Memory: reservations, inserts and eviction
    // ---------------------------------------------------------------------------------------

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
        if (reserve(rddId, generous)) {
            reserved[0] += generous;
            return true;
        }
        long exact = estimate - reserved[0];
        if (reserve(rddId, exact)) {
            reserved[0] += exact;
            return true;
        }
        return false;
    }

    private boolean reserve(int rddId, long bytes) {
        long limit = memoryManager.storageLimit();
        List<Map.Entry<BlockId, MemoryStore.Entry>> victims;
        synchronized (lock) {
            victims = makeRoom(bytes, limit, rddId);
            if (victims == null) {
                return false;
            }
            memory.reserve(bytes);
        }
        finishEvictions(victims);
        return true;
    }

    private void releaseUnroll(long[] reserved) {
        if (reserved[0] > 0) {
            synchronized (lock) {
                memory.release(reserved[0]);
            }
            reserved[0] = 0;
        }
    }

    /** Turns a block's unroll reservation into the stored block, evicting other RDDs' blocks as needed. */
    private boolean insert(BlockId id, int rddId, MemoryStore.Entry entry, long[] reserved) {
        long limit = memoryManager.storageLimit();
        List<Map.Entry<BlockId, MemoryStore.Entry>> victims;
        synchronized (lock) {
            memory.release(reserved[0]);
            reserved[0] = 0;
            victims = makeRoom(entry.size(), limit, rddId);
            if (victims == null) {
                return false;
            }
            memory.put(id, entry);
        }
        finishEvictions(victims);
        return true;
    }

    /**
     * With the lock held: evicts least recently used blocks so that {@code bytes} more fit under
     * {@code limit}, never blocks of {@code rddId}, pinned blocks or blocks being written. Returns
     * the evicted blocks still to be written to disk (see {@link #finishEvictions}), or null (and
     * evicts nothing) when they would not free enough.
     */
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
        if (freed < needed) {
            return null;
        }
        return evict(victims);
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
            evictions.incrementAndGet();
            Counters c = countersOf(id);
            if (c != null) {
                c.evictions.incrementAndGet();
            }
            Info info = infos.get(id);
            if (v.getValue().level().useDisk() && !disk.contains(id) && info != null) {
                info.writer = EVICTOR; // readers wait until it is on disk
                toDisk.add(v);
            } else if (!v.getValue().level().useDisk()) {
                infos.remove(id);
                LOG.debug("Dropped {} ({} bytes) from memory; it will be recomputed when needed", id.name(),
                        v.getValue().size());
            }
        }
        return toDisk;
    }

    /** Writes evicted blocks to disk (without the lock), then releases their eviction locks. */
    private void finishEvictions(List<Map.Entry<BlockId, MemoryStore.Entry>> toDisk) {
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
            boolean drop = !written;
            synchronized (lock) {
                Info info = infos.get(id);
                if (info != null && info.writer == EVICTOR) {
                    info.writer = NO_WRITER;
                    if (drop || info.removed) {
                        infos.remove(id);
                        drop = true;
                    }
                }
                lock.notifyAll();
            }
            if (drop) {
                disk.remove(id);
            }
        }
    }

    /** Evicts unpinned blocks (any RDD) until at most {@code limit} bytes of storage remain, if it can. */
    private void shrinkTo(long limit) {
        List<Map.Entry<BlockId, MemoryStore.Entry>> toDisk;
        synchronized (lock) {
            long needed = memory.usedBytes() - limit;
            if (needed <= 0) {
                return;
            }
            toDisk = evict(memory.victims(needed, b -> evictable(b, Integer.MIN_VALUE)));
        }
        finishEvictions(toDisk);
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
        boolean had;
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
            had = memory.remove(id) != null || info != null;
            lock.notifyAll();
        }
        had |= disk.remove(id);
        return had;
    }

    /** Removes every block of RDD {@code rddId} and forgets its counters. */
    public void removeRdd(int rddId) {
        List<BlockId> ids = new ArrayList<>();
        synchronized (lock) {
            for (BlockId id : infos.keySet()) {
                if (id instanceof BlockId.RDDBlock r && r.rddId() == rddId) {
                    ids.add(id);
                }
            }
        }
        ids.forEach(this::remove);
        counters.remove(rddId);
    }

    /** Forgets a block's in-memory copy only, as if it had been evicted (for tests and tools); pins are ignored. */
    public void dropFromMemory(BlockId id) {
        List<Map.Entry<BlockId, MemoryStore.Entry>> toDisk;
        synchronized (lock) {
            Info info = infos.get(id);
            if (!memory.contains(id) || info == null || info.writer != NO_WRITER) {
                return;
            }
            MemoryStore.Entry e = memory.get(id);
            toDisk = evict(List.of(Map.entry(id, e)));
        }
        finishEvictions(toDisk);
    }

    /** Blocks in memory in eviction order, least recently used first (for tests and tools). */
    public List<BlockId> memoryOrder() {
        synchronized (lock) {
            return memory.order();
        }
    }

    /** Where each stored block is and how big it is. */
    public List<BlockStatus> statuses() {
        Map<BlockId, StorageLevel> levels = new HashMap<>();
        Map<BlockId, Long> inMemory;
        synchronized (lock) {
            for (Map.Entry<BlockId, Info> e : infos.entrySet()) {
                long writer = e.getValue().writer;
                if (writer == NO_WRITER || writer == EVICTOR) { // not a partial block
                    levels.put(e.getKey(), e.getValue().level);
                }
            }
            inMemory = memory.sizes();
        }
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

    /** Status of one block, if stored. */
    public Optional<BlockStatus> status(BlockId id) {
        return statuses().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Drops every block and deletes the disk files; tasks waiting for a block then compute it. */
    @Override
    public void close() {
        synchronized (lock) {
            infos.clear();
            memory.clear();
            lock.notifyAll();
        }
        disk.clear();
    }
}
