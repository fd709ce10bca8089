package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.testing.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.StringTokenizer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalContext.class)
class WordCountTest {

    @Test
    void countsEqualAStreamReference(KindlingContext kc, @TempDir Path dir) throws Exception {
        Random random = new Random(4);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            StringBuilder line = new StringBuilder(random.nextInt(3) == 0 ? "  " : "");
            int words = random.nextInt(8);
            for (int w = 0; w < words; w++) {
                line.append("w").append((int) Math.pow(random.nextInt(40), 2)).append(random.nextBoolean() ? " " : "\t ");
            }
            lines.add(line.toString());
        }
        Path file = dir.resolve("text.txt");
        Files.write(file, lines);

        Map<String, Long> counts = WordCount.count(kc, file.toString()).collectAsMap();

        Map<String, Long> expected = lines.stream().flatMap(l -> Arrays.stream(l.split("\\s+")))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(expected, counts);
    }

    @Test
    void whenTheInputHasMoreSplitsThanThreads_thenTheCoalescedSharesCountEveryLineOnce(@TempDir Path dir)
            throws Exception {
        // About 45 KB in 4 KB splits: more splits than the 2 threads, so the example coalesces them.
        List<String> lines = new ArrayList<>();
        Random random = new Random(9);
        for (int i = 0; i < 6000; i++) {
            lines.add("k" + random.nextInt(300) + " x" + (i % 7));
        }
        Path file = dir.resolve("many-splits.txt");
        Files.write(file, lines);
        try (KindlingContext small = Kindling.builder().master("local[2]").appName("wordcount-splits")
                .config("kindling.input.splitSize", "4096").build()) {
            assertTrue(small.textFile(file.toString(), 2).getNumPartitions() > 2, "the input has more splits than threads");
            Map<String, Long> counts = WordCount.count(small, file.toString()).collectAsMap();

            Map<String, Long> expected = lines.stream().flatMap(l -> Arrays.stream(l.split(" ")))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(expected, counts);
        }
    }

    @Test
    void wordsOfALineAreItsMaximalNonWhitespaceRuns() {
        for (String line : List.of("", " ", "   ", "a", " a", "a ", "  a  b  ", "a\t\tb", "\u000Bx\fy\r z\n")) {
            List<String> expected = new ArrayList<>();
            StringTokenizer tokens = new StringTokenizer(line, " \t\n\u000B\f\r");
            while (tokens.hasMoreTokens()) {
                expected.add(tokens.nextToken());
            }
            List<String> actual = new ArrayList<>();
            Iterator<String> words = WordCount.words(line);
            words.forEachRemaining(actual::add);
            assertEquals(expected, actual, "words of \"" + line + "\"");
            assertThrows(NoSuchElementException.class, words::next);
        }
    }
}
