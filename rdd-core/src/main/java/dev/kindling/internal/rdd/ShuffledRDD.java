package dev.kindling.internal.rdd;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.ContextInternals;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.shuffle.ExternalAggregator;
import dev.kindling.internal.shuffle.ExternalSorter;
import dev.kindling.internal.shuffle.RecordCursor;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The reduce side of a shuffle: reads this partition's bucket from every map output and, depending
 * on the operation, merges values per key (reduceByKey, combineByKey), sorts by key (sortByKey,
 * repartitionAndSortWithinPartitions) or passes records through (partitionBy).
 *
 * @param <K> key type
 * @param <V> value type of the parent
 * @param <C> combined value type (V when not aggregating)
 */
public final class ShuffledRDD<K, V, C> extends RDD<Pair<K, C>> {

    private final RDD<Pair<K, V>> parent;
    private final Partitioner partitioner;
    private final Aggregator<V, C> aggregator;
    private final boolean mapSideCombine;
    private final Comparator<? super K> keyOrdering;
    private final int shuffleId;

    /**
     * Creates the node.
     *
     * @param aggregator     null for no aggregation (then {@code C} must equal {@code V})
     * @param mapSideCombine combine on the map side before shuffling (needs an aggregator)
     * @param keyOrdering    null for no sorting
     */
    public ShuffledRDD(RDD<Pair<K, V>> parent, Partitioner partitioner, Aggregator<V, C> aggregator,
                       boolean mapSideCombine, Comparator<? super K> keyOrdering) {
        super(parent.context());
        this.parent = parent;
        this.partitioner = partitioner;
        this.aggregator = aggregator;
        this.mapSideCombine = mapSideCombine;
        this.keyOrdering = keyOrdering;
        this.shuffleId = ContextInternals.of(parent.context()).newShuffleId(this);
    }

    @Override
    protected int computeNumPartitions() {
        return partitioner.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(new ShuffleDependency(parent, shuffleId, partitioner, aggregator, mapSideCombine,
                r -> ((Pair<?, ?>) r).key(), r -> ((Pair<?, ?>) r).value()));
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return Optional.of(partitioner);
    }

    /** The shuffle this node reads. */
    public int shuffleId() {
        return shuffleId;
    }

    /** This task attempt's own copy of the combining functions (see {@code TaskClosure}). */
    @SuppressWarnings("unchecked")
    private Aggregator<V, C> aggregatorFor(TaskContext task) {
        ShuffleDependency dep = (ShuffleDependency) dependencies().get(0);
        return (Aggregator<V, C>) (Aggregator<?, ?>) dep.aggregator(task).orElseThrow();
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Iterator<Pair<K, C>> compute(int partition, TaskContext task) throws Exception {
        long fetchStart = System.nanoTime();
        RecordCursor cursor = TaskContextAccess.get().env(task).shuffleReader().read(shuffleId, partition,
                parent.numPartitions(), task);
        TaskMetric.SHUFFLE_FETCH_WAIT_NANOS.record(task, System.nanoTime() - fetchStart);
        if (aggregator != null || keyOrdering != null) {
            // Each loop is a method of its own: the JIT compiles the one that runs hot by itself,
            // instead of one large method holding every loop with the record decoding inlined in each.
            Iterator<Pair<K, C>> out = aggregator != null ? aggregate(cursor, task) : null;
            if (keyOrdering != null) {
                ExternalSorter<K, C> sorter = new ExternalSorter<>(keyOrdering, TaskContextAccess.get().env(task).spillSettings(), task,
                        "sorting shuffle " + shuffleId);
                out = out == null ? sortRecords(cursor, sorter) : sortPairs(out, sorter);
            }
            task.metrics().addShuffleRead(cursor.recordsRead(), cursor.bytesRead());
            return out;
        } else {
            return new Iterator<>() {
                private boolean ready;
                private boolean more;

                @Override
                public boolean hasNext() {
                    if (!ready) {
                        more = cursor.advance();
                        ready = true;
                        if (!more) {
                            task.metrics().addShuffleRead(cursor.recordsRead(), cursor.bytesRead());
                        }
                    }
                    return more;
                }

                @Override
                public Pair<K, C> next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    ready = false;
                    return new Pair<>((K) cursor.key(), (C) cursor.value());
                }
            };
        }
    }
    /** Merges every record of {@code cursor} per key with this attempt's copy of the aggregator. */
    @SuppressWarnings("unchecked")
    private Iterator<Pair<K, C>> aggregate(RecordCursor cursor, TaskContext task) throws Exception {
        // This attempt's copy of the functions, never modifying objects the shuffle store shares.
        BorrowAwareAggregator<V, C> agg = new BorrowAwareAggregator<>(aggregatorFor(task));
        ExternalAggregator<K, V, C> merged = new ExternalAggregator<>(agg, TaskContextAccess.get().env(task).spillSettings(), task,
                "aggregating shuffle " + shuffleId);
        if (mapSideCombine) {
            while (cursor.advance()) {
                merged.insertCombiner((K) cursor.key(), agg.borrow((C) cursor.value()));
            }
        } else {
            while (cursor.advance()) {
                merged.insertValue((K) cursor.key(), (V) cursor.value());
            }
        }
        return merged.result(Pair::new);
    }

    /** Sorts the records of {@code cursor} by key. */
    @SuppressWarnings("unchecked")
    private static <K, C> Iterator<Pair<K, C>> sortRecords(RecordCursor cursor, ExternalSorter<K, C> sorter) {
        while (cursor.advance()) {
            sorter.insert((K) cursor.key(), (C) cursor.value());
        }
        return sorter.result(Pair::new);
    }

    /** Sorts the aggregated pairs {@code in} by key. */
    private static <K, C> Iterator<Pair<K, C>> sortPairs(Iterator<Pair<K, C>> in, ExternalSorter<K, C> sorter) {
        while (in.hasNext()) {
            Pair<K, C> kv = in.next();
            sorter.insert(kv.key(), kv.value());
        }
        return sorter.result(Pair::new);
    }
}
