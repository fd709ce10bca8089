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
 *   slots:   long[6 + 4 * capacity]  four longs per slot (after 6 unused ones, so that each slot of a
 *                                    large table, which G1 places at a region's start, lies in one
 *                                    64-byte line): the head (0 = empty slot, else the tag in the high
 *                                    32 bits: the key's mixed hash with the top bit set; in the low
 *                                    32 bits 1 + the length of a string key held inline, or 0), the
 *                                    bits of an unboxed combiner (see below), and two longs holding
 *                                    an inline key's characters
 *   entries: Object[2 * capacity]    key at 2i (null for a key held inline), boxed combiner at 2i + 1;
 *                                    made only when a key is not held inline or combiners are boxed
 * </pre>
 * A lookup compares the cached tags first and confirms a key only when its tag matches: a probe
 * past other keys reads one {@code long} each instead of dereferencing each key. That probe cost
 * was 57% of a word count's CPU samples with the general-purpose map this replaces (fastutil's
 * {@code Object2ObjectOpenHashMap}, which calls {@code equals} on every probed key).
 *
 * <h2>Short string keys inline</h2>
 * A string key of at most {@value InlineKeys#MAX_CHARS} characters, all Latin-1 (words, codes,
 * most identifiers), is held inline, not as an object: its characters one per byte in the slot's
 * last two longs, its length in the head (see {@link InlineKeys} for the encoding and why). A
 * lookup packs the probe's characters the same way and compares three longs within one cache
 * line; other keys are confirmed with {@code equals}. {@link #forEach} and {@link #iterator} hand
 * out a new, equal {@code String} for such a key, so a table of them with unboxed combiners is one
 * {@code long[]} referencing no object.
 *
 * <h2>Unboxed combiners</h2>
 * While every combiner is an {@link Integer}, every one a {@link Long} or every one a
 * {@link Double} (sums, counts, maxima: the common reductions), the map holds them unboxed (their
 * bits beside the tag, in the slot a probe has just read) and boxes a combiner
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
     * accounting: 40 per slot (32 in {@code slots}, 8 in {@code entries} once it is made), 2 to 4 slots per key (the
     * load is between a quarter and a half).
     */
    static final long OVERHEAD_PER_KEY = 120;

    private static final int INITIAL_CAPACITY = 64;
    /** Index of slot 0's head in {@code slots}: 16 header bytes + 6 longs = 64. */
    private static final int BASE = 6;
    /** Longs per slot in {@code slots}: head, combiner bits, two longs of inline characters. */
    private static final int SLOT_LONGS = 4;
    /** The largest table: {@code slots} then has 2^30 elements, near the JVM's array limit. */
    private static final int MAX_CAPACITY = 1 << 28;
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
    /**
     * What {@link #find} computed for its key, for {@link #store} to write if the key is new: the
     * head and the inline characters.
     */
    private long probeHead;
    private long probeChars0;
    private long probeChars1;
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
        int slot = find(key);
        if (slot < 0) {
            C created = agg.createCombiner(value);
            store(~slot, key, created);
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
        int slot = find(key);
        if (slot < 0) {
            store(~slot, key, agg.createCombiner(value));
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
        int slot = find(key);
        if (slot < 0) {
            store(~slot, key, combiner);
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
        int slot = find(key);
        return slot < 0 ? null : (C) combinerAt(slot);
    }

    /**
     * The slot holding {@code key} (not null), or {@code ~slot} of the empty slot where it would go;
     * leaves the key's head and inline characters for {@link #store}.
     */
    private int find(Object key) {
        if (key instanceof String s) {
            int length = s.length();
            if (length <= InlineKeys.MAX_CHARS) {
                long chars0 = 0;
                long chars1 = 0;
                int all = 0;
                int first = Math.min(length, 8);
                for (int i = 0; i < first; i++) {
                    char c = s.charAt(i);
                    all |= c;
                    chars0 |= (long) c << (i << 3);
                }
                for (int i = 8; i < length; i++) {
                    char c = s.charAt(i);
                    all |= c;
                    chars1 |= (long) c << ((i - 8) << 3);
                }
                if (all <= 0xFF) {
                    return findInline(length, chars0, chars1);
                }
            }
        }
        return findEqual(key);
    }

    /** {@link #find} for a string key held inline: its length and its characters, a byte each. */
    private int findInline(int length, long chars0, long chars1) {
        int hash = InlineKeys.hash(chars0, chars1);
        long head = (long) (hash | PRESENT) << 32 | InlineKeys.lengthBits(length);
        probeHead = head;
        probeChars0 = chars0;
        probeChars1 = chars1;
        long[] t = slots;
        int m = mask;
        for (int slot = hash & m; ; slot = (slot + 1) & m) {
            int at = headAt(slot);
            long found = t[at];
            if (found == head && t[at + 2] == chars0 && t[at + 3] == chars1) {
                return slot;
            }
            if (found == 0) {
                return ~slot;
            }
        }
    }

    /** {@link #find} for any other key: by its hash code, confirmed with {@code equals}. */
    private int findEqual(Object key) {
        int hash = mix(key.hashCode());
        int tag = hash | PRESENT;
        probeHead = (long) tag << 32;
        probeChars0 = 0;
        probeChars1 = 0;
        long[] t = slots;
        Object[] e = entries;
        int m = mask;
        for (int slot = hash & m; ; slot = (slot + 1) & m) {
            long found = t[headAt(slot)];
            if (found == 0) {
                return ~slot;
            }
            if ((int) (found >>> 32) == tag && !InlineKeys.isInline(found)) { // an inline key never equals this one
                Object k = e[2 * slot];
                if (k == key || key.equals(k)) {
                    return slot;
                }
            }
        }
    }

    /**
     * Merges {@code in} (a value, or a combiner if {@code isCombiner}) into the combiner at an
     * occupied {@code slot}, boxing the current combiner for the aggregator by the map's kind. A
     * small int or long gets its cached box (nothing allocated); a larger one a {@link FreshBoxes}
     * box, which the JIT replaces by the number when the aggregator's function is inlined (a box
     * from {@code valueOf}, either cached or new, it keeps: 16 bytes a merge). Each kind has its
     * own case, rather than boxing through
     * {@link #combinerAt} and storing through {@link #storeCombiner}: written that way the result's
     * box was kept too (Integer 21% of the word count's sampled allocation, against 12%).
     */
    private void merge(int slot, Object in, boolean isCombiner) throws Exception {
        long[] t = slots;
        int at = bitsAt(slot);
        switch (kind) {
            case INTS -> {
                int current = (int) t[at];
                Object merged = current >= -128 && current <= 127
                        ? apply(Integer.valueOf(current), in, isCombiner) // a cached box: nothing allocated
                        : apply(FreshBoxes.ofInt(current), in, isCombiner);
                if (merged instanceof Integer i) {
                    t[at] = i;
                } else {
                    boxAllThenStore(slot, merged);
                }
            }
            case LONGS -> {
                long current = t[at];
                Object merged = current >= -128 && current <= 127
                        ? apply(Long.valueOf(current), in, isCombiner)
                        : apply(FreshBoxes.ofLong(current), in, isCombiner);
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
            case INTS -> Integer.valueOf((int) slots[bitsAt(slot)]);
            case LONGS -> Long.valueOf(slots[bitsAt(slot)]);
            case DOUBLES -> Double.valueOf(Double.longBitsToDouble(slots[bitsAt(slot)]));
            default -> entries[2 * slot + 1];
        };
    }

    /** The key at an occupied {@code slot}: a new string for a key held inline, else the stored key. */
    private Object keyAt(int slot) {
        long[] t = slots;
        int at = headAt(slot);
        long head = t[at];
        return InlineKeys.isInline(head) ? InlineKeys.toString(head, t[at + 2], t[at + 3]) : entries[2 * slot];
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
        for (int slot = 0; slot <= mask; slot++) {
            if (t[headAt(slot)] != 0) {
                action.accept((K) keyAt(slot), (C) combinerAt(slot));
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
            private final int end = mask;
            private boolean nullKeyPending = hasNullKey;
            private int slot = nextSlot(0);

            private int nextSlot(int from) {
                int s = from;
                while (s <= end && t[headAt(s)] == 0) {
                    s++;
                }
                return s;
            }

            @Override
            public boolean hasNext() {
                return nullKeyPending || slot <= end;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (nullKeyPending) {
                    nullKeyPending = false;
                    return toRecord.apply(null, (C) nullKeyCombiner);
                }
                if (slot > end) {
                    throw new NoSuchElementException();
                }
                R record = toRecord.apply((K) keyAt(slot), (C) combinerAt(slot));
                slot = nextSlot(slot + 1);
                return record;
            }
        };
    }

    /** Removes every key; the table keeps its capacity, for a caller that refills it at once. */
    public void clear() {
        Arrays.fill(slots, 0);
        if (entries != null) {
            Arrays.fill(entries, null);
        }
        size = 0;
        hasNullKey = false;
        nullKeyCombiner = null;
    }

    /** Removes every key and gives the table's memory back (for a caller that has released its account). */
    public void clearAndShrink() {
        allocate(INITIAL_CAPACITY);
        size = 0;
        hasNullKey = false;
        nullKeyCombiner = null;
    }

    /** Spreads the bits of a hash code over the low bits that pick a slot (a multiplicative hash). */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    /** Puts {@code key}, which {@link #find} has just looked up and not found, in the empty {@code slot}. */
    private void store(int slot, Object key, Object combiner) {
        long[] t = slots;
        int at = headAt(slot);
        t[at] = probeHead;
        t[at + 2] = probeChars0;
        t[at + 3] = probeChars1;
        if (!InlineKeys.isInline(probeHead)) {
            entries()[2 * slot] = key;
        }
        if (kind == UNDECIDED) {
            decideKind(combiner);
        }
        storeCombiner(slot, combiner);
        added = true;
        if (++size > (mask + 1) >>> 1) {
            grow();
        }
    }

    /** Index in {@code slots} of {@code slot}'s head; its combiner bits and characters follow it. */
    private static int headAt(int slot) {
        return BASE + SLOT_LONGS * slot;
    }

    /** Index in {@code slots} of {@code slot}'s unboxed combiner bits. */
    private static int bitsAt(int slot) {
        return headAt(slot) + 1;
    }

    private void allocate(int capacity) {
        slots = new long[headAt(capacity)];
        entries = null;
        mask = capacity - 1;
    }

    /** {@code entries}, made on first use (a key not held inline, or combiners boxed). */
    private Object[] entries() {
        if (entries == null) {
            entries = new Object[2 * (mask + 1)];
        }
        return entries;
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
                    slots[bitsAt(slot)] = i;
                    return;
                }
            }
            case LONGS -> {
                if (combiner instanceof Long l) {
                    slots[bitsAt(slot)] = l;
                    return;
                }
            }
            case DOUBLES -> {
                if (combiner instanceof Double d) {
                    slots[bitsAt(slot)] = Double.doubleToRawLongBits(d);
                    return;
                }
            }
            default -> {
                entries()[2 * slot + 1] = combiner;
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
        Object[] e = entries();
        for (int s = 0; s <= mask; s++) {
            if (t[headAt(s)] != 0) {
                e[2 * s + 1] = combinerAt(s);
            }
        }
        kind = OBJECTS;
        e[2 * slot + 1] = combiner;
    }

    /**
     * Doubles the table; slots keep the full mixed hash (and the rest of their 32 bytes), so no key
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
        Object[] e = oldEntries == null ? null : entries();
        int m = mask;
        for (int i = 0; i < oldCapacity; i++) {
            long found = oldSlots[headAt(i)];
            if (found != 0) {
                int slot = (int) (found >>> 32) & m;
                while (t[headAt(slot)] != 0) {
                    slot = (slot + 1) & m;
                }
                System.arraycopy(oldSlots, headAt(i), t, headAt(slot), SLOT_LONGS);
                if (e != null) {
                    e[2 * slot] = oldEntries[2 * i];
                    e[2 * slot + 1] = oldEntries[2 * i + 1];
                }
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
