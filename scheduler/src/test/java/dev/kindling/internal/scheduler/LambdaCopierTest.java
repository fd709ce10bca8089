package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.scheduler.Shareable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * LambdaCopier's copies behave as copies made by a Java serialization round trip
 * ({@link ClosureSerializer#copy}, the reference), and it declines every graph of another shape.
 */
class LambdaCopierTest {

    interface Fn extends Serializable {
        double apply(double x);
    }

    interface Get extends Serializable {
        Object get();
    }

    /** A read-only handle that copies keep as it is. */
    static final class Handle implements Serializable, Shareable {
    }

    @SuppressWarnings("unchecked")
    private static <T> T copyOf(T value) {
        LambdaCopier.Copy copy = LambdaCopier.copy(value);
        assertNotNull(copy, "copyable");
        assertTrue(LambdaCopier.isCopyable(value));
        return (T) copy.value();
    }

    private static <T> T serializedCopyOf(T value) {
        return ClosureSerializer.copy(value, Exception::toString);
    }

    @Test
    void aCopiedLambdaChangesItsOwnArrayOnlyAndComputesWhatASerializedCopyComputes() {
        double[] w = {1, 2};
        Fn f = x -> w[0] += x * w[1];
        Fn copy = copyOf(f);
        Fn reference = serializedCopyOf(f);
        assertNotSame(f, copy);
        for (double x : new double[] {1, 2.5, -4}) {
            assertEquals(reference.apply(x), copy.apply(x));
        }
        assertArrayEquals(new double[] {1, 2}, w, "the original's array is untouched");
    }

    @Test
    void anArrayReachedTwiceIsCopiedOnceAsSerializationDoes() {
        int[] counts = {0};
        int[] alias = counts;
        Get inc = () -> ++counts[0];
        Get both = () -> (Integer) inc.get() * 100 + alias[0];
        Get copy = copyOf(both);
        Get reference = serializedCopyOf(both);
        assertEquals(101, reference.get(), "in a serialized copy the two lambdas share one array");
        assertEquals(101, copy.get(), "the nested lambda and the outer one share one copied array");
        assertEquals(reference.get(), copy.get());
        assertEquals(0, counts[0]);
    }

    @Test
    void immutableValuesAndShareableHandlesAreKeptArraysAreNot() {
        Handle handle = new Handle();
        String label = "label";
        long[] values = {7, 8};
        Get h = () -> handle;
        Get s = () -> label;
        Get a = () -> values;
        assertSame(handle, copyOf(h).get());
        assertEquals(label, copyOf(s).get());
        Object copiedArray = copyOf(a).get();
        assertNotSame(values, copiedArray);
        assertArrayEquals(values, (long[]) copiedArray);
        assertEquals(16, LambdaCopier.copy(a).arrayBytes());
    }

    @Test
    void aCopyCanBeCopiedAgain() {
        double[] w = {3};
        Fn f = x -> w[0] * x;
        Fn twice = copyOf(copyOf(f));
        assertEquals(6.0, twice.apply(2));
    }

    @Test
    void aCopyIsOfTheOriginalsClassSoCodeSpecializedPerClassSeesOneClass() {
        double[] w = {3};
        Fn f = x -> w[0] * x;
        assertSame(f.getClass(), copyOf(f).getClass());
    }

    @Test
    void primitiveAndManyCapturesArriveInTheirPlaces() {
        int i = 1;
        long l = 20;
        double d = 0.5;
        boolean b = true;
        char c = 'c';
        String s = "s";
        int[] a1 = {100};
        int[] a2 = {1000};
        short sh = 7;
        float fl = 0.25f;
        byte by = 3;
        // Eleven captures: their fields arg$1..arg$11 must not be ordered as strings (arg$10 < arg$2).
        Get all = () -> i + "|" + l + "|" + d + "|" + b + "|" + c + "|" + s + "|" + a1[0] + "|" + a2[0] + "|" + sh
                + "|" + fl + "|" + by;
        assertEquals(serializedCopyOf(all).get(), copyOf(all).get());
        assertEquals("1|20|0.5|true|c|s|100|1000|7|0.25|3", copyOf(all).get());
    }

    @Test
    void graphsOfOtherShapesAreLeftToSerialization() {
        List<Integer> list = new ArrayList<>(List.of(1));
        Object[] objects = {1};
        Get capturesList = () -> list.size();
        Get capturesObjectArray = () -> objects.length;
        Supplier<Integer> notSerializable = () -> 1;
        Get anonymous = new Get() {
            @Override
            public Object get() {
                return 1;
            }
        };
        for (Object graph : new Object[] {capturesList, capturesObjectArray, notSerializable, anonymous, list}) {
            assertNull(LambdaCopier.copy(graph), graph.toString());
            assertFalse(LambdaCopier.isCopyable(graph), graph.toString());
        }
        assertEquals(1, serializedCopyOf(capturesList).get(), "serialization still copies them");
    }
}
