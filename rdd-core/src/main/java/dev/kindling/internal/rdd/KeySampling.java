package dev.kindling.internal.rdd;

import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.RangePartitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Samples the keys of a pair RDD so that {@code sortByKey} can choose the bounds of its range
 * partitions.
 *
 * <p>One job runs over every input partition; each task keeps a uniform reservoir of keys and
 * weights every kept key by how many keys it stands for ({@code seen / kept}), so partitions of
 * different sizes are represented fairly. The random seed depends only on the partition id, so a
 * retried task draws the same sample.
 */
public final class KeySampling {
    private KeySampling() {
    }

    /**
     * Draws a weighted sample of the keys of {@code rdd} sized for {@code outputPartitions} range
     * partitions (about 20 keys per output partition, at most a million, spread over the input
     * partitions with threefold oversampling). Runs one job on the RDD's context.
     *
     * @param rdd the pair RDD whose keys to sample
     * @param outputPartitions how many range partitions the sample will be cut into (at least 1)
     * @return the sampled keys with their weights, in no particular order
     */
    public static <K, V> List<RangePartitioner.WeightedKey> sample(RDD<Pair<K, V>> rdd, int outputPartitions) {
        int inputPartitions = Math.max(1, rdd.numPartitions());
        int total = (int) Math.min(20L * outputPartitions, 1_000_000L);
        int perPartition = (int) Math.ceil(3.0 * total / inputPartitions);
        List<List<RangePartitioner.WeightedKey>> parts = rdd.context().runJob(rdd, (ctx, it) -> {
            Random random = new Random(ctx.partitionId() * 0x9E3779B97F4A7C15L + 42);
            List<Object> reservoir = new ArrayList<>(perPartition);
            long seen = 0;
            while (it.hasNext()) {
                Object key = it.next().key();
                seen++;
                if (reservoir.size() < perPartition) {
                    reservoir.add(key);
                } else {
                    long j = (long) (random.nextDouble() * seen);
                    if (j < perPartition) {
                        reservoir.set((int) j, key);
                    }
                }
            }
            double weight = reservoir.isEmpty() ? 0 : (double) seen / reservoir.size();
            List<RangePartitioner.WeightedKey> out = new ArrayList<>(reservoir.size());
            for (Object k : reservoir) {
                out.add(new RangePartitioner.WeightedKey(k, weight));
            }
            return out;
        });
        List<RangePartitioner.WeightedKey> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }
}
