package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The driver's map output bookkeeping: registration, forgetting one output, an executor's, a shuffle's. */
class MapOutputTrackerTest {

    private static final ExecutorLocation A = new ExecutorLocation("a", "localhost", 7001);
    private static final ExecutorLocation B = new ExecutorLocation("b", "localhost", 7002);

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
}
