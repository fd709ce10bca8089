package dev.kindling.rdd;

import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.ShuffleDependency;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.storage.shuffle.RecordCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
            shuffleIds[i] = partitioner.equals(parents.get(i).partitioner().orElse(null)) ? -1 : context().newShuffleId();
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
    protected Iterator<Pair<K, List<List<Object>>>> compute(int partition, TaskContext context) throws Exception {
        int n = parents.size();
        Map<K, List<Object>[]> groups = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (shuffleIds[i] < 0) {
                Iterator<? extends Pair<K, ?>> it = parents.get(i).iterator(partition, context);
                while (it.hasNext()) {
                    Pair<K, ?> kv = it.next();
                    group(groups, kv.key(), n)[i].add(kv.value());
                }
            } else {
                RecordCursor cursor = context().shuffleStore().reader(shuffleIds[i], partition,
                        parents.get(i).numPartitions());
                while (cursor.advance()) {
                    group(groups, (K) cursor.key(), n)[i].add(cursor.value());
                }
                context.metrics().addShuffleRead(cursor.recordsRead(), cursor.recordsRead() * 16);
            }
        }
        List<Pair<K, List<List<Object>>>> out = new ArrayList<>(groups.size());
        for (Map.Entry<K, List<Object>[]> e : groups.entrySet()) {
            out.add(new Pair<>(e.getKey(), List.of(e.getValue())));
        }
        return out.iterator();
    }

    @SuppressWarnings("unchecked")
    private static <K> List<Object>[] group(Map<K, List<Object>[]> groups, K key, int n) {
        List<Object>[] g = groups.get(key);
        if (g == null) {
            g = new List[n];
            for (int i = 0; i < n; i++) {
                g[i] = new ArrayList<>(2);
            }
            groups.put(key, g);
        }
        return g;
    }
}
