package dev.kindling.internal.storage.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.storage.StorageLevel;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockManagerTest {

    @TempDir
    Path dir;

    private static List<Object> drain(Iterator<?> it) {
        List<Object> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<Object> data(int n) {
        return IntStream.range(0, n).mapToObj(i -> "value-" + i).collect(Collectors.toList());
    }

    private BlockManager manager(long budget) {
        return new BlockManager(new MemoryManager(budget), KryoSerializer.create(), dir.resolve("blocks"));
    }

    @ParameterizedTest
    @EnumSource(value = StorageLevel.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyLevelStoresAndReadsBackTheSameRecords(StorageLevel level) {
        try (BlockManager bm = manager(64 << 20)) {
            BlockId id = BlockId.rdd(1, 0);
            List<Object> values = data(5000);
            assertEquals(values, drain(bm.put(id, values.iterator(), level, () -> { })));
            assertEquals(values, drain(bm.get(id).orElseThrow()));
            BlockStatus s = bm.status(id).orElseThrow();
            assertEquals(level.useMemory(), s.inMemory());
            assertEquals(!level.useMemory(), s.onDisk());
        }
    }

    @Test
    void whenMemoryIsShort_thenMemoryAndDiskBlocksGoToDiskAndMemoryOnlyBlocksAreDropped() {
        try (BlockManager bm = manager(2 << 20)) {
            for (int p = 0; p < 10; p++) {
                bm.put(BlockId.rdd(1, p), data(5000).iterator(), StorageLevel.MEMORY_AND_DISK, () -> { });
                bm.put(BlockId.rdd(2, p), data(5000).iterator(), StorageLevel.MEMORY_ONLY, () -> { });
            }
            assertTrue(bm.memoryUsed() <= 2 << 20);
            for (int p = 0; p < 10; p++) {
                assertEquals(data(5000), drain(bm.get(BlockId.rdd(1, p)).orElseThrow()), "partition " + p);
            }
            long rdd2 = IntStream.range(0, 10).filter(p -> bm.get(BlockId.rdd(2, p)).isPresent()).count();
            assertTrue(rdd2 < 10, "some MEMORY_ONLY blocks were dropped");
            assertTrue(bm.evictions() > 0);
        }
    }

    @Test
    void whenABlockIsBiggerThanTheBudget_thenItIsReturnedUncachedWithoutRunningOutOfMemory() {
        try (BlockManager bm = manager(1 << 20)) {
            List<Object> big = data(200_000);
            assertEquals(big, drain(bm.put(BlockId.rdd(1, 0), big.iterator(), StorageLevel.MEMORY_ONLY, () -> { })));
            assertTrue(bm.get(BlockId.rdd(1, 0)).isEmpty());
            assertEquals(big, drain(bm.put(BlockId.rdd(1, 1), big.iterator(), StorageLevel.MEMORY_AND_DISK, () -> { })));
            assertTrue(bm.status(BlockId.rdd(1, 1)).orElseThrow().onDisk());
            assertEquals(big, drain(bm.get(BlockId.rdd(1, 1)).orElseThrow()));
        }
    }

    @Test
    void whenTheTaskIsKilledMidway_thenNothingIsStored() {
        try (BlockManager bm = manager(64 << 20)) {
            int[] calls = {0};
            Runnable killAfterTwoChecks = () -> {
                if (++calls[0] > 2) {
                    throw new IllegalStateException("killed");
                }
            };
            for (StorageLevel level : List.of(StorageLevel.MEMORY_ONLY, StorageLevel.DISK_ONLY)) {
                calls[0] = 0;
                assertThrows(IllegalStateException.class,
                        () -> bm.put(BlockId.rdd(3, 0), data(100_000).iterator(), level, killAfterTwoChecks));
                assertTrue(bm.get(BlockId.rdd(3, 0)).isEmpty());
            }
            assertEquals(List.of(), bm.statuses());
        }
    }

    @Test
    void whenADiskFileIsDeleted_thenTheBlockReadsAsMissing() throws IOException {
        try (BlockManager bm = manager(64 << 20)) {
            bm.put(BlockId.rdd(4, 0), data(10).iterator(), StorageLevel.DISK_ONLY, () -> { });
            try (Stream<Path> files = Files.list(dir.resolve("blocks"))) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            assertFalse(bm.get(BlockId.rdd(4, 0)).isPresent());
        }
    }

    @Test
    void removeRddAndCloseDeleteEveryFile() throws IOException {
        BlockManager bm = manager(64 << 20);
        bm.put(BlockId.rdd(5, 0), data(10).iterator(), StorageLevel.DISK_ONLY, () -> { });
        bm.put(BlockId.rdd(6, 0), data(10).iterator(), StorageLevel.DISK_ONLY, () -> { });
        bm.removeRdd(5);
        assertTrue(bm.get(BlockId.rdd(5, 0)).isEmpty());
        assertTrue(bm.get(BlockId.rdd(6, 0)).isPresent());
        bm.close();
        try (Stream<Path> files = Files.list(dir.resolve("blocks"))) {
            assertEquals(0, files.count());
        }
    }
}
