package dev.kindling.internal.shuffle;

import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.storage.memory.ExecutionMemory;
import dev.kindling.internal.storage.memory.SizeTracker;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import it.unimi.dsi.fastutil.ints.IntArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.BiFunction;

/**
 * Sorts key/value records by key with bounded memory, for sortByKey and
 * repartitionAndSortWithinPartitions: records are buffered while the execution memory budget
 * allows in two arrays (keys and values, no object per record), then put in key order (see
 * {@link #sortBuffer}) and spilled as a run; the runs are merged with a priority queue. Without
 * spills it is a plain in-memory sort.
 *
 * <p>Confined to one task thread; spill files are deleted when read or when the task ends.
 */
public final class ExternalSorter<K, V> {

    private final Comparator<? super K> ordering;
    private final TaskContext task;
    private final ExecutionMemory memory;
    private final KryoSerializer serializer;
    private final Path dir;
    /**
     * Memory of reading back one spilled run while merging: its stream buffer and its Kryo input
     * buffer (64 KiB each, see {@link SpillRun}). Accounted so that merging many runs stays in budget.
     */
    static final long RUN_READ_BYTES = 128 * 1024;

    /**
     * Per record besides key and value: its two array slots with growth slack (the buffer arrays
     * double), and the record object it becomes when read out of an unspilled buffer. Kept at the 32 bytes
     * accounted when the buffer held a pair object per record, so the budget's behaviour did not change.
     */
    private final SizeTracker tracker = new SizeTracker(32);
    private final List<SpillRun> runs = new ArrayList<>();
    /** The buffered records: key {@code i} and its value at index {@code i}, the first {@code size} used. */
    private Object[] keys = new Object[16];
    private Object[] values = new Object[16];
    private int size;

    /**
     * A sorter for one task attempt, ordering keys with {@code ordering} and spilling as
     * {@code settings} say; {@code what} names the operation in memory accounting.
     */
    public ExternalSorter(Comparator<? super K> ordering, SpillSettings settings, TaskContext task, String what) {
        this.ordering = ordering;
        this.task = task;
        this.memory = new ExecutionMemory(settings.memory(),
                what + " (stage " + task.stageId() + ", partition " + task.partitionId() + ")");
        this.serializer = settings.serializer();
        this.dir = settings.dir();
        task.addCompletionListener(this::cleanup);
    }

    /** Adds one record. */
    public void insert(K key, V value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
        tracker.add(key, value);
        if ((size & 63) == 0) {
            task.checkKilled();
            if (!memory.ensure(tracker.estimate())) {
                spill();
            }
        }
    }

    /**
     * Sorts the buffer by key, stably (equal keys keep their arrival order): an index permutation is
     * sorted (fastutil's {@code IntArrays.quickSort}, ties broken by arrival index, so the order is
     * stable), then keys and values are laid out in that order. O(n log n) comparisons; an in-place
     * merge sort with a swapper (O(n log^2 n) swaps) was slower and its machine code took half a
     * second of a 2-core machine's compiler time on a word count's first runs.
     */
    @SuppressWarnings("unchecked")
    private void sortBuffer() {
        Object[] k = keys;
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        IntArrays.quickSort(order, 0, size, (a, b) -> {
            int c = ordering.compare((K) k[a], (K) k[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        Object[] sortedKeys = new Object[Math.max(size, 16)];
        Object[] sortedValues = new Object[sortedKeys.length];
        for (int i = 0; i < size; i++) {
            sortedKeys[i] = k[order[i]];
            sortedValues[i] = values[order[i]];
        }
        keys = sortedKeys;
        values = sortedValues;
    }

    private void spill() {
        sortBuffer();
        SpillRun run = SpillRun.write(dir, serializer, keys, values, size);
        runs.add(run);
        TaskMetric.MEMORY_BYTES_SPILLED.record(task, tracker.estimate());
        TaskMetric.DISK_BYTES_SPILLED.record(task, run.bytes());
        keys = new Object[16];
        values = new Object[16];
        size = 0;
        tracker.reset();
        memory.releaseAll();
    }

    /** Number of runs spilled so far. */
    int spills() {
        return runs.size();
    }

    /**
     * The records in key order, each made by {@code recordOf} from a key and its value; call once,
     * after the last insert.
     */
    @SuppressWarnings("unchecked")
    public <R> Iterator<R> result(BiFunction<? super K, ? super V, ? extends R> recordOf) {
        if (runs.isEmpty()) {
            sortBuffer();
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public R next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    R out = recordOf.apply((K) keys[next], (V) values[next]);
                    keys[next] = null;
                    values[next++] = null;
                    return out;
                }
            };
        }
        spill();
        memory.ensure(runs.size() * RUN_READ_BYTES);
        PriorityQueue<SpillRun> heads = new PriorityQueue<>((a, b) -> ordering.compare((K) a.key, (K) b.key));
        for (SpillRun r : runs) {
            if (r.advance()) {
                heads.add(r);
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (heads.isEmpty()) {
                    cleanup();
                    return false;
                }
                return true;
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SpillRun r = heads.poll();
                R out = recordOf.apply((K) r.key, (V) r.value);
                if (r.advance()) {
                    heads.add(r);
                }
                return out;
            }
        };
    }

    private void cleanup() {
        TaskMetric.PEAK_EXECUTION_MEMORY.record(task, memory.peak());
        runs.forEach(SpillRun::close);
        memory.releaseAll();
    }
}
