package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The canonical word count, checked against a java.util.stream computation on random text. */
@ExtendWith(LocalContext.class)
class WordCountPipelineTest {

    @Test
    void wordCountMatchesStreamReference(KindlingContext kc) {
        Random random = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = random.nextInt(8); w > 0; w--) {
                line.append("w").append(random.nextInt(50)).append(' ');
            }
            lines.add(line.toString());
        }
        Map<String, Long> expected = lines.stream().flatMap(l -> Arrays.stream(l.split(" ")))
                .filter(w -> !w.isEmpty()).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        Map<String, Long> actual = kc.parallelize(lines, 7)
                .flatMap(l -> Arrays.stream(l.split(" ")).filter(w -> !w.isEmpty()).iterator())
                .mapToPair(w -> Pair.of(w, 1L))
                .reduceByKey(Long::sum, 3)
                .collectAsMap();

        assertEquals(expected, actual);
    }
}
