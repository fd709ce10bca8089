package dev.kindling.internal.storage.block;

import dev.kindling.storage.StorageLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The blocks a {@link BlockManager} keeps in memory, in the order of their last access (least
 * recently used first, as Spark's MemoryStore), with the bytes they hold and the bytes reserved by
 * blocks still being unrolled.
 *
 * <p>Rules:
 * <ol>
 *   <li>{@link #get} moves a block to the most recently used end; {@link #sizes()} does not.</li>
 *   <li>{@link #victims} picks the least recently used blocks the caller allows, and only as many
 *       as the space asked for needs.</li>
 *   <li>{@link #usedBytes()} = stored + reserved; it may be read without the lock (it is what the
 *       {@link dev.kindling.internal.storage.memory.MemoryManager} sees as storage).</li>
 * </ol>
 *
 * <p>Thread safety: not thread-safe; every method except {@link #usedBytes()} and
 * {@link #storedBytes()} must be called with the {@link BlockInfoManager}'s lock held.
 */
final class MemoryStore {

    /** A block in memory: deserialized values or serialized bytes, with its estimated size. */
    record Entry(Object[] values, byte[] bytes, long size, StorageLevel level) {
    }

    private final LinkedHashMap<BlockId, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private volatile long stored;
    private volatile long reserved;

    /** The block's entry, marking it most recently used; null when not in memory. */
    Entry get(BlockId id) {
        return entries.get(id);
    }

    /** Whether the block is in memory (does not count as an access). */
    boolean contains(BlockId id) {
        return entries.containsKey(id);
    }

    /** Adds (or replaces) a block as the most recently used one. */
    void put(BlockId id, Entry entry) {
        Entry old = entries.put(id, entry);
        stored += entry.size() - (old == null ? 0 : old.size());
    }

    /** Removes a block; returns its entry or null. */
    Entry remove(BlockId id) {
        Entry e = entries.remove(id);
        if (e != null) {
            stored -= e.size();
        }
        return e;
    }

    /** Bytes of stored blocks plus unroll reservations. */
    long usedBytes() {
        return stored + reserved;
    }

    /** Bytes of stored blocks only. */
    long storedBytes() {
        return stored;
    }

    /** Adds {@code bytes} to the reservations of blocks being unrolled. */
    void reserve(long bytes) {
        reserved += bytes;
    }

    /** Gives back {@code bytes} of unroll reservation. */
    void release(long bytes) {
        reserved = Math.max(0, reserved - bytes);
    }

    /**
     * The least recently used blocks that {@code evictable} allows, just enough to free
     * {@code needed} bytes; fewer when the allowed blocks do not add up to that much (the caller
     * decides whether a partial set is worth evicting).
     */
    List<Map.Entry<BlockId, Entry>> victims(long needed, Predicate<BlockId> evictable) {
        List<Map.Entry<BlockId, Entry>> out = new ArrayList<>();
        long freed = 0;
        for (Map.Entry<BlockId, Entry> e : entries.entrySet()) {
            if (freed >= needed) {
                break;
            }
            if (evictable.test(e.getKey())) {
                out.add(Map.entry(e.getKey(), e.getValue()));
                freed += e.getValue().size();
            }
        }
        return out;
    }

    /** Bytes of each block in memory, without touching the access order. */
    Map<BlockId, Long> sizes() {
        Map<BlockId, Long> out = new HashMap<>();
        for (Map.Entry<BlockId, Entry> e : entries.entrySet()) {
            out.put(e.getKey(), e.getValue().size());
        }
        return out;
    }

    /** Blocks in eviction order (least recently used first), for tests and tools. */
    List<BlockId> order() {
        return new ArrayList<>(entries.keySet());
    }

    /** Drops every block and reservation. */
    void clear() {
        entries.clear();
        stored = 0;
        reserved = 0;
    }
}
