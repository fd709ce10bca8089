package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code System.exit} called from inside {@code close()} or from a running task does not deadlock
 * with the shutdown hook: the JVM exits with the status asked for and its scratch directory is gone.
 */
@Tag("slow")
class ShutdownHookExitTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"close, 7", "task, 3"})
    void whenSystemExitIsCalledFromAnAwkwardPlace_thenTheJvmExitsAndLeavesNoScratchDirectory(String where, int status)
            throws Exception {
        Path local = dir.resolve("local");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ExitingProgram.class.getName(), local.toString(), where)
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "no exit; log:\n" + log());
            assertEquals(status, process.exitValue(), this::log);
            try (Stream<Path> left = Files.list(local)) {
                List<Path> dirs = left.collect(Collectors.toList());
                assertEquals(List.of(), dirs, this::log);
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log.txt"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
