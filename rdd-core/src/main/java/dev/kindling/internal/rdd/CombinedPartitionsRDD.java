package dev.kindling.internal.rdd;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.internal.scheduler.TaskClosure;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.ContextInternals;
import dev.kindling.internal.shuffle.ExternalAggregator;
import java.util.List;
import java.util.Optional;

/**
 * combineByKey on an RDD already partitioned by the requested partitioner: each partition's values
 * are combined per key where they are, without a shuffle, in the same spilling
 * {@link ExternalAggregator} as the reduce side of a shuffle. Never modifies the parent's objects
 * (see {@link BorrowAwareAggregator}); keeps the parent's partitioner. Each task attempt combines
 * with its own deserialized copy of the functions (see {@link TaskClosure}).
 *
 * @param <K> key type
 * @param <V> value type
 * @param <C> combiner type
 */
public final class CombinedPartitionsRDD<K, V, C> extends RDD<Pair<K, C>> {

    private final RDD<Pair<K, V>> parent;
    private final TaskClosure<Aggregator<V, C>> aggregator;

    /** Combines each partition of {@code parent} with {@code aggregator}. */
    public CombinedPartitionsRDD(RDD<Pair<K, V>> parent, Aggregator<V, C> aggregator) {
        super(parent.context());
        this.parent = parent;
        this.aggregator = TaskClosure.perJob(aggregator);
    }

    @Override
    protected int computeNumPartitions() {
        return parent.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(NarrowDependency.oneToOne(parent));
    }

    @Override
    protected java.util.Iterator<Pair<K, C>> compute(int partition, TaskContext context) throws Exception {
        ExternalAggregator<K, V, C> combined = new ExternalAggregator<>(
                new BorrowAwareAggregator<>(aggregator.get(context)), TaskContextAccess.get().env(context).spillSettings(), context,
                "combineByKey within partitions of RDD " + parent.id());
        java.util.Iterator<Pair<K, V>> records = parent.iterator(partition, context);
        while (records.hasNext()) {
            Pair<K, V> kv = records.next();
            combined.insertValue(kv.key(), kv.value());
        }
        return combined.result(Pair::new);
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return parent.partitioner();
    }
}
