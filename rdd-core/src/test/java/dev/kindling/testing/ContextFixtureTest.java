package dev.kindling.testing;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.scheduler.JobFailedException;
import dev.kindling.internal.storage.memory.MemoryConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The checks of {@link ContextFixture} fail when they should, and its Kryo configuration catches what it is for. */
class ContextFixtureTest {

    /** A record type Kryo cannot write: it holds a lock of java.base, whose fields Java 17 does not open. */
    record Locked(int id, ReentrantLock lock) {
    }

    @Test
    void whenExecutionMemoryIsNotGivenBack_thenAssertCleanFails() throws Exception {
        try (KindlingContext kc = ContextFixture.open(ContextConfiguration.DEFAULT)) {
            MemoryConsumer leak = () -> "a test's leaked buffer";
            assertEquals(4096, ContextInternals.of(kc).memoryManager().acquireExecution(leak, 4096));
            AssertionError e = assertThrows(AssertionError.class, () -> ContextFixture.assertClean(kc));
            assertTrue(e.getMessage().contains("4096 bytes"), e.getMessage());
            ContextInternals.of(kc).memoryManager().releaseAll(leak);
            ContextFixture.assertClean(kc);
        }
    }

    @Test
    void whenATemporaryFileIsLeft_thenAssertCleanFailsButShuffleOutputsAndTheOwnerMarkerAreKept() throws Exception {
        try (KindlingContext kc = ContextFixture.open(ContextConfiguration.KRYO_SHUFFLE)) {
            assertEquals(3, kc.parallelizePairs(List.of(Pair.of(1, 1), Pair.of(2, 2), Pair.of(3, 3)), 2)
                    .reduceByKey(Integer::sum).count());
            ContextFixture.assertClean(kc); // the shuffle's files stay, as its RDD may be read again
            Path leftover = Files.createDirectories(kc.localDir().resolve("spill")).resolve("aggregation-1.kryo");
            Files.writeString(leftover, "x");
            AssertionError e = assertThrows(AssertionError.class, () -> ContextFixture.assertClean(kc));
            assertTrue(e.getMessage().contains("aggregation-1.kryo"), e.getMessage());
            Files.delete(leftover);
            ContextFixture.assertClean(kc);
        }
    }

    @Test
    void whenARecordTypeKryoCannotWriteIsShuffled_thenOnlyTheKryoShuffleConfigurationFailsTheJob() {
        List<Pair<Integer, Locked>> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            data.add(Pair.of(i % 3, new Locked(i, new ReentrantLock())));
        }
        try (KindlingContext kc = ContextFixture.open(ContextConfiguration.DEFAULT)) {
            assertEquals(3, kc.parallelizePairs(data, 2).groupByKey().count(), "in memory, nothing is serialized");
        }
        try (KindlingContext kc = ContextFixture.open(ContextConfiguration.KRYO_SHUFFLE)) {
            JobFailedException e = assertThrows(JobFailedException.class,
                    () -> kc.parallelizePairs(data, 2).groupByKey().count());
            assertTrue(causes(e).contains("ReentrantLock") || causes(e).contains("Locked"), causes(e));
        }
    }

    private static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append(" / ");
        }
        return s.toString();
    }
}
