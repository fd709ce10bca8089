package dev.kindling.internal.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.SchedulerEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application killed with SIGKILL leaves an {@code .inprogress} log that holds what happened up
 * to about a second before: here a task that started, and never ended, after the last job end (so
 * only the periodic flush can have written it). The reader replays it and says the application did
 * not finish, also when the kill cut the last line in half.
 */
@Tag("slow")
class EventLogCrashTest {

    private static final long GUARD_S = 60; // liveness bound for the child, never a timing assertion

    @TempDir
    Path dir;

    @Test
    void whenTheApplicationIsKilled_thenItsInProgressLogReplaysWhatHappenedAndSaysItDidNotFinish() throws Exception {
        Path events = dir.resolve("events");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrashingApplication.class.getName(), events.toString())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        Path log;
        try {
            String appId = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertNotNull(appId, this::stderr);
            log = events.resolve(appId + EventLogWriter.IN_PROGRESS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_S);
            while (!blockedTaskWritten(log)) {
                assertTrue(System.nanoTime() < deadline, () -> "the started task never reached " + log);
                Thread.sleep(50);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertTrue(child.waitFor(GUARD_S, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        EventLogReader.Replay replay = EventLogReader.read(log);
        assertFalse(replay.finished());
        assertFalse(replay.truncated());
        List<SchedulerEvent> got = replay.events();
        assertEquals(3, got.stream().filter(e -> e instanceof SchedulerEvent.JobStart).count());
        assertEquals(2, got.stream().filter(e -> e instanceof SchedulerEvent.JobEnd j && j.succeeded()).count());
        assertInstanceOf(SchedulerEvent.TaskStart.class, got.get(got.size() - 1));

        // The same log cut in the middle of its last line: the line is dropped, the rest replays.
        byte[] bytes = Files.readAllBytes(log);
        int lastLineStart = lastIndexOf(bytes, bytes.length - 2) + 1;
        Path cut = dir.resolve("cut" + EventLogWriter.IN_PROGRESS);
        Files.write(cut, Arrays.copyOf(bytes, lastLineStart + (bytes.length - lastLineStart) / 2));
        EventLogReader.Replay truncated = EventLogReader.read(cut);
        assertFalse(truncated.finished());
        assertTrue(truncated.truncated());
        assertEquals(EventLogTest.describe(got.subList(0, got.size() - 1)), EventLogTest.describe(truncated.events()));
        assertEquals(replay.application(), truncated.application());
    }

    /** Whether the log holds more task starts than task ends: the never-ending task's start was flushed. */
    private static boolean blockedTaskWritten(Path log) throws java.io.IOException {
        if (!Files.exists(log)) {
            return false;
        }
        String text = Files.readString(log);
        return count(text, "{\"event\":\"TaskStart\"") > count(text, "{\"event\":\"TaskEnd\"")
                && text.endsWith("\n");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int lastIndexOf(byte[] bytes, int from) {
        for (int i = from; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
