package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalClusterSmokeTest {
    @Test
    void smoke() {
        try (KindlingContext kc = Kindling.builder().master("local-cluster[2,1,512]").build()) {
            List<Integer> in = IntStream.range(0, 1000).boxed().toList();
            assertEquals(in.stream().map(x -> x * 2).toList(), kc.parallelize(in, 4).map(x -> x * 2).collect());
            var m = kc.parallelize(in, 4).mapToPair(x -> Pair.of(x % 7, x)).reduceByKey(Integer::sum).collectAsMap();
            assertEquals(in.stream().collect(Collectors.groupingBy(x -> x % 7, Collectors.summingInt(x -> x))), m);
        }
    }
}
