package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression: {@code treeAggregate} used a non-neutral zero value fewer times than Spark (P + 1
 * without a tree level, and not at all on the levels), so ported programs got other answers.
 * Spark folds each partition from the zero, runs each level as {@code foldByKey(zero)} and ends
 * with {@code fold(zero)}: the zero counts 2P + 1 times plus once per key per level.
 */
@ExtendWith(LocalContext.class)
class TreeAggregateZeroTest {

    @ParameterizedTest(name = "{0} partitions, depth {1}")
    @CsvSource({"1, 2", "3, 2", "8, 2", "16, 2", "64, 2", "64, 3", "10, 1", "100, 4"})
    void aNonNeutralZeroCountsAsInSpark(int partitions, int depth, KindlingContext kc) {
        List<Long> data = IntStream.rangeClosed(1, 500).mapToObj(i -> (long) i).collect(Collectors.toList());
        RDD<Long> rdd = kc.parallelize(data, partitions);
        long zero = 1_000_000L;

        long result = rdd.treeAggregate(zero, (acc, x) -> acc + x, Long::sum, depth);

        long sum = data.stream().mapToLong(Long::longValue).sum();
        assertEquals(sum + zero * sparkZeroUses(partitions, depth), result);
    }

    /** 2P + 1, plus the key count of each intermediate level (Spark's loop, written out). */
    private static long sparkZeroUses(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        long uses = 2L * partitions + 1;
        int n = partitions;
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            uses += n;
        }
        return uses;
    }
}
