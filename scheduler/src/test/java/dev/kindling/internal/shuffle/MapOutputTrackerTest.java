package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The driver's map output bookkeeping: registration, forgetting one output, an executor's, a shuffle's;
 * reduce locality from hand-made sizes (a reduce partition prefers the executors holding at least 20% of
 * its input bytes, Spark's fraction, most bytes first, only below 1000 map and reduce partitions).
 */
class MapOutputTrackerTest {

    private static final ExecutorLocation A = new ExecutorLocation("a", "localhost", 7001);
    private static final ExecutorLocation B = new ExecutorLocation("b", "localhost", 7002);
    private static final ExecutorLocation C = new ExecutorLocation("c", "otherhost", 7003);

    private static MapStatus on(ExecutorLocation where, long... sizes) {
        return new MapStatus(where, sizes);
    }

    @Test
    void aShuffleIsCompleteOnceEveryMapPartitionIsRegistered() {
        MapOutputTracker tracker = new MapOutputTracker();
        assertArrayEquals(new int[] {0, 1, 2}, tracker.missingMapOutputs(3, 3));
        tracker.registerMapOutput(3, 3, 1, on(A, 10, 0));
        tracker.registerMapOutput(3, 3, 0, on(B, 5, 6));
        assertArrayEquals(new int[] {2}, tracker.missingMapOutputs(3, 3));
        tracker.registerMapOutput(3, 3, 2, on(A, 0, 0));
        assertArrayEquals(new int[0], tracker.missingMapOutputs(3, 3));
        assertEquals(on(B, 5, 6), tracker.statuses(3, 3)[0]);
        assertEquals(10, tracker.statuses(3, 3)[1].size(0));
    }

    @Test
    void unregisteringForgetsOnlyThatOutput_andOnlyIfItIsStillOnTheNamedExecutor() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerMapOutput(1, 2, 0, on(A, 1));
        tracker.registerMapOutput(1, 2, 1, on(A, 1));
        assertFalse(tracker.unregisterMapOutput(1, 0, "b"), "output 0 is on a, not b");
        assertTrue(tracker.unregisterMapOutput(1, 0, "a"));
        assertArrayEquals(new int[] {0}, tracker.missingMapOutputs(1, 2));
        tracker.registerMapOutput(1, 2, 0, on(B, 1)); // re-run elsewhere
        assertFalse(tracker.unregisterMapOutput(1, 0, "a"), "a late failure report about a must not forget b's output");
        assertTrue(tracker.unregisterMapOutput(1, 1, null), "null means wherever it is");
        assertArrayEquals(new int[] {1}, tracker.missingMapOutputs(1, 2));
    }

    @Test
    void losingAnExecutorForgetsEveryOutputItHeld_inEveryShuffle_andNoOther() {
        MapOutputTracker tracker = new MapOutputTracker();
        for (int m = 0; m < 4; m++) {
            tracker.registerMapOutput(1, 4, m, on(m % 2 == 0 ? A : B, 1));
            tracker.registerMapOutput(2, 4, m, on(m < 3 ? A : B, 1));
        }
        assertEquals(5, tracker.removeOutputsOnExecutor("a"));
        assertArrayEquals(new int[] {0, 2}, tracker.missingMapOutputs(1, 4));
        assertArrayEquals(new int[] {0, 1, 2}, tracker.missingMapOutputs(2, 4));
        assertEquals(B, tracker.statuses(2, 4)[3].location());
        assertEquals(0, tracker.removeOutputsOnExecutor("a"));
    }

    @Test
    void unregisteringAShuffleForgetsItsOutputs() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerMapOutput(9, 1, 0, on(A, 1));
        assertEquals(1, tracker.shuffleCount());
        tracker.unregisterShuffle(9);
        assertEquals(0, tracker.shuffleCount());
        assertNull(tracker.statuses(9, 1)[0]);
    }

    @Test
    void aMapPartitionOutsideTheShuffleIsRejectedNamingIt() {
        MapOutputTracker tracker = new MapOutputTracker();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tracker.registerMapOutput(4, 2, 2, on(A, 1)));
        assertEquals("Map partition 2 is outside shuffle 4's 0..1", e.getMessage());
    }

    @Test
    void aReducePartitionPrefersTheExecutorsHoldingAtLeastAFifthOfItsBytes_mostBytesFirst() {
        MapOutputTracker t = new MapOutputTracker();
        // reduce 0: a 10+15 = 25, b 60, c 15 (of 100): a and b; reduce 1: a 100, b 0, c 300 (of 400): a (25%) and c.
        t.registerMapOutput(1, 4, 0, on(A, 10, 100, 0));
        t.registerMapOutput(1, 4, 1, on(B, 60, 0, 0));
        t.registerMapOutput(1, 4, 2, on(C, 15, 300, 0));
        t.registerMapOutput(1, 4, 3, on(A, 15, 0, 0));
        assertEquals(List.of(B, A), t.reduceLocations(1, 4, 0, 3));
        assertEquals(List.of(C, A), t.reduceLocations(1, 4, 1, 3));
        assertEquals(List.of(), t.reduceLocations(1, 4, 2, 3), "no bytes for reduce 2: no preference");
    }

    @Test
    void exactlyAFifthIsEnough_andBelowItIsNot() {
        MapOutputTracker t = new MapOutputTracker();
        t.registerMapOutput(2, 3, 0, on(A, 80, 79));
        t.registerMapOutput(2, 3, 1, on(B, 20, 19));
        t.registerMapOutput(2, 3, 2, on(C, 0, 2));
        assertEquals(List.of(A, B), t.reduceLocations(2, 3, 0, 2), "20 of 100");
        assertEquals(List.of(A), t.reduceLocations(2, 3, 1, 2), "19 of 100");
    }

    @Test
    void missingOutputsAreSkipped_andNoPreferenceFromAThousandMapOrReducePartitions() {
        MapOutputTracker t = new MapOutputTracker();
        t.registerMapOutput(3, 2, 0, on(A, 5));
        assertEquals(List.of(A), t.reduceLocations(3, 2, 0, 1), "map 1 not registered yet");
        assertEquals(List.of(), t.reduceLocations(99, 2, 0, 1), "unknown shuffle");

        MapOutputTracker big = new MapOutputTracker();
        for (int m = 0; m < 1000; m++) {
            big.registerMapOutput(4, 1000, m, on(B, 1));
        }
        assertEquals(List.of(B), big.reduceLocations(4, 999, 0, 1), "999 map partitions");
        assertEquals(List.of(), big.reduceLocations(4, 1000, 0, 1), "1000 map partitions");
        big.registerMapOutput(5, 1, 0, on(C, new long[1000]));
        assertEquals(List.of(), big.reduceLocations(5, 1, 0, 1000), "1000 reduce partitions");
        long[] sizes = new long[999];
        sizes[3] = 8;
        big.registerMapOutput(7, 1, 0, on(C, sizes));
        assertEquals(List.of(C), big.reduceLocations(7, 1, 3, 999), "999 reduce partitions");
    }

    @Test
    void reduceLocalityIsOnByDefault_andTheKeyTakesOnlyTrueOrFalse() {
        assertTrue(MapOutputTracker.reduceLocalityEnabled(Map.of()));
        assertFalse(MapOutputTracker.reduceLocalityEnabled(Map.of(MapOutputTracker.REDUCE_LOCALITY_ENABLED, "FALSE")));
        assertTrue(MapOutputTracker.reduceLocalityEnabled(Map.of(MapOutputTracker.REDUCE_LOCALITY_ENABLED, " true")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MapOutputTracker.reduceLocalityEnabled(Map.of(MapOutputTracker.REDUCE_LOCALITY_ENABLED, "yes")));
        assertEquals("kindling.shuffle.reduceLocality.enabled must be true or false, got \"yes\"", e.getMessage());
    }
}
