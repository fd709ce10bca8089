package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.testing.MarkedProcesses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the streaming runner kills a mapper or reducer that is idle for longer than
 * {@code mapreduce.task.timeout} (Hadoop's "failed to report status for N seconds. Killing!"),
 * with every process it started, and a mapper that exits non-zero while a child still runs fails
 * its attempt at once; stderr lines keep a slow command alive.
 */
class StreamingTaskTimeoutTest {

    @TempDir
    Path dir;
    private final MarkedProcesses marked = new MarkedProcesses();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void killLeftovers() {
        marked.close();
    }

    private int streaming(String... args) {
        List<String> all = new ArrayList<>(List.of("-D", "kindling.master=local[2]", "-D", "mapreduce.map.maxattempts=1",
                "-D", "mapreduce.reduce.maxattempts=1"));
        all.addAll(Arrays.asList(args));
        return StreamingJob.run(all.toArray(new String[0]), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** A script whose name carries the marker, so it and its children are all counted. */
    private Path script(String kind, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(kind + "-" + marked.marker() + ".sh"), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path input() throws IOException {
        return Files.writeString(dir.resolve("in.txt"), "b\t2\na\t1\nc\t3\n");
    }

    @Test
    void whenAMapperOrReducerIsIdleLongerThanTheTaskTimeout_thenItIsKilledWithItsChildrenAndTheJobFails() throws Exception {
        String m = marked.marker();
        Path hang = script("hang", "cat > /dev/null\nsleep " + m + " | tr " + m + " " + m + "\n");
        for (String[] roles : List.of(new String[] {"-mapper", hang.toString(), "-reducer", "cat"},
                new String[] {"-mapper", "cat", "-reducer", hang.toString()})) {
            Path out = dir.resolve("out" + roles[0]);
            log.reset();
            List<String> args = new ArrayList<>(List.of("-D", "mapreduce.task.timeout=1500", "-input", input().toString(),
                    "-output", out.toString()));
            args.addAll(Arrays.asList(roles));
            assertEquals(1, streaming(args.toArray(new String[0])), log());
            assertTrue(log().contains("timed out after 1500 ms") && log().contains("failed to report status for 1 seconds")
                    && log().contains("mapreduce.task.timeout"), log());
            assertFalse(Files.exists(out));
            marked.assertNoneLeft();
        }
    }

    @Test
    void whenACommandWritesToStderrMoreOftenThanTheTimeout_thenItRunsToTheEnd() throws Exception {
        // 2.5 s of work, but a status line every 0.1 s: never 1.5 s without one.
        Path slow = script("slow", "i=0\nwhile [ $i -lt 25 ]; do echo \"reporter:status:working $i\" >&2; sleep 0.1;"
                + " i=$((i+1)); done\nexec cat\n");
        Path out = dir.resolve("slow-out");
        assertEquals(0, streaming("-D", "mapreduce.task.timeout=1500", "-input", input().toString(), "-output", out.toString(),
                "-mapper", slow.toString(), "-reducer", "cat"), log());
        assertEquals("a\t1\nb\t2\nc\t3\n", Files.readString(out.resolve("part-00000")));
        marked.assertNoneLeft();
    }

    @Test
    void whenAMapperExitsNonZeroWhileItsChildStillRuns_thenTheJobFailsAtOnceAndNothingIsLeft() throws Exception {
        Path out = dir.resolve("failed");
        // No timeout: before issue 10 this job waited for the background sleep to close stdout.
        assertEquals(1, streaming("-D", "mapreduce.task.timeout=0", "-input", input().toString(), "-output", out.toString(),
                "-mapper", "sh -c 'sleep " + marked.marker() + " & exit 3'", "-reducer", "cat"), log());
        assertTrue(log().contains("subprocess failed with code 3"), log());
        assertFalse(Files.exists(out));
        marked.assertNoneLeft();
    }

    @Test
    void invalidTimeoutsAreAConfigurationError() {
        assertEquals(StreamingException.INVALID_CONFIG, streaming("-D", "mapreduce.task.timeout=-5", "-input",
                dir.toString(), "-output", dir.resolve("never").toString()));
        assertTrue(log().contains("mapreduce.task.timeout must be 0 (no limit) or a positive number of milliseconds"), log());
        assertEquals(StreamingException.INVALID_CONFIG, streaming("-D", "mapred.task.timeout=soon", "-input",
                dir.toString(), "-output", dir.resolve("never").toString()));
        assertTrue(log().contains("mapred.task.timeout must be"), log());
    }
}
