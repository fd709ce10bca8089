package dev.kindling.internal.scheduler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.internal.scheduler.backend.BlockLocations.CachedBlock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The driver's map of cached partitions to executors: reports, executor loss and unpersist. */
class BlockLocationsTest {

    @Test
    void reportsAddAndDropHoldersAndLossOrUnpersistForgetsThem() {
        BlockLocations l = new BlockLocations();
        l.update("0", List.of(new CachedBlock(3, 0), new CachedBlock(3, 1), new CachedBlock(4, 0)), List.of());
        l.update("1", List.of(new CachedBlock(3, 1)), List.of());
        assertEquals(Set.of("0"), l.executorsOf(3, 0));
        assertEquals(Set.of("0", "1"), l.executorsOf(3, 1));
        l.update("0", List.of(), List.of(new CachedBlock(3, 1))); // evicted on 0
        assertEquals(Set.of("1"), l.executorsOf(3, 1));
        assertEquals(3, l.size());
        assertEquals(2, l.removeExecutor("0"));
        assertEquals(Set.of(), l.executorsOf(3, 0));
        assertEquals(Set.of(), l.executorsOf(4, 0));
        assertEquals(Set.of("1"), l.removeRdd(3));
        assertEquals(0, l.size());
        assertEquals(Set.of(), l.blocksOf("1"));
    }
}
