package dev.kindling.internal.shuffle;

import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.storage.memory.ExecutionMemory;
import dev.kindling.storage.MemoryLimitExceededException;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.memory.SizeEstimator;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BiFunction;

/**
 * Combines values per key with bounded memory, for the reduce side of combining shuffles and for
 * cogroup (and for combineByKey on an RDD already partitioned that way). Values go into a
 * {@link CombineMap} whose estimated size is accounted as execution memory; when the budget grants
 * no more, its keys and combiners are sorted by key hash in place (two arrays, no record objects)
 * and spilled to a run file. At the end the runs are merged by hash, combining equal keys across runs.
 *
 * <p>Without spills (the common case) no record is serialized. One key's combiner must fit in
 * memory, since merging the runs rebuilds it whole: a growing combiner (a collection of values, as
 * in groupByKey and cogroup) whose estimated size, counted across spills, passes one task's share of
 * the budget ({@code budget / executor threads}) fails the task with a
 * {@link MemoryLimitExceededException} naming the key, the stage and partition, before the heap
 * runs out. Its size is estimated from its element count and the sampled average value size.
 *
 * <p>Confined to one task thread. Spill files are deleted when the result has been read or the
 * task ends, whichever comes first.
 */
public final class ExternalAggregator<K, V, C> {

    private static final Comparator<SpillRun> BY_HASH = Comparator.comparingInt(r -> Objects.hashCode(r.key));

    private final Aggregator<V, C> agg;
    private final TaskContext task;
    private final MemoryManager manager;
    private final ExecutionMemory memory;
    private final KryoSerializer serializer;
    private final Path dir;
    private final String where;
    private final SizeTracker entries = new SizeTracker(CombineMap.OVERHEAD_PER_KEY);
    private final SizeTracker growth = new SizeTracker(4);
    private final List<SpillRun> runs = new ArrayList<>();
    /** Estimated bytes already spilled of each key whose growing combiner was large at a spill. */
    private final Map<Object, Long> spilledLargeKeys = new HashMap<>();
    private final int threads;
    private final long keyLimit;
    /** Sampled estimated bytes per value of growing combiners, and the number of samples. */
    private double elementBytes;
    private long elementSamples;
    private final CombineMap<K, V, C> map;
    private long inserts;

    /**
     * An aggregator for one task attempt, combining with {@code agg} and spilling as {@code settings}
     * say; {@code what} names the operation in errors and memory accounting.
     */
    public ExternalAggregator(Aggregator<V, C> agg, SpillSettings settings, TaskContext task, String what) {
        this.agg = agg;
        this.map = new CombineMap<>(agg);
        this.task = task;
        this.manager = settings.memory();
        this.where = what + " (stage " + task.stageId() + ", partition " + task.partitionId() + ")";
        this.memory = new ExecutionMemory(manager, where);
        this.serializer = settings.serializer();
        this.dir = settings.dir();
        this.threads = settings.taskSlots();
        this.keyLimit = manager.maxBytes() / threads;
        task.addCompletionListener(this::cleanup);
    }

    /** Folds a raw value into its key's combiner. */
    public void insertValue(K key, V value) throws Exception {
        C combiner = map.insertValue(key, value);
        if (map.wasAdded()) {
            entries.add(key, combiner);
        } else {
            if (grows(combiner)) {
                growth.add(value, null);
                sampleElements(value, 1);
                long n = elements(combiner);
                if ((n & 255) == 0) {
                    checkKeySize(key, n);
                }
            }
        }
        afterInsert();
    }

    /** Merges a map-side combiner into its key's combiner. */
    public void insertCombiner(K key, C combiner) throws Exception {
        C merged = map.insertCombiner(key, combiner);
        if (map.wasAdded()) {
            entries.add(key, combiner);
        } else {
            if (grows(merged)) {
                growth.add(combiner, null);
                sampleElements(combiner, elements(combiner));
                checkKeySize(key, elements(merged));
            }
        }
        afterInsert();
    }

    private static boolean grows(Object combiner) {
        return combiner instanceof Collection || combiner instanceof Object[];
    }

    /** Elements of a growing combiner: a collection's size, or the sizes of an array's collections. */
    private static long elements(Object combiner) {
        if (combiner instanceof Collection<?> c) {
            return c.size();
        }
        long n = 0;
        if (combiner instanceof Object[] parts) {
            for (Object p : parts) {
                n += p instanceof Collection<?> c ? c.size() : 1;
            }
        }
        return n;
    }

    /** Samples the size per value of what is merged into a growing combiner (as SizeTracker samples). */
    private void sampleElements(Object merged, long elements) {
        if (elements > 0 && (elementSamples < 32 || (inserts & 63) == 0)) {
            elementBytes += (double) SizeEstimator.estimate(merged) / elements;
            elementSamples++;
        }
    }

    /** Estimated bytes of a growing combiner of {@code elements} values: each value plus its slot. */
    private long combinerBytes(long elements) {
        double perValue = elementSamples == 0 ? 0 : elementBytes / elementSamples;
        return (long) (elements * (perValue + 4));
    }

    /** Fails with a {@link MemoryLimitExceededException} when the key's values, spilled ones included, pass the limit. */
    private void checkKeySize(Object key, long elements) {
        long bytes = combinerBytes(elements);
        if (!spilledLargeKeys.isEmpty()) {
            bytes += spilledLargeKeys.getOrDefault(key, 0L);
        }
        if (bytes > keyLimit) {
            throw tooLarge(key, bytes);
        }
    }

    private MemoryLimitExceededException tooLarge(Object key, long bytes) {
        return new MemoryLimitExceededException("The values of one key (" + abbreviate(key) + ") need about " + bytes
                + " bytes, more than one task's share of the memory budget (" + keyLimit + " bytes: kindling.memory"
                + " budget " + manager.maxBytes() + " / " + threads + " executor "
                + "threads), in " + where + ". Operations that keep all values of a key (groupByKey, cogroup, joins)"
                + " need one key's values to fit in memory; use reduceByKey/aggregateByKey, salt the key, or raise "
                + "kindling.memory.bytes / kindling.memory.fraction or the heap (-Xmx).");
    }

    private void afterInsert() {
        if ((++inserts & 63) == 0) {
            task.checkKilled();
            if (!memory.ensure(entries.estimate() + growth.estimate())) {
                spill();
            }
        }
    }

    private void spill() {
        int n = map.size();
        Object[] keys = new Object[n];
        Object[] combiners = new Object[n];
        int[] hashes = new int[n];
        int[] i = {0};
        map.forEach((key, combiner) -> {
            if (grows(combiner)) {
                long bytes = combinerBytes(elements(combiner));
                if (bytes >= keyLimit / 16) {
                    spilledLargeKeys.merge(key, bytes, Long::sum);
                }
            }
            keys[i[0]] = key;
            combiners[i[0]] = combiner;
            hashes[i[0]++] = Objects.hashCode(key);
        });
        map.clearAndShrink();
        // Any order among equal hashes will do (the merge compares keys within a hash), so not stable.
        it.unimi.dsi.fastutil.Arrays.quickSort(0, n, (a, b) -> Integer.compare(hashes[a], hashes[b]), (a, b) -> {
            swap(keys, a, b);
            swap(combiners, a, b);
            int h = hashes[a];
            hashes[a] = hashes[b];
            hashes[b] = h;
        });
        SpillRun run = SpillRun.write(dir, serializer, keys, combiners, n);
        runs.add(run);
        TaskMetric.MEMORY_BYTES_SPILLED.record(task, entries.estimate() + growth.estimate());
        TaskMetric.DISK_BYTES_SPILLED.record(task, run.bytes());
        entries.reset();
        growth.reset();
        memory.releaseAll();
    }

    /** Number of runs spilled so far. */
    int spills() {
        return runs.size();
    }

    /**
     * The combined records, each made by {@code recordOf} from a key and its combiner; call once,
     * after the last insert.
     */
    public <R> Iterator<R> result(BiFunction<? super K, ? super C, ? extends R> recordOf) {
        if (runs.isEmpty()) {
            Iterator<R> it = map.iterator(recordOf);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more) {
                        memory.releaseAll();
                    }
                    return more;
                }

                @Override
                public R next() {
                    return it.next();
                }
            };
        }
        spill();
        memory.ensure(runs.size() * ExternalSorter.RUN_READ_BYTES);
        return new Merger<>(recordOf);
    }

    private void cleanup() {
        TaskMetric.PEAK_EXECUTION_MEMORY.record(task, memory.peak());
        runs.forEach(SpillRun::close);
        memory.releaseAll();
    }

    /** Merges the hash-sorted runs, combining equal keys. */
    private final class Merger<R> implements Iterator<R> {
        private final BiFunction<? super K, ? super C, ? extends R> recordOf;
        private final PriorityQueue<SpillRun> heads = new PriorityQueue<>(BY_HASH);
        private final List<K> keys = new ArrayList<>();
        private final List<C> combiners = new ArrayList<>();
        private int next;

        Merger(BiFunction<? super K, ? super C, ? extends R> recordOf) {
            this.recordOf = recordOf;
            for (SpillRun r : runs) {
                if (r.advance()) {
                    heads.add(r);
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (next < keys.size()) {
                return true;
            }
            keys.clear();
            combiners.clear();
            next = 0;
            if (heads.isEmpty()) {
                cleanup();
                return false;
            }
            try {
                fillBucket();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw ExternalAggregator.<RuntimeException>sneaky(e);
            }
            return true;
        }

        /** Collects every record with the smallest hash from all runs, combining equal keys. */
        @SuppressWarnings("unchecked")
        private void fillBucket() throws Exception {
            int hash = Objects.hashCode(heads.peek().key);
            List<SpillRun> touched = new ArrayList<>();
            while (!heads.isEmpty() && Objects.hashCode(heads.peek().key) == hash) {
                SpillRun r = heads.poll();
                boolean more = true;
                while (more && Objects.hashCode(r.key) == hash) {
                    add((K) r.key, (C) r.value);
                    more = r.advance();
                }
                if (more) {
                    touched.add(r);
                }
            }
            heads.addAll(touched);
            task.checkKilled();
        }

        private void add(K key, C combiner) throws Exception {
            for (int i = 0; i < keys.size(); i++) {
                if (Objects.equals(keys.get(i), key)) {
                    C merged = agg.mergeCombiners(combiners.get(i), combiner);
                    combiners.set(i, merged);
                    if (grows(merged) && combinerBytes(elements(merged)) > keyLimit) {
                        throw tooLarge(key, combinerBytes(elements(merged)));
                    }
                    return;
                }
            }
            keys.add(key);
            combiners.add(combiner);
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = next++;
            return recordOf.apply(keys.get(i), combiners.get(i));
        }
    }

    /** Throws a merge function's checked exception as it is, so the job keeps the user's exception as cause. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    static void swap(Object[] a, int i, int j) {
        Object t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static String abbreviate(Object key) {
        String s = String.valueOf(key);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
