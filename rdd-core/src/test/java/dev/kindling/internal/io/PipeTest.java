package dev.kindling.internal.io;

import dev.kindling.StreamingCounters;
import dev.kindling.SubprocessFailedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent;
import dev.kindling.scheduler.SchedulerListener;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** rdd.pipe(): Spark's process-per-partition contract, exit codes, environment and Hadoop's reporter protocol. */
@ExtendWith(LocalContext.class)
class PipeTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static List<String> words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "word" + i + (i % 3 == 0 ? " é" : "")).collect(Collectors.toList());
    }

    @Test
    void catReturnsTheElementsInPartitionOrder(KindlingContext kc) {
        List<String> data = words(1000);
        assertEquals(data, kc.parallelize(data, 4).pipe("cat").collect());
    }

    @Test
    void commandStringIsSplitOnWhitespaceAndMatchesAJavaReference(KindlingContext kc) {
        List<String> data = words(200);
        List<String> expected = data.stream().map(s -> s.replace('o', '0')).toList();
        assertEquals(expected, kc.parallelize(data, 3).pipe("  tr   o   0 ").collect());
    }

    @Test
    void everyPartitionRunsItsOwnProcessEvenWhenEmpty(KindlingContext kc) {
        RDD<Integer> rdd = kc.parallelize(List.of(1, 2, 3), 5);
        List<Integer> sizes = rdd.glom().collect().stream().map(List::size).toList();
        List<Integer> counted = rdd.pipe("wc -l").collect().stream().map(s -> Integer.parseInt(s.trim())).toList();
        assertEquals(sizes, counted);
        assertEquals(5, counted.size());
    }

    @Test
    void listFormKeepsArgumentsWithSpacesAndEnvIsAdded(KindlingContext kc) {
        List<String> out = kc.parallelize(List.of("x"), 2)
                .pipe(List.of("sh", "-c", "echo \"$GREETING world\""), Map.of("GREETING", "hello")).collect();
        assertEquals(List.of("hello world", "hello world"), out);
        assertTrue(System.getenv().containsKey("PATH"));
        assertEquals(List.of("yes"), kc.parallelize(List.of("x"), 1)
                .pipe(List.of("sh", "-c", "test -n \"$PATH\" && echo yes")).collect());
    }

    @Test
    void whenTheCommandExitsNonZero_thenTheTaskFailsWithCommandStatusAndStderrTail(KindlingContext kc) throws IOException {
        Path bad = script("bad.sh", "#!/bin/sh\ncat > /dev/null\necho 'first complaint' >&2\necho 'it went wrong' >&2\nexit 3\n");
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> kc.parallelize(words(10), 2).pipe(bad + " --flag").collect());
        SubprocessFailedException cause = findCause(e, SubprocessFailedException.class);
        assertNotNull(cause, "cause chain: " + e);
        assertEquals(3, cause.exitCode());
        assertTrue(cause.getMessage().contains("status 3"), cause.getMessage());
        assertTrue(cause.getMessage().contains(bad + " --flag"), cause.getMessage());
        assertTrue(cause.getMessage().contains("it went wrong") && cause.getMessage().contains("first complaint"),
                cause.getMessage());
    }

    @Test
    void whenTheInputFails_thenThatFailureIsTheCauseNotTheProcessExit(KindlingContext kc) {
        RDD<String> broken = kc.parallelize(words(100), 1).map(w -> {
            if (w.equals("word50")) {
                throw new IllegalStateException("upstream broke at word50");
            }
            return w;
        });
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> broken.pipe(List.of("sh", "-c", "cat; exit 9")).collect());
        assertTrue(String.valueOf(e.getCause()).contains("upstream broke at word50"), String.valueOf(e.getCause()));
    }

    @Test
    void whenTheProgramDoesNotExist_thenTheErrorNamesIt(KindlingContext kc) {
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> kc.parallelize(words(2), 1).pipe("/no/such/program arg").collect());
        assertTrue(String.valueOf(e.getCause()).contains("/no/such/program"), String.valueOf(e.getCause()));
    }

    @Test
    void countersCountOnlySuccessfulAttemptsAndStatusReachesTaskEvents(KindlingContext kc) throws IOException {
        Path marker = dir.resolve("failed-once");
        // Counts every line, reports a status, and fails the first attempt of the partition holding "word7"
        // after it has already reported its counters.
        Path counting = script("count.sh", "#!/bin/sh\n"
                + "n=0; fail=no\n"
                + "while IFS= read -r line; do n=$((n+1)); echo \"reporter:counter:Lines,seen,1\" >&2; echo \"$line\";"
                + " [ \"$line\" = word7 ] && fail=yes; done\n"
                + "echo \"reporter:counter:Bad line\" >&2\n"
                + "echo \"reporter:status:processed $n lines\" >&2\n"
                + "echo \"reporter:counter:Totals, partitions , 1\" >&2\n"
                + "if [ $fail = yes ] && [ ! -e " + marker + " ]; then touch " + marker + "; exit 1; fi\n");
        List<String> statuses = new CopyOnWriteArrayList<>();
        kc.addListener(new SchedulerListener() {
            @Override
            public void onTaskEnd(SchedulerEvent.TaskEnd event) {
                statuses.add(event.status());
            }
        });
        StreamingCounters counters = new StreamingCounters();
        List<String> data = words(40);
        List<String> out = kc.parallelize(data, 4).pipe(counting.toString(), Map.of(), counters).collect();
        assertEquals(data, out);
        assertTrue(Files.exists(marker), "the first attempt must have failed once");
        assertEquals(40, counters.get("Lines", "seen"));
        assertEquals(4, counters.get("Totals", "partitions"));
        assertEquals(5, statuses.size());
        assertTrue(statuses.contains("processed 10 lines"), statuses.toString());
    }

    @Test
    void whenTheTaskEndsBeforeTheOutput_thenTheProcessIsKilled(KindlingContext kc) throws Exception {
        Path pidFile = dir.resolve("pid");
        List<String> first = kc.parallelize(List.of("x"), 1)
                .pipe(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec yes")).take(1);
        assertEquals(List.of("y"), first);
        assertProcessEnds(pidFile);
    }

    @Test
    void whenTheJobIsCancelled_thenTheProcessIsKilled(KindlingContext kc) throws Exception {
        Path pidFile = dir.resolve("pid");
        Thread runner = new Thread(() -> {
            kc.setJobGroup("sleepy", "sleeps");
            try {
                kc.parallelize(List.of("x"), 1).pipe(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 600")).count();
            } catch (RuntimeException expected) {
                // cancelled
            }
        });
        runner.start();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            Thread.sleep(10);
        }
        kc.cancelJobGroup("sleepy");
        runner.join(30_000);
        assertFalse(runner.isAlive());
        assertProcessEnds(pidFile);
    }

    private static void assertProcessEnds(Path pidFile) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Test
    void linesReadInPlaceThroughStartEqualTheInputAndAFailedExitStillThrows(KindlingContext kc) {
        // Lines of many lengths, some longer than the 64 KiB read buffer, so some lie whole in it and some do not.
        List<String> data = IntStream.range(0, 3000).mapToObj(i -> "x".repeat(i % 7 == 0 ? 70_000 + i : i % 50) + i)
                .collect(Collectors.toList());
        List<String> out = kc.parallelize(data, 3).<String>mapPartitions(it -> {
            PipeLines lines = SubprocessPipe.start(List.of("cat"), Map.of(), null, SubprocessPipe.linesOf(it),
                    dev.kindling.scheduler.TaskContext.get(), null, true);
            List<String> got = new java.util.ArrayList<>();
            while (lines.next()) {
                got.add(new String(lines.array(), lines.offset(), lines.length(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return got.iterator();
        }).collect();
        assertEquals(data, out);

        JobFailedException e = assertThrows(JobFailedException.class, () -> kc.parallelize(List.of("a"), 1).<String>mapPartitions(it -> {
            PipeLines lines = SubprocessPipe.start(List.of("sh", "-c", "cat; exit 4"), Map.of(), null, SubprocessPipe.linesOf(it),
                    dev.kindling.scheduler.TaskContext.get(), null, true);
            List<String> got = new java.util.ArrayList<>();
            while (lines.next()) {
                got.add("line");
            }
            return got.iterator();
        }).collect());
        assertTrue(Optional.ofNullable(e.getCause()).map(c -> c instanceof SubprocessFailedException).orElse(false)
                || String.valueOf(e).contains("status 4"), String.valueOf(e));
    }
}
