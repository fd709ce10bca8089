package dev.kindling;

import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.internal.rdd.FunctionAggregator;
import dev.kindling.internal.rdd.CombinedPartitionsRDD;
import dev.kindling.internal.rdd.Copies;
import dev.kindling.internal.rdd.Iterators;
import dev.kindling.internal.rdd.KeySampling;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.ShuffledRDD;
import dev.kindling.scheduler.Aggregator;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.RangePartitioner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Key/value operations over an RDD of {@link Pair}s: aggregation by key, joins, cogroup, sorting and
 * partitioning. A thin typed view over {@link #rdd()}, like Spark's {@code JavaPairRDD}; every
 * {@link RDD} operation is available directly too (from {@link RDDLike} and {@link RDDActions}),
 * those that keep the element type returning a {@code PairRDD}.
 *
 * <p>Operations that aggregate or join take an optional partition count or {@link Partitioner};
 * without one they use {@link KindlingContext#defaultPartitioner(List)} (Spark's rule: reuse the
 * largest existing partitioner when it is within 10x of the largest input's partition count, or not
 * smaller than {@code kindling.default.parallelism}; else hash into that many partitions when set,
 * else as many as the largest input). When the input is already partitioned the same way, no
 * shuffle happens.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class PairRDD<K, V> implements RDDLike<Pair<K, V>, PairRDD<K, V>> {

    /** Natural order, nulls first: one shared instance, so filterByRange can tell sortByKey() partitioned by it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> NATURAL = Comparator.nullsFirst((Comparator) Comparator.naturalOrder());

    private final RDD<Pair<K, V>> rdd;

    /** Wraps an RDD of pairs. */
    public PairRDD(RDD<Pair<K, V>> rdd) {
        this.rdd = rdd;
    }

    /** The underlying RDD of pairs. */
    @Override
    public RDD<Pair<K, V>> rdd() {
        return rdd;
    }

    /** Wraps an RDD of pairs as a {@link PairRDD}. */
    @Override
    public PairRDD<K, V> wrapRDD(RDD<Pair<K, V>> rdd) {
        return new PairRDD<>(rdd);
    }

    // ---- aggregation by key ----

    /**
     * Generic aggregation by key: {@code createCombiner} turns a key's first value into a combiner,
     * {@code mergeValue} folds in another value, {@code mergeCombiners} merges partial results.
     */
    public <C> PairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
                                          Function2<C, C, C> mergeCombiners, Partitioner partitioner,
                                          boolean mapSideCombine) {
        rdd.checkClosure(createCombiner);
        rdd.checkClosure(mergeValue);
        rdd.checkClosure(mergeCombiners);
        Aggregator<V, C> agg = new FunctionAggregator<>(createCombiner, mergeValue, mergeCombiners);
        if (partitioner.equals(rdd.partitioner().orElse(null))) {
            // Already partitioned this way: combine within each partition, no shuffle.
            return new PairRDD<>(new CombinedPartitionsRDD<>(rdd, agg));
        }
        return new PairRDD<>(new ShuffledRDD<>(rdd, partitioner, agg, mapSideCombine, null));
    }

    /** {@link #combineByKey(Function, Function2, Function2, Partitioner, boolean)} with map-side combining. */
    public <C> PairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
                                          Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
        return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, true);
    }

    /** {@link #combineByKey} into {@code numPartitions} hash partitions. */
    public <C> PairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
                                          Function2<C, C, C> mergeCombiners, int numPartitions) {
        return combineByKey(createCombiner, mergeValue, mergeCombiners, new HashPartitioner(numPartitions));
    }

    /** {@link #combineByKey} with the default partitioner. */
    public <C> PairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
                                          Function2<C, C, C> mergeCombiners) {
        return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitioner());
    }

    /** Merges the values of each key with an associative, commutative {@code f}, combining map-side first. */
    public PairRDD<K, V> reduceByKey(Function2<V, V, V> f, Partitioner partitioner) {
        return combineByKey(v -> v, f, f, partitioner);
    }

    /** {@link #reduceByKey(Function2, Partitioner)} into {@code numPartitions} hash partitions. */
    public PairRDD<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
        return reduceByKey(f, new HashPartitioner(numPartitions));
    }

    /** {@link #reduceByKey(Function2, Partitioner)} with the default partitioner. */
    public PairRDD<K, V> reduceByKey(Function2<V, V, V> f) {
        return reduceByKey(f, defaultPartitioner());
    }

    /**
     * Groups the values of each key (no map-side combining). All values of one key are held in
     * memory together on the reduce side.
     */
    public PairRDD<K, Iterable<V>> groupByKey(Partitioner partitioner) {
        PairRDD<K, ArrayList<V>> grouped = combineByKey(PairOperations::newGroup, PairOperations::addToGroup,
                PairOperations::mergeGroups, partitioner, false);
        return grouped.mapValues(list -> (Iterable<V>) list);
    }

    /** {@link #groupByKey(Partitioner)} into {@code numPartitions} hash partitions. */
    public PairRDD<K, Iterable<V>> groupByKey(int numPartitions) {
        return groupByKey(new HashPartitioner(numPartitions));
    }

    /** {@link #groupByKey(Partitioner)} with the default partitioner. */
    public PairRDD<K, Iterable<V>> groupByKey() {
        return groupByKey(defaultPartitioner());
    }

    /** Aggregates each key's values from its own copy of {@code zero} with {@code seqOp}, merging with {@code combOp}. */
    public <U> PairRDD<K, U> aggregateByKey(U zero, Partitioner partitioner, Function2<U, V, U> seqOp,
                                            Function2<U, U, U> combOp) {
        rdd.checkClosure(seqOp);
        return combineByKey(v -> seqOp.call(Copies.copy(zero), v), seqOp, combOp, partitioner);
    }

    /** {@link #aggregateByKey(Object, Partitioner, Function2, Function2)} into {@code numPartitions} partitions. */
    public <U> PairRDD<K, U> aggregateByKey(U zero, int numPartitions, Function2<U, V, U> seqOp,
                                            Function2<U, U, U> combOp) {
        return aggregateByKey(zero, new HashPartitioner(numPartitions), seqOp, combOp);
    }

    /** {@link #aggregateByKey(Object, Partitioner, Function2, Function2)} with the default partitioner. */
    public <U> PairRDD<K, U> aggregateByKey(U zero, Function2<U, V, U> seqOp, Function2<U, U, U> combOp) {
        return aggregateByKey(zero, defaultPartitioner(), seqOp, combOp);
    }

    /** Folds each key's values from its own copy of {@code zero}. */
    public PairRDD<K, V> foldByKey(V zero, Partitioner partitioner, Function2<V, V, V> f) {
        rdd.checkClosure(f);
        return combineByKey(v -> f.call(Copies.copy(zero), v), f, f, partitioner);
    }

    /** {@link #foldByKey(Object, Partitioner, Function2)} into {@code numPartitions} partitions. */
    public PairRDD<K, V> foldByKey(V zero, int numPartitions, Function2<V, V, V> f) {
        return foldByKey(zero, new HashPartitioner(numPartitions), f);
    }

    /** {@link #foldByKey(Object, Partitioner, Function2)} with the default partitioner. */
    public PairRDD<K, V> foldByKey(V zero, Function2<V, V, V> f) {
        return foldByKey(zero, defaultPartitioner(), f);
    }

    // ---- approximate distinct counts (HyperLogLog; see RDDActions#countApproxDistinct) ----

    /**
     * Each key with the approximate number of its distinct values, as Spark's
     * {@code countApproxDistinctByKey}: a {@code combineByKey} keeping one HyperLogLog sketch per
     * key. {@code relativeSD} as in {@link RDDActions#countApproxDistinct}, checked here, before any job.
     */
    public PairRDD<K, Long> countApproxDistinctByKey(double relativeSD, Partitioner partitioner) {
        return ApproxDistinct.byKey(this, relativeSD, partitioner);
    }

    /** {@link #countApproxDistinctByKey(double, Partitioner)} into {@code numPartitions} hash partitions. */
    public PairRDD<K, Long> countApproxDistinctByKey(double relativeSD, int numPartitions) {
        return ApproxDistinct.byKey(this, relativeSD, new HashPartitioner(numPartitions));
    }

    /** {@link #countApproxDistinctByKey(double, Partitioner)} with the default partitioner. */
    public PairRDD<K, Long> countApproxDistinctByKey(double relativeSD) {
        return ApproxDistinct.byKey(this, relativeSD, defaultPartitioner());
    }

    // ---- per-value transformations ----

    /** Applies {@code f} to each value; keys and the partitioner are kept. */
    public <U> PairRDD<K, U> mapValues(Function<V, U> f) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<Pair<K, V>, Pair<K, U>>(rdd,
                (ctx, p, it) -> Iterators.map(it, kv -> new Pair<>(kv.key(), f.call(kv.value()))), true));
    }

    /** Replaces each value by the values {@code f} returns, under the same key; keeps the partitioner. */
    public <U> PairRDD<K, U> flatMapValues(FlatMapFunction<V, U> f) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<Pair<K, V>, Pair<K, U>>(rdd,
                (ctx, p, it) -> Iterators.flatMap(it, kv -> Iterators.map(f.call(kv.value()), u -> new Pair<>(kv.key(), u))),
                true));
    }

    /** The keys. */
    public RDD<K> keys() {
        return new MapPartitionsRDD<Pair<K, V>, K>(rdd, (ctx, p, it) -> Iterators.map(it, Pair::key), false);
    }

    /** The values. */
    public RDD<V> values() {
        return new MapPartitionsRDD<Pair<K, V>, V>(rdd, (ctx, p, it) -> Iterators.map(it, Pair::value), false);
    }

    // ---- cogroup and joins ----

    /** For each key of either RDD, the values from this one and from {@code other}. */
    public <W> PairRDD<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairRDD<K, W> other, Partitioner partitioner) {
        return PairOperations.cogroup(rdd, other.rdd, partitioner);
    }

    /** {@link #cogroup(PairRDD, Partitioner)} into {@code numPartitions} hash partitions. */
    public <W> PairRDD<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairRDD<K, W> other, int numPartitions) {
        return cogroup(other, new HashPartitioner(numPartitions));
    }

    /** {@link #cogroup(PairRDD, Partitioner)} with the default partitioner. */
    public <W> PairRDD<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairRDD<K, W> other) {
        return cogroup(other, defaultPartitioner(other));
    }

    /** Three-way cogroup: for each key, the values from this RDD and from both others. */
    public <W1, W2> PairRDD<K, Triple<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
            PairRDD<K, W1> other1, PairRDD<K, W2> other2, Partitioner partitioner) {
        return PairOperations.cogroup(rdd, other1.rdd, other2.rdd, partitioner);
    }

    /** Three-way cogroup with the default partitioner. */
    public <W1, W2> PairRDD<K, Triple<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
            PairRDD<K, W1> other1, PairRDD<K, W2> other2) {
        return cogroup(other1, other2, defaultPartitioner(other1, other2));
    }

    /** Spark's alias of {@link #cogroup(PairRDD)}. */
    public <W> PairRDD<K, Pair<Iterable<V>, Iterable<W>>> groupWith(PairRDD<K, W> other) {
        return cogroup(other);
    }

    /** Spark's alias of {@link #cogroup(PairRDD, PairRDD)}. */
    public <W1, W2> PairRDD<K, Triple<Iterable<V>, Iterable<W1>, Iterable<W2>>> groupWith(
            PairRDD<K, W1> other1, PairRDD<K, W2> other2) {
        return cogroup(other1, other2);
    }

    /** Inner join: a pair {@code (v, w)} for every matching value of both sides. */
    public <W> PairRDD<K, Pair<V, W>> join(PairRDD<K, W> other, Partitioner partitioner) {
        return cogroup(other, partitioner).flatMapValues(PairOperations::inner);
    }

    /** Inner join into {@code numPartitions} partitions. */
    public <W> PairRDD<K, Pair<V, W>> join(PairRDD<K, W> other, int numPartitions) {
        return join(other, new HashPartitioner(numPartitions));
    }

    /** Inner join with the default partitioner. */
    public <W> PairRDD<K, Pair<V, W>> join(PairRDD<K, W> other) {
        return join(other, defaultPartitioner(other));
    }

    /** Left outer join: every value of this side, with {@code Optional.empty()} where {@code other} has no match. */
    public <W> PairRDD<K, Pair<V, Optional<W>>> leftOuterJoin(PairRDD<K, W> other, Partitioner partitioner) {
        return cogroup(other, partitioner).flatMapValues(PairOperations::leftOuter);
    }

    /** Left outer join into {@code numPartitions} partitions. */
    public <W> PairRDD<K, Pair<V, Optional<W>>> leftOuterJoin(PairRDD<K, W> other, int numPartitions) {
        return leftOuterJoin(other, new HashPartitioner(numPartitions));
    }

    /** Left outer join with the default partitioner. */
    public <W> PairRDD<K, Pair<V, Optional<W>>> leftOuterJoin(PairRDD<K, W> other) {
        return leftOuterJoin(other, defaultPartitioner(other));
    }

    /** Right outer join: every value of {@code other}, with {@code Optional.empty()} where this side has no match. */
    public <W> PairRDD<K, Pair<Optional<V>, W>> rightOuterJoin(PairRDD<K, W> other, Partitioner partitioner) {
        return cogroup(other, partitioner).flatMapValues(PairOperations::rightOuter);
    }

    /** Right outer join into {@code numPartitions} partitions. */
    public <W> PairRDD<K, Pair<Optional<V>, W>> rightOuterJoin(PairRDD<K, W> other, int numPartitions) {
        return rightOuterJoin(other, new HashPartitioner(numPartitions));
    }

    /** Right outer join with the default partitioner. */
    public <W> PairRDD<K, Pair<Optional<V>, W>> rightOuterJoin(PairRDD<K, W> other) {
        return rightOuterJoin(other, defaultPartitioner(other));
    }

    /** Full outer join: every value of either side, the missing side as {@code Optional.empty()}. */
    public <W> PairRDD<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairRDD<K, W> other, Partitioner partitioner) {
        return cogroup(other, partitioner).flatMapValues(PairOperations::fullOuter);
    }

    /** Full outer join into {@code numPartitions} partitions. */
    public <W> PairRDD<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairRDD<K, W> other, int numPartitions) {
        return fullOuterJoin(other, new HashPartitioner(numPartitions));
    }

    /** Full outer join with the default partitioner. */
    public <W> PairRDD<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairRDD<K, W> other) {
        return fullOuterJoin(other, defaultPartitioner(other));
    }

    /** The pairs whose key does not occur in {@code other}. */
    public <W> PairRDD<K, V> subtractByKey(PairRDD<K, W> other, Partitioner partitioner) {
        return cogroup(other, partitioner).flatMapValues(g -> g.value().iterator().hasNext()
                ? java.util.Collections.emptyIterator() : g.key().iterator());
    }

    /** {@link #subtractByKey(PairRDD, Partitioner)} into {@code numPartitions} partitions. */
    public <W> PairRDD<K, V> subtractByKey(PairRDD<K, W> other, int numPartitions) {
        return subtractByKey(other, new HashPartitioner(numPartitions));
    }

    /** {@link #subtractByKey(PairRDD, Partitioner)} with this RDD's partition count. */
    public <W> PairRDD<K, V> subtractByKey(PairRDD<K, W> other) {
        return subtractByKey(other, rdd.partitioner().orElse(new HashPartitioner(Math.max(1, rdd.numPartitions()))));
    }

    // ---- sorting and partitioning ----

    /** Sorts by key in natural order (nulls first), ascending, keeping the partition count. */
    public PairRDD<K, V> sortByKey() {
        return sortByKey(true);
    }

    /** Sorts by key in natural order (nulls first). */
    public PairRDD<K, V> sortByKey(boolean ascending) {
        return sortByKey(ascending, rdd.numPartitions());
    }

    /** Sorts by key in natural order (nulls first) into {@code numPartitions} range partitions. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public PairRDD<K, V> sortByKey(boolean ascending, int numPartitions) {
        return sortByKey((Comparator<K>) (Comparator) NATURAL, ascending, numPartitions);
    }

    /**
     * Sorts by key with {@code comparator} into {@code numPartitions} range partitions: partition
     * {@code i} holds keys before those of partition {@code i + 1}. The ranges come from a sample of
     * the keys taken when the first job runs.
     */
    public PairRDD<K, V> sortByKey(Comparator<K> comparator, boolean ascending, int numPartitions) {
        rdd.checkClosure(comparator);
        RangePartitioner partitioner = RangePartitioner.lazy(Math.max(1, numPartitions), comparator, ascending,
                () -> KeySampling.sample(rdd, Math.max(1, numPartitions)));
        return new PairRDD<>(new ShuffledRDD<K, V, V>(rdd, partitioner, null, false,
                ascending ? comparator : comparator.reversed()));
    }

    /** Redistributes the pairs by {@code partitioner}; no shuffle if already partitioned that way. */
    public PairRDD<K, V> partitionBy(Partitioner partitioner) {
        if (partitioner.equals(rdd.partitioner().orElse(null))) {
            return this;
        }
        return new PairRDD<>(new ShuffledRDD<K, V, V>(rdd, partitioner, null, false, null));
    }

    /** Redistributes by {@code partitioner} and sorts each partition by key (natural order, nulls first). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public PairRDD<K, V> repartitionAndSortWithinPartitions(Partitioner partitioner) {
        return repartitionAndSortWithinPartitions(partitioner,
                (Comparator<K>) Comparator.nullsFirst((Comparator) Comparator.naturalOrder()));
    }

    /** Redistributes by {@code partitioner} and sorts each partition by key with {@code comparator}. */
    public PairRDD<K, V> repartitionAndSortWithinPartitions(Partitioner partitioner, Comparator<K> comparator) {
        rdd.checkClosure(comparator);
        return new PairRDD<>(new ShuffledRDD<K, V, V>(rdd, partitioner, null, false, comparator));
    }

    // ---- actions ----

    /** The values of {@code key}; scans one partition when the partitioner is known. */
    public List<V> lookup(K key) {
        return PairOperations.lookup(rdd, key);
    }

    /** All pairs as a map; for a repeated key the last pair wins. */
    public Map<K, V> collectAsMap() {
        return PairOperations.collectAsMap(rdd);
    }

    /**
     * Merges the values of each key with {@code f} and returns the result to the driver as a map:
     * each partition is reduced to a map in its task and the maps are merged here, as Spark's
     * {@code reduceByKeyLocally}. As Spark, an RDD without partitions throws
     * {@code UnsupportedOperationException}.
     */
    public Map<K, V> reduceByKeyLocally(Function2<V, V, V> f) {
        return PairOperations.reduceByKeyLocally(rdd, f);
    }

    /**
     * The pairs whose key lies between {@code lower} and {@code upper}, both inclusive, in the keys'
     * natural order (nulls first). As Spark, an RDD range-partitioned in natural order (from
     * {@code sortByKey()}) has only the partitions that can hold the range scanned, and the result
     * has no partitioner; otherwise every partition is scanned and the partitioner kept.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public PairRDD<K, V> filterByRange(K lower, K upper) {
        return filterByRange((Comparator<K>) (Comparator) NATURAL, lower, upper);
    }

    /**
     * The pairs whose key lies between {@code lower} and {@code upper}, both inclusive, in the order of
     * {@code comparator}. When the RDD is range-partitioned by an equal comparator (the same one given
     * to {@code sortByKey}) only the partitions that can hold the range are scanned and the result has
     * no partitioner, as Spark; otherwise every partition is scanned and the partitioner kept.
     */
    public PairRDD<K, V> filterByRange(Comparator<K> comparator, K lower, K upper) {
        return PairOperations.filterByRange(rdd, comparator, lower, upper);
    }

    /**
     * A sample of each key's pairs, as Spark's {@code sampleByKey}: a pair of key {@code k} is kept with
     * probability {@code fractions.get(k)} in [0, 1] (without replacement), or repeated Poisson(fraction)
     * times (with). Reproducible for a {@code seed}; keeps the partitioner; every key needs a fraction.
     */
    public PairRDD<K, V> sampleByKey(boolean withReplacement, Map<K, Double> fractions, long seed) {
        return new PairRDD<>(new StratifiedSampleRDD<>(rdd, withReplacement, fractions, seed, false));
    }

    /** {@link #sampleByKey(boolean, Map, long)} with a random seed. */
    public PairRDD<K, V> sampleByKey(boolean withReplacement, Map<K, Double> fractions) {
        return sampleByKey(withReplacement, fractions, new Random().nextLong());
    }

    /**
     * Like {@link #sampleByKey(boolean, Map, long)}, but each key's sample has exactly
     * {@code ceil(fractions.get(k) * count(k))} pairs, as Spark's {@code sampleByKeyExact}
     * ({@code StratifiedSamplingUtils}). Costs one extra pass over the data without replacement and
     * two with, run before the first job that needs the sample (not at declaration). Exact as long as
     * this RDD yields the same pairs in the same order each time (persist it if it does not).
     */
    public PairRDD<K, V> sampleByKeyExact(boolean withReplacement, Map<K, Double> fractions, long seed) {
        return new PairRDD<>(new StratifiedSampleRDD<>(rdd, withReplacement, fractions, seed, true));
    }

    /** {@link #sampleByKeyExact(boolean, Map, long)} with a random seed. */
    public PairRDD<K, V> sampleByKeyExact(boolean withReplacement, Map<K, Double> fractions) {
        return sampleByKeyExact(withReplacement, fractions, new Random().nextLong());
    }

    /** The number of pairs of each key. */
    public Map<K, Long> countByKey() {
        return mapValues(v -> 1L).reduceByKey(Long::sum).collectAsMap();
    }

    @Override
    public String toString() {
        return rdd.toString();
    }

    // ---- partitioner choice ----

    private Partitioner defaultPartitioner(PairRDD<?, ?>... others) {
        List<RDD<?>> all = new ArrayList<>();
        all.add(rdd);
        for (PairRDD<?, ?> o : others) {
            all.add(o.rdd);
        }
        return rdd.context().defaultPartitioner(all);
    }
}
