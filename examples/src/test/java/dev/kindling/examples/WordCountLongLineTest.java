package dev.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Word count keeps memory per line bounded: a generated 50 MB file that is one single line (no
 * newline at all) is counted by a JVM with a 256 MB heap, and the counts equal those kept while
 * writing the file. (Splitting such a line into an array of its ten million words needed about
 * 1 GB of heap.)
 */
@Tag("slow")
class WordCountLongLineTest {

    private static final long BYTES = 50L * 1024 * 1024;
    private static final String[] SEPARATORS = {" ", "\t", "  ", " \t "};

    @TempDir
    Path dir;

    @Test
    void aFiftyMegabyteSingleLineIsCountedWithA256MegabyteHeap() throws Exception {
        Path file = dir.resolve("one-line.txt");
        Map<String, Long> expected = writeSingleLine(file, new Random(50));
        assertTrue(Files.size(file) >= BYTES);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dkindling.master=local[2]",
                "-Dkindling.local.dir=" + dir.resolve("local"), "-cp", System.getProperty("java.class.path"),
                WordCountProbe.class.getName(), file.toString()));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            assertTrue(process.waitFor(240, TimeUnit.SECONDS), "the word count did not finish");
            String stderr = Files.readString(dir.resolve("stderr.txt"));
            assertEquals(0, process.exitValue(), stderr);

            Map<String, Long> counted = new TreeMap<>();
            for (String line : out.get(30, TimeUnit.SECONDS).split("\n")) {
                String[] kv = line.split("\t");
                counted.put(kv[0], Long.parseLong(kv[1]));
            }
            assertEquals(expected, counted);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Writes words from a small vocabulary, separated by runs of spaces and tabs, without a newline; returns their counts. */
    private static Map<String, Long> writeSingleLine(Path file, Random random) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("  ");
            while (written < BYTES) {
                String word = "w" + random.nextInt(500);
                String separator = SEPARATORS[random.nextInt(SEPARATORS.length)];
                w.write(word);
                w.write(separator);
                counts.merge(word, 1L, Long::sum);
                written += word.length() + separator.length();
            }
        }
        return counts;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
