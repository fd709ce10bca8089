package dev.kindling.storage.block;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.kindling.storage.StorageLevel;
import dev.kindling.storage.memory.ExecutionMemory;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores blocks by {@link BlockId} in memory and on local disk according to a {@link StorageLevel}.
 *
 * <pre>
 *   put(id, iterator, level)
 *      |-- level uses memory: unroll into a list while the budget allows
 *      |      fits      -> memory store (objects, or Kryo bytes for *_SER levels)
 *      |      too big   -> disk store when the level allows, else returned uncached
 *      '-- DISK_ONLY    -> disk store
 *   memory store (Caffeine, weighed in estimated bytes, limit = budget - execution memory)
 *      evicts -> disk store when the level allows, else dropped (recomputed from lineage)
 * </pre>
 *
 * <p>A block is only stored once its iterator is exhausted and the task was not killed, so a
 * partial partition never becomes visible.
 *
 * <p>Thread safety: all methods may be called from any thread. Two tasks computing the same block
 * at once both compute it; the later put replaces the earlier.
 */
public final class BlockManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);

    /** A block in memory: deserialized values or serialized bytes, with its estimated size. */
    private record MemoryEntry(Object[] values, byte[] bytes, long size, StorageLevel level) {
    }

    private final MemoryManager memoryManager;
    private final KryoSerializer serializer;
    private final DiskStore disk;
    /** Built on first store: building Caffeine's cache is a sizeable part of a cold context start. */
    private volatile Cache<BlockId, MemoryEntry> memory;
    private long memoryLimit;
    private final Map<BlockId, StorageLevel> levels = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();

    /** A block manager accounting memory with {@code memoryManager}, writing files under {@code dir}. */
    public BlockManager(MemoryManager memoryManager, KryoSerializer serializer, Path dir) {
        this.memoryManager = memoryManager;
        this.serializer = serializer;
        this.disk = new DiskStore(dir, serializer);
        this.memoryLimit = memoryManager.maxBytes();
        memoryManager.setStorage(new MemoryManager.Storage() {
            @Override
            public long usedBytes() {
                return memoryUsed();
            }

            @Override
            public void shrinkTo(long limit) {
                setMemoryLimit(limit);
            }
        });
    }

    /** The serializer used for *_SER levels and disk blocks. */
    public KryoSerializer serializer() {
        return serializer;
    }

    /** The memory store, built now if no block was stored before. */
    private synchronized Cache<BlockId, MemoryEntry> memory() {
        if (memory == null) {
            memory = Caffeine.newBuilder()
                    .maximumWeight(memoryLimit)
                    .weigher((BlockId id, MemoryEntry e) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, e.size())))
                    .executor(Runnable::run)
                    .evictionListener((BlockId id, MemoryEntry e, RemovalCause cause) -> onEvicted(id, e, cause))
                    .build();
        }
        return memory;
    }

    /** Estimated bytes of blocks in memory now. */
    public long memoryUsed() {
        Cache<BlockId, MemoryEntry> m = memory;
        return m == null ? 0 : m.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Number of blocks evicted from memory so far (to disk or dropped). */
    public long evictions() {
        return evictions.get();
    }

    private synchronized void setMemoryLimit(long limit) {
        memoryLimit = Math.max(0, limit);
        if (memory != null) {
            memory.policy().eviction().orElseThrow().setMaximum(memoryLimit);
            memory.cleanUp();
        }
    }

    private void onEvicted(BlockId id, MemoryEntry e, RemovalCause cause) {
        if (!cause.wasEvicted() || e == null) {
            return;
        }
        evictions.incrementAndGet();
        if (e.level().useDisk() && !disk.contains(id)) {
            LOG.debug("Evicting {} ({} bytes) from memory to disk", id.name(), e.size());
            disk.put(id, valuesOf(e), () -> { });
        } else if (!e.level().useDisk()) {
            levels.remove(id, e.level());
            LOG.debug("Dropped {} ({} bytes) from memory; it will be recomputed when needed", id.name(), e.size());
        }
    }

    private Iterator<Object> valuesOf(MemoryEntry e) {
        if (e.values() != null) {
            return Arrays.asList(e.values()).iterator();
        }
        List<Object> out = new ArrayList<>();
        try (CloseableIterator<Object> it = readBytes(e.bytes())) {
            it.forEachRemaining(out::add);
        }
        return out.iterator();
    }

    /** Reads a block from memory, else from disk; empty when absent (never stored, evicted, or file lost). */
    public Optional<CloseableIterator<Object>> get(BlockId id) {
        Cache<BlockId, MemoryEntry> m = memory;
        MemoryEntry e = m == null ? null : m.getIfPresent(id);
        if (e != null) {
            if (e.values() != null) {
                return Optional.of(CloseableIterator.ofArray(e.values()));
            }
            return Optional.of(readBytes(e.bytes()));
        }
        Optional<CloseableIterator<Object>> fromDisk = disk.get(id);
        if (fromDisk.isEmpty()) {
            levels.remove(id);
        }
        return fromDisk;
    }

    private CloseableIterator<Object> readBytes(byte[] bytes) {
        return CloseableIterator.reading(serializer.newReader(new ByteArrayInputStream(bytes)));
    }

    /**
     * Stores the records of {@code values} as block {@code id} at {@code level} and returns an
     * iterator over the same records for the caller to consume. {@code checkKilled} is called
     * periodically and must throw if the task was cancelled; then nothing is stored.
     */
    public Iterator<Object> put(BlockId id, Iterator<?> values, StorageLevel level, Runnable checkKilled) {
        if (!level.isValid()) {
            throw new IllegalArgumentException("Cannot store block " + id.name() + " at level " + level);
        }
        if (!level.useMemory()) {
            disk.put(id, values, checkKilled);
            levels.put(id, level);
            return disk.get(id).<Iterator<Object>>map(it -> it).orElseThrow();
        }
        ExecutionMemory unroll = new ExecutionMemory(memoryManager, "unrolling block " + id.name());
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
                    if (!unroll.ensure(tracker.estimate())) {
                        fits = false;
                        break;
                    }
                }
            }
            checkKilled.run();
            if (fits) {
                Object[] array = unrolled.toArray();
                unrolled = null;
                MemoryEntry entry = level.deserialized()
                        ? new MemoryEntry(array, null, SizeEstimator.estimate(array), level)
                        : serialized(array, level);
                unroll.releaseAll();
                if (entry.size() <= memoryManager.storageLimit()) {
                    setMemoryLimit(memoryManager.storageLimit());
                    disk.remove(id);
                    levels.put(id, level);
                    Cache<BlockId, MemoryEntry> store = memory();
                    store.put(id, entry);
                    store.cleanUp();
                } else if (level.useDisk()) {
                    disk.put(id, Arrays.asList(array).iterator(), checkKilled);
                    levels.put(id, level);
                }
                return Arrays.asList(array).iterator();
            }
            Iterator<Object> all = concat(unrolled.iterator(), values);
            if (level.useDisk()) {
                unrolled = null;
                disk.put(id, all, checkKilled);
                unroll.releaseAll();
                levels.put(id, level);
                return disk.get(id).<Iterator<Object>>map(it -> it).orElseThrow();
            }
            LOG.debug("Block {} does not fit in memory ({} bytes free); returning it uncached", id.name(),
                    memoryManager.storageLimit());
            return all;
        } finally {
            unroll.releaseAll();
        }
    }

    private MemoryEntry serialized(Object[] array, StorageLevel level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var w = serializer.newWriter(bytes)) {
            for (Object v : array) {
                w.write(v);
            }
        }
        byte[] b = bytes.toByteArray();
        return new MemoryEntry(null, b, SizeEstimator.arraySizeOfBytes(b.length), level);
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

    /** Removes a block from memory and disk; returns whether it was stored. */
    public boolean remove(BlockId id) {
        Cache<BlockId, MemoryEntry> m = memory;
        boolean had = m != null && m.asMap().remove(id) != null;
        had |= disk.remove(id);
        levels.remove(id);
        return had;
    }

    /** Removes every block of RDD {@code rddId}. */
    public void removeRdd(int rddId) {
        for (BlockId id : levels.keySet().toArray(new BlockId[0])) {
            if (id instanceof BlockId.RDDBlock r && r.rddId() == rddId) {
                remove(id);
            }
        }
    }

    /** Forgets a block's in-memory copy only, as if it had been evicted (for tests and tools). */
    public void dropFromMemory(BlockId id) {
        Cache<BlockId, MemoryEntry> m = memory;
        MemoryEntry e = m == null ? null : m.asMap().remove(id);
        if (e != null) {
            onEvicted(id, e, RemovalCause.SIZE);
        }
    }

    /** Where each stored block is and how big it is. */
    public List<BlockStatus> statuses() {
        List<BlockStatus> out = new ArrayList<>();
        for (Map.Entry<BlockId, StorageLevel> e : levels.entrySet()) {
            BlockId id = e.getKey();
            MemoryEntry m = memory == null ? null : memory.getIfPresent(id);
            DiskStore.Entry d = disk.entry(id);
            long mem = m == null ? 0 : m.size();
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

    /** Drops every block and deletes the disk files. */
    @Override
    public void close() {
        Cache<BlockId, MemoryEntry> m = memory;
        if (m != null) {
            m.invalidateAll();
        }
        disk.clear();
        levels.clear();
    }
}
