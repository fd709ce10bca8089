package dev.kindling;

import dev.kindling.function.DoubleFlatMapFunction;
import dev.kindling.function.DoubleFunction;
import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.FlatMapFunction2;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.function.PairFlatMapFunction;
import dev.kindling.function.PairFunction;
import dev.kindling.internal.rdd.CartesianRDD;
import dev.kindling.internal.rdd.CoalescedRDD;
import dev.kindling.internal.rdd.Iterators;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.Samplers;
import dev.kindling.internal.rdd.UnionRDD;
import dev.kindling.internal.rdd.ZippedPartitionsRDD;
import dev.kindling.internal.rdd.ZippedWithIndexRDD;
import dev.kindling.scheduler.HashPartitioner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The transformations behind the methods of {@link RDDLike}: each builds the lineage node for one
 * operation, after checking that the user's function can be shipped. The public methods (and their
 * documentation) stay on {@link RDDLike}; closures here capture only what they are given, never an
 * RDD or a wrapper, and all references to the internal node classes live here.
 */
final class Transformations {

    private Transformations() {
    }

    static <T, R> RDD<R> map(RDD<T> rdd, Function<T, R> f) {
        rdd.checkClosure(f);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> Iterators.map(it, f), false);
    }

    static <T> RDD<T> filter(RDD<T> rdd, Function<T, Boolean> f) {
        rdd.checkClosure(f);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> Iterators.filter(it, f), true);
    }

    static <T, R> RDD<R> flatMap(RDD<T> rdd, FlatMapFunction<T, R> f) {
        rdd.checkClosure(f);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> Iterators.flatMap(it, f), false);
    }

    static <T, R> RDD<R> mapPartitions(RDD<T> rdd, FlatMapFunction<Iterator<T>, R> f, boolean preserves) {
        rdd.checkClosure(f);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> f.call(it), preserves);
    }

    static <T, R> RDD<R> mapPartitionsWithIndex(RDD<T> rdd, Function2<Integer, Iterator<T>, Iterator<R>> f,
                                                boolean preserves) {
        rdd.checkClosure(f);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> f.call(p, it), preserves);
    }

    static <T, K, V> PairRDD<K, V> mapToPair(RDD<T> rdd, PairFunction<T, K, V> f) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(rdd, (ctx, p, it) -> Iterators.map(it, f), false));
    }

    static <T, K, V> PairRDD<K, V> flatMapToPair(RDD<T> rdd, PairFlatMapFunction<T, K, V> f) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(rdd,
                (ctx, p, it) -> Iterators.flatMap(it, f), false));
    }

    static <T> DoubleRDD mapToDouble(RDD<T> rdd, DoubleFunction<T> f) {
        rdd.checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(rdd, (ctx, p, it) -> Iterators.map(it, f::call), false));
    }

    static <T> DoubleRDD flatMapToDouble(RDD<T> rdd, DoubleFlatMapFunction<T> f) {
        rdd.checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(rdd, (ctx, p, it) -> Iterators.flatMap(it, f::call), false));
    }

    static <T, K, V> PairRDD<K, V> mapPartitionsToPair(RDD<T> rdd, PairFlatMapFunction<Iterator<T>, K, V> f,
                                                       boolean preserves) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, V>>(rdd, (ctx, p, it) -> f.call(it), preserves));
    }

    static <T> DoubleRDD mapPartitionsToDouble(RDD<T> rdd, DoubleFlatMapFunction<Iterator<T>> f, boolean preserves) {
        rdd.checkClosure(f);
        return new DoubleRDD(new MapPartitionsRDD<T, Double>(rdd, (ctx, p, it) -> f.call(it), preserves));
    }

    static <T, K> PairRDD<K, T> keyBy(RDD<T> rdd, Function<T, K> f) {
        rdd.checkClosure(f);
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<K, T>>(rdd,
                (ctx, p, it) -> Iterators.map(it, x -> new Pair<>(f.call(x), x)), false));
    }

    static <T> RDD<List<T>> glom(RDD<T> rdd) {
        return new MapPartitionsRDD<T, List<T>>(rdd, (ctx, p, it) -> {
            List<T> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            return List.of(all).iterator();
        }, false);
    }

    static <T> RDD<T> distinct(RDD<T> rdd, int numPartitions) {
        return rdd.<T, Object>mapToPair(x -> new Pair<>(x, null)).reduceByKey((a, b) -> a, numPartitions).keys();
    }

    static <T> RDD<T> union(RDD<T> rdd, RDD<T> other) {
        return UnionRDD.of(rdd.context(), List.of(rdd, other));
    }

    static <T> RDD<T> intersection(RDD<T> rdd, RDD<T> other, int numPartitions) {
        PairRDD<T, Object> left = rdd.mapToPair(x -> new Pair<>(x, null));
        PairRDD<T, Object> right = other.mapToPair(x -> new Pair<>(x, null));
        return left.cogroup(right, numPartitions)
                .filter(kv -> kv.value().key().iterator().hasNext() && kv.value().value().iterator().hasNext())
                .keys();
    }

    static <T> RDD<T> subtract(RDD<T> rdd, RDD<T> other, int numPartitions) {
        PairRDD<T, Object> left = rdd.mapToPair(x -> new Pair<>(x, null));
        PairRDD<T, Object> right = other.mapToPair(x -> new Pair<>(x, null));
        return left.subtractByKey(right, numPartitions).keys();
    }

    static <T, U> PairRDD<T, U> cartesian(RDD<T> rdd, RDD<U> other) {
        return new PairRDD<>(new CartesianRDD<>(rdd, other));
    }

    static <T, U, R> RDD<R> zipPartitions(RDD<T> rdd, RDD<U> other, FlatMapFunction2<Iterator<T>, Iterator<U>, R> f) {
        rdd.checkClosure(f);
        return new ZippedPartitionsRDD<>(rdd, other, f);
    }

    static <T, U> PairRDD<T, U> zip(RDD<T> rdd, RDD<U> other) {
        // A static helper: an anonymous iterator here would capture an RDD and fail the closure check.
        return new PairRDD<>(zipPartitions(rdd, other, Iterators::zip));
    }

    static <T> PairRDD<T, Long> zipWithIndex(RDD<T> rdd) {
        return new PairRDD<>(new ZippedWithIndexRDD<>(rdd));
    }

    static <T> PairRDD<T, Long> zipWithUniqueId(RDD<T> rdd) {
        int n = rdd.numPartitions();
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<T, Long>>(rdd, (ctx, p, it) -> {
            long[] k = {0};
            return Iterators.map(it, x -> new Pair<>(x, k[0]++ * n + p));
        }, false));
    }

    static <T> RDD<T> sample(RDD<T> rdd, boolean withReplacement, double fraction, long seed) {
        Samplers.checkFraction(withReplacement, fraction);
        return new MapPartitionsRDD<>(rdd, (ctx, p, it) -> Samplers.sample(it, withReplacement, fraction, seed + p), true);
    }

    static <T> List<RDD<T>> randomSplit(RDD<T> rdd, double[] weights, long seed) {
        double[] bounds = Samplers.cumulativeBounds(weights);
        List<RDD<T>> splits = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            double lo = bounds[i];
            double hi = bounds[i + 1];
            splits.add(new MapPartitionsRDD<>(rdd, (ctx, p, it) -> Samplers.cell(it, lo, hi, seed + p), true));
        }
        return splits;
    }

    static <T> RDD<T> coalesce(RDD<T> rdd, int numPartitions, boolean shuffle) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("coalesce needs at least 1 partition (got " + numPartitions + ")");
        }
        return shuffle ? coalesceWithShuffle(rdd, numPartitions) : new CoalescedRDD<>(rdd, numPartitions);
    }

    /** Rebalances with a shuffle: each partition deals its elements round-robin from a seeded start. */
    private static <T> RDD<T> coalesceWithShuffle(RDD<T> rdd, int numPartitions) {
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<Integer, T>>(rdd, (ctx, p, it) -> {
            int[] position = {new Random(Integer.reverseBytes(p) * 0x9E3779B9L).nextInt(numPartitions)};
            return Iterators.map(it, x -> new Pair<>(position[0]++, x));
        }, false)).partitionBy(new HashPartitioner(numPartitions)).values();
    }
}
