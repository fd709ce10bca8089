package dev.kindling.internal.storage.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link UnrollBuffer}: the records come back in order, as the objects added, through the array
 * and the iterator, on both sides of chunk boundaries.
 */
class UnrollBufferTest {

    @Test
    void whenRecordsAreAdded_thenTheArrayAndTheIteratorHoldThemInOrder() {
        for (int n : new int[] {0, 1, 31, 32, 33, 64, 100, 1000, 16 * 32 + 1, 17 * 32}) {
            List<Object> expected = IntStream.range(0, n).mapToObj(i -> (Object) ("r" + i)).toList();
            UnrollBuffer b = new UnrollBuffer();
            expected.forEach(b::add);
            assertEquals(n, b.size());
            Object[] array = b.toArray();
            assertArrayEquals(expected.toArray(), array, "array of " + n);
            for (int i = 0; i < n; i++) {
                assertSame(expected.get(i), array[i], "record " + i + " is the object added, not a copy");
            }
            List<Object> iterated = new ArrayList<>();
            b.iterator().forEachRemaining(iterated::add);
            assertEquals(expected, iterated, "iterator of " + n);
        }
    }

    @Test
    void whenIteratedPastTheEnd_thenNoSuchElement() {
        UnrollBuffer b = new UnrollBuffer();
        b.add("x");
        var it = b.iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }
}
