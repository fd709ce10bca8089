package dev.kindling;

import dev.kindling.function.Function2;
import dev.kindling.internal.rdd.CoGroupedRDD;
import dev.kindling.internal.rdd.PartitionPruningRDD;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.RangePartitioner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The longer algorithms behind {@link PairRDD}'s methods: cogroup, the per-key cross products of the
 * joins (each a cogroup, as Spark), the groups of {@code groupByKey}, {@code lookup},
 * {@code collectAsMap}, {@code reduceByKeyLocally} and {@code filterByRange}.
 * The public methods and their documentation stay on {@link PairRDD}; the join functions are static
 * so that a shipped closure captures nothing.
 */
final class PairOperations {

    private PairOperations() {
    }

    static <K, V, W> PairRDD<K, Pair<Iterable<V>, Iterable<W>>> cogroup(RDD<Pair<K, V>> rdd, RDD<Pair<K, W>> other,
                                                                    Partitioner partitioner) {
        CoGroupedRDD<K> grouped = new CoGroupedRDD<>(List.of(rdd, other), partitioner);
        return new PairRDD<>(grouped).mapValues(groups -> new Pair<>(cast(groups.get(0)), cast(groups.get(1))));
    }

    static <K, V, W1, W2> PairRDD<K, Triple<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
            RDD<Pair<K, V>> rdd, RDD<Pair<K, W1>> other1, RDD<Pair<K, W2>> other2, Partitioner partitioner) {
        CoGroupedRDD<K> grouped = new CoGroupedRDD<>(List.of(rdd, other1, other2), partitioner);
        return new PairRDD<>(grouped).mapValues(g -> new Triple<>(cast(g.get(0)), cast(g.get(1)), cast(g.get(2))));
    }

    @SuppressWarnings("unchecked")
    private static <X> Iterable<X> cast(List<Object> values) {
        return (Iterable<X>) (Iterable<?>) values;
    }

    static <V> ArrayList<V> newGroup(V v) {
        ArrayList<V> list = new ArrayList<>(2);
        list.add(v);
        return list;
    }

    static <V> ArrayList<V> addToGroup(ArrayList<V> list, V v) {
        list.add(v);
        return list;
    }

    static <V> ArrayList<V> mergeGroups(ArrayList<V> a, ArrayList<V> b) {
        a.addAll(b);
        return a;
    }

    static <K, V> Map<K, V> collectAsMap(RDD<Pair<K, V>> rdd) {
        Map<K, V> map = new HashMap<>();
        for (Pair<K, V> kv : rdd.collect()) {
            map.put(kv.key(), kv.value());
        }
        return map;
    }

    static <V, W> Iterator<Pair<V, W>> inner(Pair<Iterable<V>, Iterable<W>> g) {
        List<Pair<V, W>> out = new ArrayList<>();
        for (V v : g.key()) {
            for (W w : g.value()) {
                out.add(new Pair<>(v, w));
            }
        }
        return out.iterator();
    }

    static <V, W> Iterator<Pair<V, Optional<W>>> leftOuter(Pair<Iterable<V>, Iterable<W>> g) {
        List<Pair<V, Optional<W>>> out = new ArrayList<>();
        for (V v : g.key()) {
            if (!g.value().iterator().hasNext()) {
                out.add(new Pair<>(v, Optional.empty()));
            }
            for (W w : g.value()) {
                out.add(new Pair<>(v, Optional.ofNullable(w)));
            }
        }
        return out.iterator();
    }

    static <V, W> Iterator<Pair<Optional<V>, W>> rightOuter(Pair<Iterable<V>, Iterable<W>> g) {
        List<Pair<Optional<V>, W>> out = new ArrayList<>();
        for (W w : g.value()) {
            if (!g.key().iterator().hasNext()) {
                out.add(new Pair<>(Optional.empty(), w));
            }
            for (V v : g.key()) {
                out.add(new Pair<>(Optional.ofNullable(v), w));
            }
        }
        return out.iterator();
    }

    static <V, W> Iterator<Pair<Optional<V>, Optional<W>>> fullOuter(Pair<Iterable<V>, Iterable<W>> g) {
        List<Pair<Optional<V>, Optional<W>>> out = new ArrayList<>();
        boolean hasV = g.key().iterator().hasNext();
        boolean hasW = g.value().iterator().hasNext();
        if (!hasW) {
            for (V v : g.key()) {
                out.add(new Pair<>(Optional.ofNullable(v), Optional.empty()));
            }
        } else if (!hasV) {
            for (W w : g.value()) {
                out.add(new Pair<>(Optional.empty(), Optional.ofNullable(w)));
            }
        } else {
            for (V v : g.key()) {
                for (W w : g.value()) {
                    out.add(new Pair<>(Optional.ofNullable(v), Optional.ofNullable(w)));
                }
            }
        }
        return out.iterator();
    }

    static <K, V> List<V> lookup(RDD<Pair<K, V>> rdd, K key) {
        Optional<Partitioner> p = rdd.partitioner();
        if (p.isPresent()) {
            try {
                // A sortByKey partitioner learns its bounds here, when no job has used it yet.
                p.get().prepare();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("lookup(" + key + ") on " + rdd + " could not prepare its partitioner "
                        + p.get() + ": " + e, e);
            }
            int partition = p.get().getPartition(key);
            List<List<V>> found = rdd.context().runJob(rdd, (ctx, it) -> {
                List<V> values = new ArrayList<>();
                while (it.hasNext()) {
                    Pair<K, V> kv = it.next();
                    if (Objects.equals(kv.key(), key)) {
                        values.add(kv.value());
                    }
                }
                return values;
            }, new int[] {partition});
            return found.get(0);
        }
        return new PairRDD<>(rdd).filter(kv -> Objects.equals(kv.key(), key)).values().collect();
    }

    static <K, V> Map<K, V> reduceByKeyLocally(RDD<Pair<K, V>> rdd, Function2<V, V, V> f) {
        rdd.checkClosure(f);
        RDD<HashMap<K, V>> maps = rdd.mapPartitions(it -> {
            HashMap<K, V> map = new HashMap<>();
            while (it.hasNext()) {
                Pair<K, V> kv = it.next();
                V old = map.get(kv.key());
                map.put(kv.key(), old == null && !map.containsKey(kv.key()) ? kv.value() : f.call(old, kv.value()));
            }
            return List.of(map).iterator();
        });
        return maps.reduce((a, b) -> {
            for (Map.Entry<K, V> e : b.entrySet()) {
                K key = e.getKey();
                a.put(key, a.containsKey(key) ? f.call(a.get(key), e.getValue()) : e.getValue());
            }
            return a;
        });
    }

    static <K, V> PairRDD<K, V> filterByRange(RDD<Pair<K, V>> rdd, Comparator<K> comparator, K lower, K upper) {
        rdd.checkClosure(comparator);
        RDD<Pair<K, V>> source = rdd;
        if (rdd.partitioner().orElse(null) instanceof RangePartitioner range && range.ordersBy(comparator)) {
            try {
                range.prepare(); // a sortByKey partitioner learns its bounds here, as lookup does
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("filterByRange(" + lower + ", " + upper + ") on " + rdd
                        + " could not prepare its partitioner " + range + ": " + e, e);
            }
            int a = range.getPartition(lower);
            int b = range.getPartition(upper);
            source = new PartitionPruningRDD<>(rdd, Math.min(a, b), Math.abs(a - b) + 1);
        }
        return new PairRDD<>(source.filter(
                kv -> comparator.compare(kv.key(), lower) >= 0 && comparator.compare(kv.key(), upper) <= 0));
    }
}
