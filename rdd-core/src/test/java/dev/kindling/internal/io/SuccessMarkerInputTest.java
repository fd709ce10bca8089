package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, data loss: reading an output directory with part files but no {@code _SUCCESS} (its
 * writer was killed during the commit) silently gave a partial result. It now warns, and with
 * {@value KindlingConf#INPUT_REQUIRE_SUCCESS_MARKER}=true fails naming the directory and the key;
 * directories of plain user files are read as before.
 */
class SuccessMarkerInputTest {

    @TempDir
    Path dir;

    /** An output as a writer killed in its commit leaves it: some parts, no _SUCCESS. */
    private Path halfCommitted() throws IOException {
        Path out = Files.createDirectories(dir.resolve("half"));
        Files.writeString(out.resolve("part-00000"), "a\nb\n");
        Files.writeString(out.resolve("part-00001"), "c\n");
        return out;
    }

    private static KindlingContext strict() {
        return Kindling.builder().master("local[2]").config(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER, "true").build();
    }

    /** What {@code read} logged (slf4j-simple writes to System.err). */
    private static String stderrOf(Runnable read) {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            read.run();
        } finally {
            System.setErr(original);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultAnOutputWithoutSuccessIsReadWithAWarningNamingIt() throws IOException {
        Path out = halfCommitted();
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "x\n");
        try (KindlingContext kc = Kindling.builder().master("local[2]").build()) {
            String warned = stderrOf(() -> assertEquals(List.of("a", "b", "c"), kc.textFile(out.toString()).collect()));
            assertTrue(warned.contains("WARN") && warned.contains("Input directory " + out)
                    && warned.contains("no _SUCCESS") && warned.contains(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER + "=true"),
                    warned);
            String silent = stderrOf(() -> assertEquals(List.of("x"), kc.textFile(plain.toString()).collect()));
            assertTrue(!silent.contains("_SUCCESS"), silent);
        }
    }

    @Test
    void whenSuccessIsRequired_thenEveryFileSourceRefusesAnOutputWithoutIt() throws IOException {
        Path out = halfCommitted();
        try (KindlingContext kc = strict()) {
            for (Runnable read : List.<Runnable>of(() -> kc.textFile(out.toString()),
                    () -> kc.textFile(dir.resolve("h*").toString()), () -> kc.wholeTextFiles(out.toString()),
                    () -> kc.binaryFiles(out.toString()), () -> kc.objectFile(out.toString()))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, read::run);
                assertTrue(e.getMessage().contains("Input directory " + out) && e.getMessage().contains("no _SUCCESS")
                        && e.getMessage().contains(KindlingConf.INPUT_REQUIRE_SUCCESS_MARKER + "=false"), e.getMessage());
            }
        }
    }

    @Test
    void whenSuccessIsRequired_thenCompleteOutputsAndPlainDirectoriesAreStillRead() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "x\ny\n");
        try (KindlingContext kc = strict()) {
            Path out = dir.resolve("complete");
            kc.parallelize(List.of("1", "2", "3"), 2).saveAsTextFile(out.toString());
            assertEquals(List.of("1", "2", "3"), kc.textFile(out.toString()).collect());
            assertEquals(List.of("x", "y"), kc.textFile(plain.toString()).collect());
            // Naming the part files themselves is the user's explicit choice.
            Files.delete(out.resolve("_SUCCESS"));
            assertEquals(List.of("1", "2", "3"), kc.textFile(out.resolve("part-*").toString()).collect());
        }
    }
}
