package dev.kindling.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The benchmarks' own helpers must be right, or their comparisons mean nothing. */
class BenchmarkHelpersTest {

    private static Map<String, Long> streamWordCount(Path file) throws Exception {
        return Files.readAllLines(file).stream().flatMap(l -> Arrays.stream(l.split("\\s+")))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void handWrittenWordCountSplitsTheFileWithoutLosingOrDoublingLines(@TempDir Path dir) throws Exception {
        Path zipf = ZipfText.generate(dir, 50_000, 500, 3);
        Path edgy = dir.resolve("edgy.txt");
        Files.writeString(edgy, "a b\n\n c  d\na\nlast line without newline");
        for (Path file : List.of(zipf, edgy)) {
            Map<String, Long> expected = streamWordCount(file);
            for (int threads = 1; threads <= 7; threads++) {
                try (HandWrittenContenders.Core core = new HandWrittenContenders.Core(threads)) {
                    assertEquals(expected, core.wordCount(file), threads + " threads over " + file.getFileName());
                }
            }
        }
    }

    @Test
    void zipfTextIsReusedAndItsMostCommonWordIsTheFirstRank(@TempDir Path dir) throws Exception {
        Path a = ZipfText.generate(dir, 100_000, 1000, 5);
        long modified = Files.getLastModifiedTime(a).toMillis();
        Path b = ZipfText.generate(dir, 100_000, 1000, 5);
        assertEquals(a, b);
        assertEquals(modified, Files.getLastModifiedTime(b).toMillis());
        long size = Files.size(a);
        assertTrue(size >= 100_000 && size < 100_000 + 200, "size " + size);
        Map<String, Long> counts = streamWordCount(a);
        String top = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(ZipfText.word(0), top);
        assertEquals(1000, java.util.stream.IntStream.range(0, 1000).mapToObj(ZipfText::word).distinct().count(),
                "every rank has its own word");
    }

    @Test
    void handWrittenLogRegPassMatchesTheKindlingExamplesPass() {
        try (HandWrittenContenders.LogReg hand = new HandWrittenContenders.LogReg(2);
             KindlingContenders.LogReg kindling = new KindlingContenders.LogReg(2, true)) {
            hand.load(5000, 3, 9);
            kindling.load(5000, 3, 9);
            double[] w = {0.1, -0.2, 0.3, 0.05};
            double[] expected = hand.gradientSums(w);
            double[] actual = kindling.gradientSums(w);
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-9 * Math.max(1, Math.abs(expected[j])), "sum " + j);
            }
            assertEquals(5000, actual[5]);
            kindling.unload();
            hand.unload();
        }
    }

    @Test
    void theSvgChartIsWellFormedAndEscapesText() throws Exception {
        List<BenchmarkRunner.Row> rows = List.of(
                new BenchmarkRunner.Row("a <b> & c", "1k", "kindling", 2.5, "ms", ""),
                new BenchmarkRunner.Row("a <b> & c", "1k", "hand-written", 1.25, "ms", ""),
                new BenchmarkRunner.Row("other", "1M", "spark", 0, "s", ""));

        String svg = SvgChart.render("title \"quoted\"", rows);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(4, doc.getElementsByTagName("rect").getLength(), "background plus one bar per row");
        assertTrue(svg.contains("a &lt;b&gt; &amp; c"));
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, BenchmarkRunner.median(new long[] {3, 1, 2}));
        assertEquals(2.5, BenchmarkRunner.median(new long[] {4, 1, 3, 2}));
    }
}
