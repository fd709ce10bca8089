package dev.kindling.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingConf;
import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.TaskContext;
import dev.kindling.testing.LocalContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** saveAsTextFile's commit protocol (Hadoop FileOutputCommitter, algorithm 1) under success, retries and failure. */
@ExtendWith(LocalContext.class)
class TextOutputTest {

    @TempDir
    Path dir;

    private static List<String> listing(Path out) throws IOException {
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> !p.equals(out)).map(p -> out.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> data(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line " + i + " é").collect(Collectors.toList());
    }

    @Test
    void writesOnePartFilePerPartitionIncludingEmptyOnesAndSuccessMarker(KindlingContext kc) throws IOException {
        Path out = dir.resolve("out");
        List<String> lines = data(10);
        kc.parallelize(lines, 12).saveAsTextFile(out.toString());
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            expected.add(String.format("part-%05d", p));
        }
        expected.add("_SUCCESS");
        expected.sort(null);
        assertEquals(expected, listing(out));
        assertEquals(0, Files.size(out.resolve("_SUCCESS")));
        StringBuilder all = new StringBuilder();
        for (int p = 0; p < 12; p++) {
            all.append(Files.readString(out.resolve(String.format("part-%05d", p))));
        }
        assertEquals(String.join("\n", lines) + "\n", all.toString());
        assertEquals(lines, kc.textFile(out.toString()).collect());
    }

    @Test
    void gzipCodecAddsTheExtensionAndReadsBack(KindlingContext kc) throws IOException {
        Path out = dir.resolve("gz");
        List<String> lines = data(500);
        kc.parallelize(lines, 3).saveAsTextFile(out.toString(), "gzip");
        assertEquals(List.of("_SUCCESS", "part-00000.gz", "part-00001.gz", "part-00002.gz"), listing(out));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("part-00000.gz")))) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("line 0 é\nline 1 é\n"));
        }
        assertEquals(lines, kc.textFile(out.toString()).collect());
    }

    @Test
    void whenOutputExists_thenTheSaveFailsBeforeAnyJobUnlessOverwriteIsSet(KindlingContext kc) throws IOException {
        Path out = Files.createDirectories(dir.resolve("exists"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kc.parallelize(data(3), 1).saveAsTextFile(out.toString()));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains(out.toString()), e.getMessage());
        assertEquals(List.of(), listing(out));

        // A previous output (it has _SUCCESS) is replaced as a whole, its extra files included.
        Files.writeString(out.resolve("part-00007"), "old");
        Files.writeString(out.resolve("_SUCCESS"), "");
        try (KindlingContext over = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build()) {
            over.parallelize(data(3), 1).saveAsTextFile(out.toString());
        }
        assertEquals(List.of("_SUCCESS", "part-00000"), listing(out));
    }

    @Test
    void whenFirstAttemptFailsAfterWritingSomeLines_thenTheRetryCommitsWithoutDuplicates(KindlingContext kc)
            throws IOException {
        Path out = dir.resolve("retry");
        List<String> lines = data(300);
        RDD<String> flaky = kc.parallelize(lines, 3).mapPartitionsWithIndex((p, it) -> {
            if (p != 1 || TaskContext.get().attemptNumber() > 0) {
                return it;
            }
            return failAfter(it, 50);
        }, false);
        flaky.saveAsTextFile(out.toString());
        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"), listing(out));
        assertEquals(lines, kc.textFile(out.toString()).collect());
    }

    private static Iterator<String> failAfter(Iterator<String> it, int limit) {
        return new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                if (++n > limit) {
                    throw new IllegalStateException("injected failure after " + limit + " lines");
                }
                return it.next();
            }
        };
    }

    @Test
    void whenTheJobFails_thenNoPartFileAndNoTemporaryDirectoryRemain(KindlingContext kc) {
        Path out = dir.resolve("failed");
        // Partition 0 is still writing (a long lazy stream) when partition 1 exhausts its attempts.
        RDD<Integer> doomed = kc.parallelize(List.of(0, 1), 2).mapPartitionsWithIndex((p, it) -> {
            if (p == 1) {
                throw new IllegalStateException("partition 1 always fails");
            }
            return IntStream.range(0, Integer.MAX_VALUE).iterator();
        }, false);
        JobFailedException e = assertThrows(JobFailedException.class, () -> doomed.saveAsTextFile(out.toString()));
        assertTrue(e.getMessage().contains("partition 1"), e.getMessage());
        assertFalse(Files.exists(out), "output directory must be removed after a failed job");
    }

    @Test
    void whenTheJobIsCancelled_thenNoOutputRemains(KindlingContext kc) throws Exception {
        Path out = dir.resolve("cancelled");
        RDD<Integer> endless = kc.parallelize(List.of(0, 1), 2)
                .mapPartitions(it -> IntStream.range(0, Integer.MAX_VALUE).iterator());
        java.util.concurrent.atomic.AtomicReference<RuntimeException> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread saver = new Thread(() -> {
            kc.setJobGroup("save", "endless save");
            try {
                endless.saveAsTextFile(out.toString());
            } catch (RuntimeException expected) {
                ended.set(expected); // cancelled (or failed before writing: reported below)
            }
        });
        saver.start();
        while (!Files.exists(out.resolve("_temporary/0/_temporary"))) {
            // A save that ends before its tasks write (a bug) must fail this test, not hang it.
            assertTrue(saver.isAlive(), () -> "the save ended before writing anything: " + ended.get());
            Thread.sleep(5);
        }
        Thread.sleep(50);
        kc.cancelJobGroup("save");
        saver.join(30_000);
        assertFalse(saver.isAlive());
        assertFalse(Files.exists(out));
    }

    @Test
    void whenAnElementIsNull_thenTheJobFailsNamingThePartition(KindlingContext kc) {
        Path out = dir.resolve("nulls");
        List<String> withNull = new ArrayList<>(data(3));
        withNull.add(null);
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> kc.parallelize(withNull, 1).saveAsTextFile(out.toString()));
        assertTrue(String.valueOf(e.getCause()).contains("null element"), String.valueOf(e.getCause()));
        assertFalse(Files.exists(out));
    }

    @Test
    void byteArrayElementsAreWrittenUnchanged(KindlingContext kc) throws IOException {
        Path out = dir.resolve("bytes");
        byte[] raw = {'a', (byte) 0xFF, '\t', 'b'};
        kc.parallelize(List.of(raw), 1).saveAsTextFile(out.toString());
        byte[] written = Files.readAllBytes(out.resolve("part-00000"));
        assertEquals(List.of((byte) 'a', (byte) 0xFF, (byte) '\t', (byte) 'b', (byte) '\n'),
                IntStream.range(0, written.length).mapToObj(i -> written[i]).toList());
    }

    /**
     * Issue 10: a shutdown hook cancels the jobs, then closes the context; the JVM may exit as soon as
     * close() returns, so the save's clean-up must be done by then, not later on the save's thread.
     */
    @Test
    void whenJobsAreCancelledAndTheContextClosedDuringASave_thenNothingIsLeftWhenCloseReturns() throws Exception {
        Path out = dir.resolve("closing");
        Path previous = dir.resolve("previous");
        KindlingContext kc = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> savers = new ArrayList<>();
        try {
            kc.parallelize(List.of("kept"), 1).saveAsTextFile(previous.toString());
            // One partition each, so that both saves have an executor thread of the two.
            RDD<Integer> endless = kc.parallelize(List.of(0), 1)
                    .mapPartitions(it -> IntStream.range(0, Integer.MAX_VALUE).iterator());
            for (Path target : List.of(out, previous)) {
                Thread saver = new Thread(() -> {
                    try {
                        endless.saveAsTextFile(target.toString());
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                saver.start();
                savers.add(saver);
            }
            for (Path target : List.of(out, previous)) {
                while (!Files.exists(target.resolve("_temporary/0/_temporary"))) {
                    Thread.sleep(5);
                }
            }
            kc.cancelAllJobs();
        } finally {
            kc.close();
        }
        assertFalse(Files.exists(out), "the output directory this save created is gone when close() returns");
        assertEquals(List.of("_SUCCESS", "part-00000"), listing(previous), "the overwritten output is untouched");
        assertEquals("kept\n", Files.readString(previous.resolve("part-00000")));
        for (Thread saver : savers) {
            saver.join(30_000);
            assertFalse(saver.isAlive());
        }
        assertEquals(2, failures.size(), failures.toString());
        assertFalse(Files.exists(out));
        assertEquals(List.of("_SUCCESS", "part-00000"), listing(previous));
    }

    @Test
    void whenAnotherToolsTemporaryDirectoryIsThere_thenTheSaveRefusesAndSaysWhatToDelete() throws IOException {
        Path out = Files.createDirectories(dir.resolve("hadoop/_temporary/1")).getParent().getParent();
        try (KindlingContext over = Kindling.builder().master("local[2]").config(KindlingConf.OUTPUT_OVERWRITE, "true").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> over.parallelize(data(3), 1).saveAsTextFile(out.toString()));
            assertTrue(e.getMessage().contains("is already being written by another job")
                    && e.getMessage().contains("delete " + out.resolve("_temporary")), e.getMessage());
            assertEquals(List.of("_temporary", "_temporary/1"), listing(out));
        }
    }
}
