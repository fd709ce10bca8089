package dev.kindling.scheduler;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The per-key combiners of one map task's map-side combine: an open-addressing hash table (linear
 * probing, at most half full) whose lookup finds a key's slot once, so that folding a value into an
 * existing combiner costs one hash probe and one {@code equals}, not the two of a
 * {@code get}-then-{@code put} on a {@link java.util.HashMap}.
 *
 * <p>Usage, for each record:
 * <pre>
 * int slot = table.slotOf(key);
 * if (slot &gt;= 0) {
 *     table.setCombiner(slot, mergeValue(table.combiner(slot), value));
 * } else {
 *     table.insert(slot, key, createCombiner(value));
 * }
 * </pre>
 * A slot number is only valid until the next {@link #insert} or {@link #clear}.
 *
 * <p>Keys use {@code hashCode}/{@code equals} (called on the key looked up, as {@link java.util.HashMap}
 * does); a null key is allowed (kept in a slot of its own).
 * Combiners may be null: presence is decided by the key alone, so a null combiner is neither taken
 * for an absent key nor removes its entry. Each key and its combiner sit side by side in one array,
 * so a hit usually reads one cache line of the table. Confined to one task thread.
 */
final class CombinerTable {

    private static final int MIN_CAPACITY = 16;
    /** The most key slots: the array holds two references per slot plus the null key's pair. */
    private static final int MAX_CAPACITY = 1 << 29;

    /** Key at {@code 2i}, its combiner at {@code 2i + 1}; a null key marks a free slot. The last pair is the null key's. */
    private Object[] entries;
    private int mask;
    private int size;
    private boolean hasNullKey;

    /** An empty table. */
    CombinerTable() {
        allocate(MIN_CAPACITY);
    }

    /** Number of keys held. */
    int size() {
        return size + (hasNullKey ? 1 : 0);
    }

    /**
     * Finds {@code key}: returns its slot (zero or more) when present, otherwise a negative number
     * to pass to {@link #insert} to add it.
     */
    int slotOf(Object key) {
        Object[] e = entries;
        if (key == null) {
            int nullSlot = e.length - 2;
            return hasNullKey ? nullSlot : ~nullSlot;
        }
        int m = mask;
        int i = (mix(key.hashCode()) << 1) & m;
        while (true) {
            Object k = e[i];
            if (k == null) {
                return ~i;
            }
            if (k == key || key.equals(k)) {
                return i;
            }
            i = (i + 2) & m;
        }
    }

    /** The combiner in {@code slot} (from {@link #slotOf}, present). */
    Object combiner(int slot) {
        return entries[slot + 1];
    }

    /** Replaces the combiner in {@code slot} (from {@link #slotOf}, present). */
    void setCombiner(int slot, Object combiner) {
        entries[slot + 1] = combiner;
    }

    /**
     * Adds {@code key} with {@code combiner} at {@code absentSlot}, the negative number
     * {@link #slotOf} just returned for this key (no insert in between).
     */
    void insert(int absentSlot, Object key, Object combiner) {
        int i = ~absentSlot;
        if (key == null) {
            hasNullKey = true;
            entries[i + 1] = combiner;
            return;
        }
        entries[i] = key;
        entries[i + 1] = combiner;
        if (++size > (mask + 2) >>> 2) {
            grow();
        }
    }

    /** Passes each key and its combiner to {@code action}, in no particular order. */
    void forEach(BiConsumer<Object, Object> action) {
        Object[] e = entries;
        int nullSlot = e.length - 2;
        for (int i = 0; i < nullSlot; i += 2) {
            if (e[i] != null) {
                action.accept(e[i], e[i + 1]);
            }
        }
        if (hasNullKey) {
            action.accept(null, e[nullSlot + 1]);
        }
    }

    /** Removes every key (the table keeps its capacity, as {@link java.util.HashMap#clear} does). */
    void clear() {
        Arrays.fill(entries, null);
        size = 0;
        hasNullKey = false;
    }

    private void grow() {
        Object[] old = entries;
        int capacity = (mask + 2) >>> 1;
        if (capacity >= MAX_CAPACITY) {
            throw new IllegalStateException("Map-side combine holds " + size + " keys, more than its hash table can "
                    + "index (" + MAX_CAPACITY / 2 + "); give the task fewer keys (more partitions) or a memory budget "
                    + "so that it flushes");
        }
        allocate(capacity * 2);
        Object[] e = entries;
        int m = mask;
        int oldNullSlot = old.length - 2;
        for (int j = 0; j < oldNullSlot; j += 2) {
            Object k = old[j];
            if (k != null) {
                int i = (mix(k.hashCode()) << 1) & m;
                while (e[i] != null) {
                    i = (i + 2) & m;
                }
                e[i] = k;
                e[i + 1] = old[j + 1];
            }
        }
        e[e.length - 1] = old[old.length - 1];
    }

    /** Makes room for {@code capacity} key slots (a power of two). */
    private void allocate(int capacity) {
        entries = new Object[2 * capacity + 2];
        // Over even indexes only: (hash << 1) & mask is a key's index in [0, 2 * capacity).
        mask = 2 * capacity - 2;
    }

    /** Spreads hash codes so that ones differing only in high bits use different slots. */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
