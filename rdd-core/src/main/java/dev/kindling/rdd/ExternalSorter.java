package dev.kindling.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.memory.ExecutionMemory;
import dev.kindling.storage.memory.SizeTracker;
import dev.kindling.storage.serializer.KryoSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts key/value records by key with bounded memory, for sortByKey and
 * repartitionAndSortWithinPartitions: records are buffered while the execution memory budget
 * allows, then sorted and spilled as a run; the runs are merged with a priority queue. Without
 * spills it is a plain in-memory sort.
 *
 * <p>Confined to one task thread; spill files are deleted when read or when the task ends.
 */
final class ExternalSorter<K, V> {

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

    /** Per record besides key and value: the Pair (24), its ArrayList slot with growth slack, sort scratch. */
    private final SizeTracker tracker = new SizeTracker(32);
    private final List<SpillRun> runs = new ArrayList<>();
    private List<Pair<K, V>> buffer = new ArrayList<>();

    ExternalSorter(Comparator<? super K> ordering, KindlingContext kc, TaskContext task, String what) {
        this.ordering = ordering;
        this.task = task;
        this.memory = new ExecutionMemory(kc.memoryManager(),
                what + " (stage " + task.stageId() + ", partition " + task.partitionId() + ")");
        this.serializer = kc.serializer();
        this.dir = kc.localDir().resolve("spill");
        task.addCompletionListener(this::cleanup);
    }

    void insert(K key, V value) {
        buffer.add(new Pair<>(key, value));
        tracker.add(key, value);
        if ((buffer.size() & 63) == 0) {
            task.checkKilled();
            if (!memory.ensure(tracker.estimate())) {
                spill();
            }
        }
    }

    private void sortBuffer() {
        buffer.sort((a, b) -> ordering.compare(a.key(), b.key()));
    }

    private void spill() {
        sortBuffer();
        runs.add(SpillRun.write(dir, serializer, buffer.iterator()));
        buffer = new ArrayList<>();
        tracker.reset();
        memory.releaseAll();
    }

    /** Number of runs spilled so far. */
    int spills() {
        return runs.size();
    }

    /** The records in key order; call once, after the last insert. */
    @SuppressWarnings("unchecked")
    Iterator<Pair<K, V>> result() {
        if (runs.isEmpty()) {
            sortBuffer();
            return buffer.iterator();
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
            public Pair<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SpillRun r = heads.poll();
                Pair<K, V> out = new Pair<>((K) r.key, (V) r.value);
                if (r.advance()) {
                    heads.add(r);
                }
                return out;
            }
        };
    }

    private void cleanup() {
        runs.forEach(SpillRun::close);
        memory.releaseAll();
    }
}
