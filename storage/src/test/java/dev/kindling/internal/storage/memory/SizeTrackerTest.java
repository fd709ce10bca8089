package dev.kindling.internal.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** SizeTracker's sampled estimate against the exact sum of SizeEstimator's sizes of every record. */
class SizeTrackerTest {

    @Test
    void theEstimateOfManyRecordsOfVaryingSizeIsWithinAFewPercentOfTheirExactSum() {
        Random random = new Random(7);
        SizeTracker tracker = new SizeTracker(16);
        long exact = 0;
        for (int i = 0; i < 200_000; i++) {
            String key = "k".repeat(random.nextInt(64));
            long[] value = new long[random.nextInt(16)];
            tracker.add(key, value);
            exact += SizeEstimator.estimate(key) + SizeEstimator.estimate(value) + 16;
        }
        assertEquals(200_000, tracker.records());
        double ratio = (double) tracker.estimate() / exact;
        assertTrue(ratio > 0.95 && ratio < 1.05, "estimate / exact = " + ratio);
    }

    @Test
    void recordsThatGrowOverTheInputAreStillSampledAcrossIt() {
        // Sizes rising from 0 to 400 bytes: an average taken from the first records only would be
        // far too low; samples spread over the whole input keep it close.
        SizeTracker tracker = new SizeTracker(0);
        long exact = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            byte[] value = new byte[(int) (400L * i / n)];
            tracker.add(value, null);
            exact += SizeEstimator.estimate(value);
        }
        double ratio = (double) tracker.estimate() / exact;
        assertTrue(ratio > 0.8 && ratio < 1.2, "estimate / exact = " + ratio);
    }

    @Test
    void aResetForgetsTheRecordsButKeepsTheLearnedAverage() {
        SizeTracker tracker = new SizeTracker(0);
        for (int i = 0; i < 1000; i++) {
            tracker.add(new long[8], null);
        }
        long perRecord = SizeEstimator.estimate(new long[8]);
        assertEquals(1000 * perRecord, tracker.estimate());
        tracker.reset();
        assertEquals(0, tracker.estimate());
        tracker.addUnsampled(10);
        assertEquals(10 * perRecord, tracker.estimate());
    }
}
