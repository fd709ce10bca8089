package dev.kindling;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.testing.LocalContext;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: shuffle output was kept until the context closed, so a loop of shuffling jobs over
 * 2M records ran out of a 1 GB heap after about 7 iterations. Output is now freed once the RDD
 * reading it is unreachable.
 */
@ExtendWith(LocalContext.class)
class ShuffleCleanupTest {

    @Test
    void whenShuffledRddsBecomeUnreachable_thenTheirShuffleOutputIsRemoved(KindlingContext kc) throws Exception {
        List<Integer> data = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        RDD<Integer> source = kc.parallelize(data, 4);
        for (int i = 0; i < 10; i++) {
            int mod = 10 + i;
            long keys = source.mapToPair(x -> Pair.of(x % mod, 1)).reduceByKey(Integer::sum).count();
            assertEquals(mod, keys);
        }
        PairRDD<Integer, Integer> kept = source.mapToPair(x -> Pair.of(x % 7, 1)).reduceByKey(Integer::sum);
        assertEquals(7, kept.count());

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ContextInternals.of(kc).shuffleStore().shuffleCount() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(1, ContextInternals.of(kc).shuffleStore().shuffleCount(), "only the shuffle of the RDD still referenced remains");
        // The kept shuffle still serves the next action without recomputation.
        assertEquals(10_000, kept.values().reduce(Integer::sum));
        assertTrue(kept.getNumPartitions() > 0);
    }
}
