package dev.kindling.internal.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Checks estimates against closed-form layouts of a 64-bit JVM with compressed oops, and against an
 * independent measurement: the heap growth after allocating many copies of a structure.
 */
class SizeEstimatorTest {

    record Point(int x, double y, String label) {
    }

    record Pair(Object key, Object value) {
    }

    @Test
    void boxedNumbersMatchTheirLayouts() {
        assertEquals(16, SizeEstimator.estimate(1000));
        assertEquals(24, SizeEstimator.estimate(1000L));
        assertEquals(24, SizeEstimator.estimate(1.5d));
        assertEquals(16, SizeEstimator.estimate(1.5f));
        assertEquals(16, SizeEstimator.estimate((byte) 1));
        assertEquals(0, SizeEstimator.estimate(null));
    }

    @Test
    void stringsAndPrimitiveArraysMatchTheirLayouts() {
        assertEquals(24 + 16, SizeEstimator.estimate(""));
        assertEquals(24 + 24, SizeEstimator.estimate("abc"));
        assertEquals(24 + 24, SizeEstimator.estimate("\u0400bc")); // UTF-16: 6 bytes
        assertEquals(24 + 16 + 24, SizeEstimator.estimate("abcdefghijklmnopqrstuvwx"));
        assertEquals(16, SizeEstimator.estimate(new long[0]));
        assertEquals(56, SizeEstimator.estimate(new int[10]));
        assertEquals(16 + 80, SizeEstimator.estimate(new double[10]));
        assertEquals(16 + 1000 * 8, SizeEstimator.estimate(new long[1000]));
        assertEquals(24, SizeEstimator.estimate(new byte[5]));
    }

    @Test
    void recordsCountHeaderFieldsAndReferencedObjects() {
        // header 12 + int 4 + double 8 + ref 4 = 28 -> 32; "ab" = 24 + 24
        assertEquals(32 + 48, SizeEstimator.estimate(new Point(1, 2, "ab")));
        assertEquals(32, SizeEstimator.estimate(new Point(1, 2, null)));
        // shared objects are counted once
        String s = "shared";
        assertEquals(24 + 48, SizeEstimator.estimate(new Pair(s, s)));
    }

    @Test
    void listsOfBoxedNumbersMatchClosedForm() {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(1000 + i);
        }
        long expected = 24 + SizeEstimator.arraySize(1000, 4) + 1000L * 16;
        assertWithin(expected, SizeEstimator.estimate(list), 0.05);
    }

    @Test
    void listOfRecordsIsWithinTwentyPercentOfMeasuredHeap() {
        Random r = new Random(1);
        assertMatchesHeap(i -> {
            List<Pair> l = new ArrayList<>(1000);
            for (int k = 0; k < 1000; k++) {
                l.add(new Pair("key-" + r.nextInt(1_000_000), (long) r.nextInt()));
            }
            return l;
        });
    }

    @Test
    void hashMapOfStringsToLongsIsWithinTwentyPercentOfMeasuredHeap() {
        Random r = new Random(2);
        assertMatchesHeap(i -> {
            Map<String, Long> m = new HashMap<>();
            for (int k = 0; k < 2000; k++) {
                m.put("k" + i + "-" + k, r.nextLong());
            }
            return m;
        });
    }

    @Test
    void arraysOfPrimitiveArraysAreWithinTwentyPercentOfMeasuredHeap() {
        assertMatchesHeap(i -> {
            double[][] points = new double[1000][];
            for (int k = 0; k < points.length; k++) {
                points[k] = new double[10];
            }
            return points;
        });
    }

    @Test
    void largeCollectionsAreSampledAccurately() {
        List<String> strings = new ArrayList<>();
        long exact = 24 + SizeEstimator.arraySize(100_000, 4);
        for (int i = 0; i < 100_000; i++) {
            String s = "value-" + i;
            strings.add(s);
            exact += SizeEstimator.stringSize(s);
        }
        // ArrayList capacity grows by 1.5x, so allow for the slack
        assertWithin(exact, SizeEstimator.estimate(strings), 0.10);
    }

    private static void assertWithin(long expected, long actual, double tolerance) {
        double ratio = (double) actual / expected;
        assertTrue(Math.abs(ratio - 1) <= tolerance,
                "estimate " + actual + " vs reference " + expected + " (ratio " + ratio + ")");
    }

    /** Allocates 100 structures and compares the heap growth with 100 estimates. */
    private static void assertMatchesHeap(IntFunction<Object> make) {
        int copies = 100;
        Object[] keep = new Object[copies];
        long before = usedHeap();
        for (int i = 0; i < copies; i++) {
            keep[i] = make.apply(i);
        }
        long after = usedHeap();
        long estimated = 0;
        for (Object o : keep) {
            estimated += SizeEstimator.estimate(o);
        }
        assertWithin(after - before, estimated, 0.20);
        assertTrue(keep.length == copies);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
