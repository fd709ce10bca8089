package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.function.SerializableComparator;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: the README's {@code top(10, Comparator.comparing(Pair::value))} was rejected as not
 * serializable, because the JDK's comparing() captures a non-serializable key extractor.
 */
@ExtendWith(LocalContext.class)
class SerializableComparatorTest {

    private static List<Pair<String, Long>> pairs() {
        Random random = new Random(5);
        List<Pair<String, Long>> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add(Pair.of("k" + i, (long) random.nextInt(1000)));
        }
        return out;
    }

    @Test
    void topAndTakeOrderedWithComparingMatchASortedStream(KindlingContext kc) {
        List<Pair<String, Long>> data = pairs();
        Comparator<Pair<String, Long>> byValueThenKey = Comparator.comparing((Pair<String, Long> p) -> p.value())
                .thenComparing(Pair::key);
        SerializableComparator<Pair<String, Long>> ours = SerializableComparator.<Pair<String, Long>, Long>comparing(Pair::value)
                .thenComparing(SerializableComparator.comparing(Pair::key));
        RDD<Pair<String, Long>> rdd = kc.parallelize(data, 4);

        assertEquals(data.stream().sorted(byValueThenKey.reversed()).limit(10).collect(Collectors.toList()),
                rdd.top(10, ours));
        assertEquals(data.stream().sorted(byValueThenKey).limit(7).collect(Collectors.toList()),
                rdd.takeOrdered(7, ours));
        assertEquals(data.stream().max(byValueThenKey).orElseThrow(), rdd.max(ours));
        assertEquals(data.stream().min(byValueThenKey).orElseThrow(), rdd.min(ours.reversed().reversed()));
    }

    @Test
    void whenAJdkComparingComparatorIsPassed_thenTheErrorSuggestsSerializableComparator(KindlingContext kc) {
        RDD<Pair<String, Long>> rdd = kc.parallelize(pairs(), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rdd.top(3, Comparator.comparing(Pair::value)));
        assertTrue(e.getMessage().contains("SerializableComparator.comparing"), e.getMessage());
    }
}
