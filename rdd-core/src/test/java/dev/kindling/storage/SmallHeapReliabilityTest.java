package dev.kindling.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link SmallHeapWorkload} in a separate JVM with a 256 MB heap and a 64 MB Kindling budget:
 * reduceByKey, groupByKey, cogroup and sortByKey over about three times the budget must match the
 * reference, spill, and never throw OutOfMemoryError.
 */
@Tag("slow")
class SmallHeapReliabilityTest {

    @TempDir
    Path tmp;

    @Test
    void shufflesThreeTimesTheBudgetCompleteInASmallHeapWithSpills() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), SmallHeapWorkload.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "workload finished within 5 minutes");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        for (String op : List.of("reduceByKey", "groupByKey", "cogroup", "sortByKey count", "sortByKey order")) {
            assertTrue(output.contains("OK " + op + System.lineSeparator()) || output.contains("OK " + op + "\n"), output);
        }
        long spills = Long.parseLong(output.lines().filter(l -> l.startsWith("SPILLS ")).findFirst().orElseThrow().substring(7));
        assertTrue(spills > 0, output);
        try (var left = Files.list(tmp)) {
            assertEquals(List.of("out.txt"), left.map(f -> f.getFileName().toString()).toList(),
                    "the context deleted its scratch directory");
        }
        System.out.println("small-heap workload: " + output.lines().filter(l -> l.startsWith("SPILLS") || l.startsWith("PEAK"))
                .reduce((a, b) -> a + ", " + b).orElse(""));
    }
}
