package dev.kindling.internal.rdd;

import dev.kindling.internal.scheduler.TaskContextAccess;
import dev.kindling.internal.ContextInternals;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.internal.scheduler.TaskMetric;
import dev.kindling.internal.shuffle.ExternalAggregator;
import dev.kindling.internal.shuffle.RecordCursor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Groups the values of several key/value RDDs by key: for each key, one list of values per parent.
 * A parent already partitioned by an equal partitioner is read narrowly (no shuffle); the others
 * are shuffled. The basis of cogroup and every join.
 */
public final class CoGroupedRDD<K> extends RDD<Pair<K, List<List<Object>>>> {

    private final List<RDD<? extends Pair<K, ?>>> parents;
    private final Partitioner partitioner;
    private final int[] shuffleIds;

    /** Creates the node over {@code parents}, grouped by {@code partitioner}. */
    public CoGroupedRDD(List<RDD<? extends Pair<K, ?>>> parents, Partitioner partitioner) {
        super(parents.get(0).context());
        this.parents = List.copyOf(parents);
        this.partitioner = partitioner;
        this.shuffleIds = new int[parents.size()];
        for (int i = 0; i < parents.size(); i++) {
            shuffleIds[i] = partitioner.equals(parents.get(i).partitioner().orElse(null)) ? -1 : ContextInternals.of(context()).newShuffleId(this);
        }
    }

    @Override
    protected int computeNumPartitions() {
        return partitioner.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        List<Dependency> deps = new ArrayList<>();
        for (int i = 0; i < parents.size(); i++) {
            RDD<? extends Pair<K, ?>> p = parents.get(i);
            if (shuffleIds[i] < 0) {
                deps.add(NarrowDependency.oneToOne(p));
            } else {
                deps.add(new ShuffleDependency(p, shuffleIds[i], partitioner, null, false,
                        r -> ((Pair<?, ?>) r).key(), r -> ((Pair<?, ?>) r).value()));
            }
        }
        return deps;
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return Optional.of(partitioner);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Iterator<Pair<K, List<List<Object>>>> compute(int partition, TaskContext task) throws Exception {
        int n = parents.size();
        ExternalAggregator<K, Tagged, List<Object>[]> groups = new ExternalAggregator<>(new Grouping(n),
                TaskContextAccess.get().env(task).spillSettings(),
                task, "cogroup of " + describe());
        for (int i = 0; i < n; i++) {
            if (shuffleIds[i] < 0) {
                Iterator<? extends Pair<K, ?>> it = parents.get(i).iterator(partition, task);
                while (it.hasNext()) {
                    Pair<K, ?> kv = it.next();
                    groups.insertValue(kv.key(), new Tagged(i, kv.value()));
                }
            } else {
                long fetchStart = System.nanoTime();
                RecordCursor cursor = TaskContextAccess.get().env(task).shuffleReader().read(shuffleIds[i], partition,
                        parents.get(i).numPartitions(), task);
                TaskMetric.SHUFFLE_FETCH_WAIT_NANOS.record(task, System.nanoTime() - fetchStart);
                while (cursor.advance()) {
                    groups.insertValue((K) cursor.key(), new Tagged(i, cursor.value()));
                }
                task.metrics().addShuffleRead(cursor.recordsRead(), cursor.bytesRead());
            }
        }
        Iterator<Pair<K, List<Object>[]>> grouped = groups.result(Pair::new);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return grouped.hasNext();
            }

            @Override
            public Pair<K, List<List<Object>>> next() {
                Pair<K, List<Object>[]> g = grouped.next();
                return new Pair<>(g.key(), List.of(g.value()));
            }
        };
    }

    /** A value tagged with the index of the parent it came from. */
    private record Tagged(int source, Object value) {
    }

    /** Builds one list of values per parent for each key. */
    private static final class Grouping implements Aggregator<Tagged, List<Object>[]> {
        private final int n;

        Grouping(int n) {
            this.n = n;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Object>[] createCombiner(Tagged value) {
            List<Object>[] g = new List[n];
            for (int i = 0; i < n; i++) {
                g[i] = new ArrayList<>(2);
            }
            g[value.source()].add(value.value());
            return g;
        }

        @Override
        public List<Object>[] mergeValue(List<Object>[] combiner, Tagged value) {
            combiner[value.source()].add(value.value());
            return combiner;
        }

        @Override
        public List<Object>[] mergeCombiners(List<Object>[] left, List<Object>[] right) {
            for (int i = 0; i < n; i++) {
                left[i].addAll(right[i]);
            }
            return left;
        }
    }
}
