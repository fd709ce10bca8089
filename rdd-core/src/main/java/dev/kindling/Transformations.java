package dev.kindling;

import dev.kindling.internal.rdd.Iterators;
import dev.kindling.internal.rdd.MapPartitionsRDD;
import dev.kindling.internal.rdd.Samplers;
import dev.kindling.scheduler.HashPartitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The transformations behind {@link RDD}'s methods that take more than one line: set operations
 * built on key/value shuffles, splits, ids and rebalancing. The public methods (and their
 * documentation) stay on {@link RDD}; closures here capture only what they are given, never an RDD.
 */
final class Transformations {

    private Transformations() {
    }

    static <T> RDD<List<T>> glom(RDD<T> rdd) {
        return new MapPartitionsRDD<T, List<T>>(rdd, (ctx, p, it) -> {
            List<T> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            return List.of(all).iterator();
        }, false);
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

    static <T> PairRDD<T, Long> zipWithUniqueId(RDD<T> rdd) {
        int n = rdd.numPartitions();
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<T, Long>>(rdd, (ctx, p, it) -> {
            long[] k = {0};
            return Iterators.map(it, x -> new Pair<>(x, k[0]++ * n + p));
        }, false));
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

    /** Rebalances with a shuffle: each partition deals its elements round-robin from a seeded start. */
    static <T> RDD<T> coalesceWithShuffle(RDD<T> rdd, int numPartitions) {
        return new PairRDD<>(new MapPartitionsRDD<T, Pair<Integer, T>>(rdd, (ctx, p, it) -> {
            int[] position = {new Random(Integer.reverseBytes(p) * 0x9E3779B9L).nextInt(numPartitions)};
            return Iterators.map(it, x -> new Pair<>(position[0]++, x));
        }, false)).partitionBy(new HashPartitioner(numPartitions)).values();
    }
}
