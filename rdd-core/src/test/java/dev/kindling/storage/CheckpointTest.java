package dev.kindling.storage;

import dev.kindling.internal.ContextInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.RDD;
import dev.kindling.testing.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalContext.class)
class CheckpointTest {

    static final AtomicInteger MAX_DEPTH = new AtomicInteger();

    @TempDir
    Path dir;

    @Test
    void whenNoCheckpointDirIsSet_thenCheckpointFailsWithAClearMessage(KindlingContext kc) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kc.range(0, 10).checkpoint());
        assertTrue(e.getMessage().contains("setCheckpointDir"), e.getMessage());
    }

    @Test
    void checkpointWritesPartFilesAndTruncatesLineage(KindlingContext kc) throws Exception {
        kc.setCheckpointDir(dir.toString());
        PairRDD<Long, Long> sums = kc.range(0, 10_000, 1, 4).mapToPair(x -> Pair.of(x % 7, x)).reduceByKey(Long::sum, 3);
        RDD<Pair<Long, Long>> rdd = sums.rdd().map(p -> p);
        rdd.checkpoint();
        assertFalse(rdd.isCheckpointed());
        Map<Long, Long> expected = LongStream.range(0, 10_000).boxed()
                .collect(Collectors.groupingBy(x -> x % 7, Collectors.summingLong(x -> x)));
        assertEquals(expected, toMap(rdd.collect()));
        assertTrue(rdd.isCheckpointed());
        assertEquals(List.of(), rdd.dependencies());
        Path files = Path.of(rdd.getCheckpointFile().orElseThrow());
        assertEquals("rdd-" + rdd.id(), files.getFileName().toString());
        assertTrue(files.getParent().getParent().equals(dir));
        for (int p = 0; p < 3; p++) {
            assertTrue(Files.exists(files.resolve(String.format("part-%05d", p))));
        }
        ContextInternals.of(kc).shuffleStore().removeShuffle(((dev.kindling.internal.rdd.ShuffledRDD<?, ?, ?>) sums.rdd()).shuffleId());
        assertEquals(expected, toMap(rdd.collect()), "read from the files, no shuffle needed");
        assertEquals(1, rdd.toDebugString().lines().count());
    }

    @Test
    void localCheckpointPersistsAndTruncates(KindlingContext kc) {
        RDD<Long> rdd = kc.range(0, 1000, 1, 2).map(x -> x * 2).localCheckpoint();
        assertEquals(StorageLevel.MEMORY_AND_DISK, rdd.getStorageLevel());
        assertEquals(1000, rdd.count());
        assertTrue(rdd.isCheckpointed());
        assertEquals(List.of(), rdd.dependencies());
        assertEquals(LongStream.range(0, 1000).map(x -> x * 2).sum(), rdd.collect().stream().mapToLong(x -> x).sum());
    }

    @Test
    void anIterativeLoopThatCheckpointsEveryTenStepsKeepsLineageAndStackBounded(KindlingContext kc) {
        kc.setCheckpointDir(dir.toString());
        RDD<Long> rdd = kc.range(0, 200, 1, 2);
        int depthAtStep20 = 0;
        int linesAtStep20 = 0;
        for (int step = 1; step <= 200; step++) {
            rdd = rdd.map(x -> {
                MAX_DEPTH.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
                return x + 1;
            });
            if (step % 10 == 0) {
                rdd.checkpoint();
                MAX_DEPTH.set(0);
                rdd.count();
                if (step == 20) {
                    depthAtStep20 = MAX_DEPTH.get();
                    linesAtStep20 = (int) rdd.toDebugString().lines().count();
                }
                assertTrue(MAX_DEPTH.get() <= depthAtStep20 + 5 || step == 10,
                        "stack depth " + MAX_DEPTH.get() + " at step " + step + " vs " + depthAtStep20);
                assertTrue(rdd.toDebugString().lines().count() <= Math.max(linesAtStep20, 1),
                        rdd.toDebugString());
            }
        }
        assertEquals(LongStream.range(0, 200).map(x -> x + 200).sum(), rdd.collect().stream().mapToLong(x -> x).sum());
    }

    private static <K, V> Map<K, V> toMap(List<Pair<K, V>> pairs) {
        Map<K, V> m = new HashMap<>();
        pairs.forEach(p -> m.put(p.key(), p.value()));
        return m;
    }
}
