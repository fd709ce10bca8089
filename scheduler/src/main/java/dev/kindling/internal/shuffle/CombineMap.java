package dev.kindling.internal.shuffle;

import dev.kindling.scheduler.Aggregator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The per-key combiners of an aggregating shuffle, on both sides: the map side folds values into
 * it before writing ({@code MapOutputWriter}), the reduce side folds values or map-side combiners
 * into it ({@code ExternalAggregator}, which also serves already-partitioned combineByKey). The
 * caller decides when to spill: it accounts memory from what {@link #insertValue} and
 * {@link #insertCombiner} return and {@link #wasAdded}, and on memory pressure drains the map
 * ({@link #forEach} or {@link #iterator}) and {@link #clear}s it.
 *
 * <h2>Design</h2>
 * An open-addressing table with linear probing, at most half full, in two arrays:
 * <pre>
 *   slots:   long[2 * capacity]   at 2i: 0 = empty slot, else the tag in the high 32 bits (the key's
 *                                 mixed hash with the top bit set) and, in the low 32 bits, where
 *                                 the key's characters are in {@link StringKeyBytes} (0: nowhere);
 *                                 at 2i + 1: the bits of an unboxed combiner (see below)
 *   entries: Object[2 * capacity] key at 2i, boxed combiner at 2i + 1
 * </pre>
 * A lookup compares the cached tags first and confirms a key only when its tag matches: a probe
 * past other keys reads one {@code long} each instead of dereferencing each key. That probe cost
 * was 57% of a word count's CPU samples with the general-purpose map this replaces (fastutil's
 * {@code Object2ObjectOpenHashMap}, which calls {@code equals} on every probed key).
 *
 * <h2>String keys</h2>
 * A string key whose characters are Latin-1 (as most are) is confirmed against a copy of its
 * characters, packed with the other keys' in one byte array ({@link StringKeyBytes}), rather than
 * with {@code equals}, which follows the stored key to its {@code String} and on to that string's
 * byte array: with 100,000 distinct words those were two cache misses on most rare words, and most
 * of the lookup's cost. Other keys are confirmed with {@code equals}. The map keeps every key object
 * as well and hands those out, so callers see no difference. Splitting and folding 40 MB of Zipf
 * words (a scratch loop, 8.6 million words, 100,000 distinct, six rounds): 600-645 ms with
 * {@code equals}, 460-540 ms with the copies.
 *
 * <h2>Unboxed combiners</h2>
 * While every combiner is an {@link Integer}, every one a {@link Long} or every one a
 * {@link Double} (sums, counts, maxima: the common reductions), the map holds them unboxed (their
 * bits beside the tag, in the same aligned 16 bytes that a probe has just read) and boxes a combiner
 * only to pass it to the aggregator or out of the map. The first combiner of another type (or null)
 * boxes them all into {@code entries} for good. Why: a boxed sum stores a new object into a
 * long-lived table on every record, and the collector pays for each such store from an old array
 * to a young object (G1's refinement threads took 12% of a word count's CPU); a primitive store
 * costs it nothing, and when the aggregator's function is inlined, the JIT removes the boxes it
 * would return. A combiner beside its tag saves a hit one cache line: the combine pass of
 * {@code CombineMapBenchmark} went from 694-712 to 652-689 ms (minimum of 6 rounds, three JVMs per
 * layout in turns) against a {@code long[]} of combiners beside an {@code int[]} of tags. Callers
 * see boxed values as before; only their identity ({@code ==}) is not kept.
 *
 * <p>Keys use {@code hashCode}/{@code equals}; a null key is allowed (kept outside the table).
 * Combiners may be null: presence is decided by the tag alone. Confined to one task thread.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <C> combiner type
 */
public final class CombineMap<K, V, C> {

    /**
     * Bytes the table takes per key besides the key and combiner objects, for callers' memory
     * accounting: 24 per slot (16 in {@code slots}, 8 in {@code entries}), 2 to 4 slots per key (the
     * load is between a quarter and a half), and a short string key's copy of its characters.
     */
    static final long OVERHEAD_PER_KEY = 96;

    private static final int INITIAL_CAPACITY = 64;
    /** The largest table: {@code entries} then has 2^30 elements, near the JVM's array limit. */
    private static final int MAX_CAPACITY = 1 << 29;
    /** Set in every stored tag, so that no tag is 0 (the empty slot); above any index bit. */
    private static final int PRESENT = Integer.MIN_VALUE;

    /** How combiners are held: not decided yet (no combiner stored), boxed in entries, or unboxed. */
    private static final byte UNDECIDED = 0;
    private static final byte OBJECTS = 1;
    private static final byte INTS = 2;
    private static final byte LONGS = 3;
    private static final byte DOUBLES = 4;

    private final Aggregator<V, C> agg;
    private long[] slots;
    private Object[] entries;
    /** Copies of string keys' characters; null until the first string key. */
    private StringKeyBytes keyBytes;
    private byte kind = UNDECIDED;
    private int mask;
    /** Keys in the table (not counting the null key). */
    private int size;
    private boolean hasNullKey;
    private Object nullKeyCombiner;
    private boolean added;

    /** An empty map combining with {@code agg}. */
    public CombineMap(Aggregator<V, C> agg) {
        this.agg = agg;
        allocate(INITIAL_CAPACITY);
    }

    /** Number of keys held. */
    public int size() {
        return hasNullKey ? size + 1 : size;
    }

    /**
     * Folds {@code value} into the combiner of {@code key} ({@code createCombiner} for a new key,
     * {@code mergeValue} otherwise) and returns the key's combiner afterwards. An exception of the
     * aggregator is thrown as it is, leaving the key's combiner unchanged.
     */
    @SuppressWarnings("unchecked")
    public C insertValue(K key, V value) throws Exception {
        if (key == null) {
            return insertNullKey(value, false);
        }
        int hash = mix(key.hashCode());
        int slot = find(key, hash);
        if (slot < 0) {
            C created = agg.createCombiner(value);
            store(~slot, hash | PRESENT, key, created);
            return created;
        }
        merge(slot, value, false);
        added = false;
        return (C) combinerAt(slot);
    }

    /**
     * Folds {@code value} into the combiner of {@code key} as {@link #insertValue} does, and
     * returns only whether the key was new. The loop of a map-side combine calls this: on a merge
     * into an unboxed combiner the merged box does not escape the map, so once the aggregator's
     * function is inlined the JIT can drop the box it returns.
     */
    public boolean foldValue(K key, V value) throws Exception {
        if (key == null) {
            insertNullKey(value, false);
            return added;
        }
        int hash = mix(key.hashCode());
        int slot = find(key, hash);
        if (slot < 0) {
            store(~slot, hash | PRESENT, key, agg.createCombiner(value));
            return true;
        }
        merge(slot, value, false);
        added = false;
        return false;
    }

    /**
     * Merges the combiner {@code combiner} into that of {@code key} (taking it as it is for a new
     * key, {@code mergeCombiners} otherwise) and returns the key's combiner afterwards.
     */
    @SuppressWarnings("unchecked")
    public C insertCombiner(K key, C combiner) throws Exception {
        if (key == null) {
            return insertNullKey(combiner, true);
        }
        int hash = mix(key.hashCode());
        int slot = find(key, hash);
        if (slot < 0) {
            store(~slot, hash | PRESENT, key, combiner);
            return combiner;
        }
        merge(slot, combiner, true);
        added = false;
        return (C) combinerAt(slot);
    }

    /** The combiner of {@code key}, or null if the key is absent (or its combiner is null). */
    @SuppressWarnings("unchecked")
    public C get(K key) {
        if (key == null) {
            return hasNullKey ? (C) nullKeyCombiner : null;
        }
        int slot = find(key, mix(key.hashCode()));
        return slot < 0 ? null : (C) combinerAt(slot);
    }

    /** The slot holding {@code key} (whose mixed hash is {@code hash}), or {@code ~slot} of the empty slot where it would go. */
    private int find(Object key, int hash) {
        int tag = hash | PRESENT;
        long[] t = slots;
        int m = mask;
        for (int slot = hash & m; ; slot = (slot + 1) & m) {
            long found = t[2 * slot];
            if (found == 0) {
                return ~slot;
            }
            if ((int) (found >>> 32) == tag && isKeyAt(key, slot, (int) found)) {
                return slot;
            }
        }
    }

    /** Whether {@code key} equals the key at an occupied {@code slot}, whose characters' copy is {@code ref} (0: none). */
    private boolean isKeyAt(Object key, int slot, int ref) {
        if (ref != 0 && key instanceof String s) {
            return keyBytes.matches(ref, s);
        }
        Object k = entries[2 * slot];
        return k == key || key.equals(k);
    }

    /**
     * Merges {@code in} (a value, or a combiner if {@code isCombiner}) into the combiner at an
     * occupied {@code slot}, boxing the current combiner for the aggregator by the map's kind. The
     * JIT keeps that box ({@code valueOf} gives either a cached object or a new one, which it cannot
     * replace by the int); {@code new Integer} would let it go, but measured no faster in the word
     * count and is deprecated for removal. Each kind has its own case, rather than boxing through
     * {@link #combinerAt} and storing through {@link #storeCombiner}: written that way the result's
     * box was kept too (Integer 21% of the word count's sampled allocation, against 12%).
     */
    private void merge(int slot, Object in, boolean isCombiner) throws Exception {
        long[] t = slots;
        int at = 2 * slot + 1;
        switch (kind) {
            case INTS -> {
                Object merged = apply(Integer.valueOf((int) t[at]), in, isCombiner);
                if (merged instanceof Integer i) {
                    t[at] = i;
                } else {
                    boxAllThenStore(slot, merged);
                }
            }
            case LONGS -> {
                Object merged = apply(Long.valueOf(t[at]), in, isCombiner);
                if (merged instanceof Long l) {
                    t[at] = l;
                } else {
                    boxAllThenStore(slot, merged);
                }
            }
            case DOUBLES -> {
                Object merged = apply(Double.valueOf(Double.longBitsToDouble(t[at])), in, isCombiner);
                if (merged instanceof Double d) {
                    t[at] = Double.doubleToRawLongBits(d);
                } else {
                    boxAllThenStore(slot, merged);
                }
            }
            default -> {
                Object current = entries[2 * slot + 1];
                Object merged = apply(current, in, isCombiner);
                if (merged != current) {
                    entries[2 * slot + 1] = merged; // a mutable combiner merged in place needs no store (nor its GC barrier)
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Object apply(Object current, Object in, boolean isCombiner) throws Exception {
        return isCombiner ? agg.mergeCombiners((C) current, (C) in) : agg.mergeValue((C) current, (V) in);
    }

    /** The combiner at an occupied {@code slot}, boxed if the map holds it unboxed. */
    private Object combinerAt(int slot) {
        return switch (kind) {
            case INTS -> Integer.valueOf((int) slots[2 * slot + 1]);
            case LONGS -> Long.valueOf(slots[2 * slot + 1]);
            case DOUBLES -> Double.valueOf(Double.longBitsToDouble(slots[2 * slot + 1]));
            default -> entries[2 * slot + 1];
        };
    }

    /** Whether the last insert added its key (rather than merging into an existing combiner). */
    public boolean wasAdded() {
        return added;
    }

    /** Passes each key and its combiner to {@code action}, in no particular order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super C> action) {
        if (hasNullKey) {
            action.accept(null, (C) nullKeyCombiner);
        }
        long[] t = slots;
        Object[] e = entries;
        for (int slot = 0; 2 * slot < t.length; slot++) {
            if (t[2 * slot] != 0) {
                action.accept((K) e[2 * slot], (C) combinerAt(slot));
            }
        }
    }

    /**
     * Each key and its combiner made into a record by {@code toRecord}, in no particular order. The
     * map must not change while the iterator is in use.
     */
    public <R> Iterator<R> iterator(BiFunction<? super K, ? super C, ? extends R> toRecord) {
        return new Iterator<>() {
            private final long[] t = slots;
            private final Object[] e = entries;
            private boolean nullKeyPending = hasNullKey;
            private int slot = nextSlot(0);

            private int nextSlot(int from) {
                int s = from;
                while (2 * s < t.length && t[2 * s] == 0) {
                    s++;
                }
                return s;
            }

            @Override
            public boolean hasNext() {
                return nullKeyPending || 2 * slot < t.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (nullKeyPending) {
                    nullKeyPending = false;
                    return toRecord.apply(null, (C) nullKeyCombiner);
                }
                if (2 * slot >= t.length) {
                    throw new NoSuchElementException();
                }
                R record = toRecord.apply((K) e[2 * slot], (C) combinerAt(slot));
                slot = nextSlot(slot + 1);
                return record;
            }
        };
    }

    /** Removes every key; the table keeps its capacity, for a caller that refills it at once. */
    public void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(entries, null);
        if (keyBytes != null) {
            keyBytes.clear();
        }
        size = 0;
        hasNullKey = false;
        nullKeyCombiner = null;
    }

    /** Removes every key and gives the table's memory back (for a caller that has released its account). */
    public void clearAndShrink() {
        allocate(INITIAL_CAPACITY);
        keyBytes = null;
        size = 0;
        hasNullKey = false;
        nullKeyCombiner = null;
    }

    /** Spreads the bits of a hash code over the low bits that pick a slot (a multiplicative hash). */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    private void store(int slot, int tag, Object key, Object combiner) {
        int ref = key instanceof String s ? stringKeyBytes().add(s) : 0;
        slots[2 * slot] = (long) tag << 32 | ref;
        entries[2 * slot] = key;
        if (kind == UNDECIDED) {
            decideKind(combiner);
        }
        storeCombiner(slot, combiner);
        added = true;
        if (++size > (mask + 1) >>> 1) {
            grow();
        }
    }

    private StringKeyBytes stringKeyBytes() {
        if (keyBytes == null) {
            keyBytes = new StringKeyBytes();
        }
        return keyBytes;
    }

    private void allocate(int capacity) {
        slots = new long[2 * capacity];
        entries = new Object[2 * capacity];
        mask = capacity - 1;
    }

    /** Picks how combiners are held from the first one stored. */
    private void decideKind(Object combiner) {
        if (combiner instanceof Integer) {
            kind = INTS;
        } else if (combiner instanceof Long) {
            kind = LONGS;
        } else if (combiner instanceof Double) {
            kind = DOUBLES;
        } else {
            kind = OBJECTS;
        }
    }

    /** Stores the combiner of an occupied slot: unboxed if it has the map's kind, else boxes the map for good. */
    private void storeCombiner(int slot, Object combiner) {
        switch (kind) {
            case INTS -> {
                if (combiner instanceof Integer i) {
                    slots[2 * slot + 1] = i;
                    return;
                }
            }
            case LONGS -> {
                if (combiner instanceof Long l) {
                    slots[2 * slot + 1] = l;
                    return;
                }
            }
            case DOUBLES -> {
                if (combiner instanceof Double d) {
                    slots[2 * slot + 1] = Double.doubleToRawLongBits(d);
                    return;
                }
            }
            default -> {
                entries[2 * slot + 1] = combiner;
                return;
            }
        }
        boxAllThenStore(slot, combiner);
    }

    /**
     * Moves every unboxed combiner into {@code entries}, boxed, then stores {@code combiner} (not of
     * the map's kind) at {@code slot}; from now on combiners stay objects.
     */
    private void boxAllThenStore(int slot, Object combiner) {
        long[] t = slots;
        for (int s = 0; 2 * s < t.length; s++) {
            if (t[2 * s] != 0) {
                entries[2 * s + 1] = combinerAt(s);
            }
        }
        kind = OBJECTS;
        entries[2 * slot + 1] = combiner;
    }

    /**
     * Doubles the table; slots keep the full mixed hash (and the rest of their 16 bytes), so no key
     * is asked for its hash again.
     */
    private void grow() {
        long[] oldSlots = slots;
        int oldCapacity = mask + 1;
        if (oldCapacity >= MAX_CAPACITY) {
            throw new IllegalStateException("A combine map cannot hold more than " + (MAX_CAPACITY / 2)
                    + " keys (it has " + size + "); give the shuffle more partitions so that each holds fewer keys");
        }
        Object[] oldEntries = entries;
        allocate(oldCapacity * 2);
        long[] t = slots;
        Object[] e = entries;
        int m = mask;
        for (int i = 0; i < oldCapacity; i++) {
            long found = oldSlots[2 * i];
            if (found != 0) {
                int slot = (int) (found >>> 32) & m;
                while (t[2 * slot] != 0) {
                    slot = (slot + 1) & m;
                }
                t[2 * slot] = found;
                t[2 * slot + 1] = oldSlots[2 * i + 1];
                e[2 * slot] = oldEntries[2 * i];
                e[2 * slot + 1] = oldEntries[2 * i + 1];
            }
        }
    }

    @SuppressWarnings("unchecked")
    private C insertNullKey(Object in, boolean isCombiner) throws Exception {
        C out;
        if (!hasNullKey) {
            out = isCombiner ? (C) in : agg.createCombiner((V) in);
            hasNullKey = true;
            added = true;
        } else {
            C current = (C) nullKeyCombiner;
            out = isCombiner ? agg.mergeCombiners(current, (C) in) : agg.mergeValue(current, (V) in);
            added = false;
        }
        nullKeyCombiner = out;
        return out;
    }
}
