package dev.kindling.internal.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The YARN keys: sizes, Spark's overhead and failure defaults, and errors that name the key and value. */
class YarnKeysTest {

    @Test
    void memorySizes_areReadInMib_aBareNumberBeingMib() {
        assertEquals(512, YarnKeys.parseMemoryMb("k", "512m"));
        assertEquals(512, YarnKeys.parseMemoryMb("k", "512"));
        assertEquals(2048, YarnKeys.parseMemoryMb("k", "2g"));
        assertEquals(2048, YarnKeys.parseMemoryMb("k", "2GB"));
        assertEquals(1, YarnKeys.parseMemoryMb("k", "1024k"));
        assertEquals(3 * 1024 * 1024, YarnKeys.parseMemoryMb("k", "3t"));
    }

    @Test
    void aBadSize_isAnErrorNamingTheKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> YarnKeys.memoryMb(Map.of(YarnKeys.MEMORY, "lots")));
        assertTrue(e.getMessage().contains("kindling.executor.memory") && e.getMessage().contains("\"lots\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> YarnKeys.parseMemoryMb("k", "0m"));
        assertThrows(IllegalArgumentException.class, () -> YarnKeys.parseMemoryMb("k", "-1g"));
    }

    @Test
    void overhead_isTheLargerOf384MibAndTenPercent_unlessSet() {
        assertEquals(384, YarnKeys.overheadMb(Map.of(), 1024));
        assertEquals(819, YarnKeys.overheadMb(Map.of(), 8192));
        assertEquals(100, YarnKeys.overheadMb(Map.of(YarnKeys.MEMORY_OVERHEAD, "100m"), 8192));
    }

    @Test
    void defaults_areSparks() {
        assertEquals(2, YarnKeys.instances(Map.of()));
        assertEquals(1, YarnKeys.cores(Map.of()));
        assertEquals(1024, YarnKeys.memoryMb(Map.of()));
        assertEquals(4, YarnKeys.maxExecutorFailures(Map.of()));
        assertEquals(3, YarnKeys.maxExecutorFailures(Map.of(YarnKeys.INSTANCES, "1")));
        assertEquals(10, YarnKeys.maxExecutorFailures(Map.of(YarnKeys.INSTANCES, "5")));
        assertEquals(0, YarnKeys.maxExecutorFailures(Map.of(YarnKeys.MAX_EXECUTOR_FAILURES, "0")));
        assertThrows(IllegalArgumentException.class, () -> YarnKeys.instances(Map.of(YarnKeys.INSTANCES, "0")));
    }

    @Test
    void onlyTheExactMasterYarn_isYarn() {
        assertTrue(YarnKeys.isYarn("yarn"));
        assertTrue(YarnKeys.isYarn(" yarn "));
        assertFalse(YarnKeys.isYarn("yarn-client"));
        assertFalse(YarnKeys.isYarn("local[2]"));
        assertFalse(YarnKeys.isYarn(null));
    }
}
