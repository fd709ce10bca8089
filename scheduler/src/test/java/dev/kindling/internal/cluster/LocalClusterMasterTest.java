package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing {@code local-cluster[E,C,M]}: the forms accepted and the errors for the rest. */
class LocalClusterMasterTest {

    @Test
    void parsesExecutorsCoresAndMemory() {
        assertEquals(new LocalClusterMaster(2, 1, 1024), LocalClusterMaster.parse("local-cluster[2,1,1024]"));
        assertEquals(new LocalClusterMaster(3, 4, 512), LocalClusterMaster.parse("  local-cluster[ 3 , 4 ,512 ] "));
        assertEquals("local-cluster[3,4,512]", LocalClusterMaster.parse("local-cluster[ 3 , 4 ,512 ]").toString());
        assertEquals(12, LocalClusterMaster.parse("local-cluster[3,4,512]").totalCores());
    }

    @Test
    void recognisesLocalClusterMastersOnly() {
        assertTrue(LocalClusterMaster.isLocalCluster("local-cluster[2,1,1024]"));
        assertTrue(LocalClusterMaster.isLocalCluster("local-cluster"));
        assertFalse(LocalClusterMaster.isLocalCluster("local[2]"));
        assertFalse(LocalClusterMaster.isLocalCluster(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-cluster", "local-cluster[]", "local-cluster[2,1]", "local-cluster[2,1,1024,5]",
            "local-cluster[2,1,abc]", "local-cluster[-1,1,1024]", "local-cluster[2.5,1,1024]", "local-cluster(2,1,1024)",
            "local-cluster[2,1,1024", "local-cluster[2,1,1g]", "local[2]"})
    void badFormsNameTheValueAndTheExpectedForm(String master) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalClusterMaster.parse(master));
        assertTrue(e.getMessage().startsWith("Bad master \"" + master + "\": expected local-cluster[E,C,M]"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. local-cluster[2,1,1024]"), e.getMessage());
    }

    @Test
    void outOfRangeNumbersNameThePartAndTheLimit() {
        assertEquals("local-cluster[E,C,M]: executors E must be at least 1 (got 0), e.g. local-cluster[2,1,1024]",
                assertThrows(IllegalArgumentException.class, () -> LocalClusterMaster.parse("local-cluster[0,1,1024]")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalClusterMaster.parse("local-cluster[1,0,1024]"))
                .getMessage().contains("cores per executor C must be at least 1 (got 0)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalClusterMaster.parse("local-cluster[1,1,32]"))
                .getMessage().contains("memory per executor M (MiB) must be at least 64 (got 32)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalClusterMaster.parse("local-cluster[99999999999,1,1024]"))
                .getMessage().contains("executors E = 99999999999 is too large"));
    }
}
