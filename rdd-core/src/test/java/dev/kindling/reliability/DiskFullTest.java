package dev.kindling.reliability;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.scheduler.SchedulerEvent.TaskEnd;
import dev.kindling.scheduler.SchedulerEvent.TaskStart;
import dev.kindling.storage.StorageLevel;
import dev.kindling.storage.DiskFullException;
import dev.kindling.storage.SerializationException;
import dev.kindling.internal.shuffle.SpillingShuffleStore;
import dev.kindling.testing.LocalContext;
import dev.kindling.testing.TmpfsMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full disk under {@code kindling.local.dir}, for real: a 2 MiB tmpfs. A job whose shuffle spill
 * or cached disk block does not fit fails once (no retries) with an error naming the file, the
 * kind of file and the directory; the failed tasks' files are gone at once, so the next job on the
 * same context has the space again and succeeds.
 */
class DiskFullTest {

    private static TmpfsMount disk;

    @BeforeAll
    static void mountSmallDisk() throws Exception {
        disk = TmpfsMount.mount("2m");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    private static KindlingContext context() {
        return Kindling.builder().master("local[2]").config("kindling.local.dir", disk.dir().toString())
                .config("kindling.memory.bytes", 1L << 20).config("kindling.task.maxFailures", "4").build();
    }

    @Test
    void whenAShuffleSpillFillsTheDisk_thenTheJobFailsOnceNamingTheFile_andTheNextJobHasTheSpace() throws Exception {
        try (KindlingContext kc = context()) {
            EventRecorder events = new EventRecorder();
            kc.addListener(events);
            RDD<Long> big = kc.range(0, 300_000, 1, 2);
            JobFailedException e = assertThrows(JobFailedException.class, () -> big
                    .mapToPair(x -> Pair.of("key-" + x, "a value padded to fill the disk " + x))
                    .reduceByKey((a, b) -> a + b, 2).count());

            assertDiskFull(e, "shuffle spill file", Pattern.quote(kc.localDir().resolve("shuffle").toString())
                    + "/shuffle_\\d+_\\d+_\\d+\\.kryo");
            assertFailedOnceWithoutRetries(events);
            assertNoFilesLeft(kc, "shuffle", "spill");

            long spillsBefore = ((SpillingShuffleStore) ContextInternals.of(kc).shuffleStore()).spillCount();
            Map<Long, Long> small = new TreeMap<>(kc.range(0, 40_000, 1, 2).mapToPair(x -> Pair.of(x % 5_000, x))
                    .reduceByKey(Long::sum, 2).collectAsMap());
            assertEquals(LongStream.range(0, 40_000).boxed()
                    .collect(Collectors.groupingBy(x -> x % 5_000, TreeMap::new, Collectors.summingLong(x -> x))), small);
            assertTrue(((SpillingShuffleStore) ContextInternals.of(kc).shuffleStore()).spillCount() > spillsBefore,
                    "the next job wrote shuffle files to the same disk");
            LocalContext.assertSchedulerIdle(kc);
        }
    }

    @Test
    void whenACachedDiskBlockFillsTheDisk_thenTheJobFailsOnceNamingTheBlockFile_andTheNextJobHasTheSpace()
            throws Exception {
        try (KindlingContext kc = context()) {
            EventRecorder events = new EventRecorder();
            kc.addListener(events);
            RDD<String> big = kc.range(0, 300_000, 1, 2).map(x -> "a value padded to fill the disk " + x)
                    .persist(StorageLevel.DISK_ONLY);
            JobFailedException e = assertThrows(JobFailedException.class, big::count);

            assertDiskFull(e, "cache disk block", Pattern.quote(kc.localDir().resolve("blocks").toString())
                    + "/rdd_" + big.id() + "_\\d\\.tmp\\d+");
            assertFailedOnceWithoutRetries(events);
            assertNoFilesLeft(kc, "blocks");

            RDD<Long> small = kc.range(0, 50_000, 1, 2).map(x -> x * 3).persist(StorageLevel.DISK_ONLY);
            List<Long> expected = LongStream.range(0, 50_000).map(x -> x * 3).boxed().collect(Collectors.toList());
            assertEquals(expected, small.collect());
            assertEquals(expected, small.collect());
            assertEquals(2, kc.getRDDStorageInfo().stream().filter(i -> i.rddId() == small.id()).findFirst()
                    .orElseThrow().diskPartitions(), "the next job cached both partitions on the same disk");
            LocalContext.assertSchedulerIdle(kc);
        }
    }

    /** The failure is a DiskFullException for a file of {@code kind} matching {@code file}, caused by ENOSPC. */
    private static void assertDiskFull(JobFailedException e, String kind, String file) {
        DiskFullException full = Failures.find(e, DiskFullException.class);
        assertNotNull(full, "cause chain " + Failures.chain(e));
        String expected = "no space left on device while writing " + kind + " " + file + " in kindling.local.dir="
                + Pattern.quote(disk.dir().toString()) + "; free space there or set kindling.local.dir to .*";
        assertTrue(full.getMessage().matches(expected), full.getMessage() + "\n does not match\n" + expected);
        assertInstanceOf(IOException.class, full.getCause());
        assertTrue(full.getCause().getMessage().contains("No space left on device"), full.getCause().getMessage());
        assertTrue(e.getMessage().contains("aborted without retrying"), e.getMessage());
        assertNull(Failures.find(e, SerializationException.class), "no advice about Kryo serializers: "
                + Failures.chain(e));
        assertFalse(e.getMessage().contains("kindling.kryo.registrator"), e.getMessage());
    }

    /** Waits until every task started has ended, then checks no partition was attempted twice. */
    private static void assertFailedOnceWithoutRetries(EventRecorder events) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (events.of(TaskStart.class).size() != events.of(TaskEnd.class).size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<TaskStart> starts = events.of(TaskStart.class);
        assertEquals(starts.size(), events.of(TaskEnd.class).size(), "every task started has ended");
        Map<String, Long> attempts = starts.stream().collect(Collectors.groupingBy(
                s -> "stage " + s.stageId() + " partition " + s.task().partition(), Collectors.counting()));
        assertTrue(attempts.values().stream().allMatch(n -> n == 1), "no task was retried: " + attempts);
        assertTrue(events.of(TaskEnd.class).stream().anyMatch(t -> !t.succeeded()
                && Failures.find(t.failure(), DiskFullException.class) != null), "a task failed on the full disk");
    }

    /** No file is left in the given subdirectories of the context's scratch directory. */
    private static void assertNoFilesLeft(KindlingContext kc, String... subdirs) throws IOException {
        for (String sub : subdirs) {
            Path dir = kc.localDir().resolve(sub);
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    assertEquals(List.of(), files.filter(Files::isRegularFile).collect(Collectors.toList()),
                            "files left in " + dir);
                }
            }
        }
    }
}
