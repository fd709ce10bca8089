package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.testing.ContextConfiguration;
import dev.kindling.testing.EveryContextConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link PairRDD#countApproxDistinctByKey} where its per-key sketches must leave memory: shuffled
 * through Kryo files ({@code KRYO_SHUFFLE}) and spilled by a 256 KiB budget ({@code SMALL_MEMORY}),
 * with dense sketches (thousands of values per key), against {@code groupingBy} counts.
 */
@EveryContextConfiguration({ContextConfiguration.DEFAULT, ContextConfiguration.SMALL_MEMORY,
        ContextConfiguration.KRYO_SHUFFLE})
class ApproxDistinctConfigurationsTest {

    @Test
    void perKeySketchesSurviveShufflesAndSpills(KindlingContext kc) {
        List<Pair<Integer, String>> data = new ArrayList<>();
        for (int key = 0; key < 12; key++) {
            int values = 500 * (key + 1); // 500 to 6,000 distinct values: dense sketches at relativeSD 0.05
            for (int j = 0; j < values + values / 2; j++) {
                data.add(Pair.of(key, "v" + (j % values)));
            }
        }
        Collections.shuffle(data, new Random(42));
        Map<Integer, Set<String>> exact = data.stream().collect(
                Collectors.groupingBy(Pair::key, Collectors.mapping(Pair::value, Collectors.toSet())));

        Map<Integer, Long> estimates = kc.parallelizePairs(data, 6).countApproxDistinctByKey(0.05, 4).collectAsMap();

        assertEquals(exact.keySet(), estimates.keySet());
        for (Map.Entry<Integer, Long> e : estimates.entrySet()) {
            long truth = exact.get(e.getKey()).size();
            assertTrue(Math.abs(e.getValue() - truth) <= 4 * 0.05 * truth,
                    "key " + e.getKey() + ": estimate " + e.getValue() + " of " + truth);
        }
        long total = data.stream().map(Pair::value).distinct().count();
        long estimate = kc.parallelizePairs(data, 6).values().countApproxDistinct(0.05);
        assertTrue(Math.abs(estimate - total) <= 4 * 0.05 * total, estimate + " of " + total);
    }
}
