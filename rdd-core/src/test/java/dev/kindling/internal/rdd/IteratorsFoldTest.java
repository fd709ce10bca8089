package dev.kindling.internal.rdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kindling.internal.storage.block.ArrayBlockIterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Iterators#fold}: the indexed loop over a cached block's array gives the same result as a
 * plain stream over the remaining elements, releases the block exactly once, and leaves the iterator
 * exhausted; any other iterator is folded element by element.
 */
class IteratorsFoldTest {

    @Test
    void whenFoldingABlockPartlyRead_thenTheRemainingElementsAreFoldedInOrderAndTheBlockReleasedOnce() throws Exception {
        for (int size : new int[] {0, 1, 1023, 1024, 1025, 5000}) {
            Object[] values = IntStream.range(0, size).boxed().toArray();
            AtomicInteger released = new AtomicInteger();
            ArrayBlockIterator block = new ArrayBlockIterator(values, released::incrementAndGet);
            int skip = Math.min(size, 3);
            for (int i = 0; i < skip; i++) {
                block.next();
            }
            // Order-sensitive fold: a polynomial hash of the sequence, against the stream's.
            long folded = Iterators.<Object, Long>fold(block, 7L, (h, x) -> h * 31 + (Integer) x, null);
            long expected = IntStream.range(skip, size).asLongStream().reduce(7L, (h, x) -> h * 31 + x);
            assertEquals(expected, folded, "size " + size);
            assertEquals(1, released.get(), "the block is released once, size " + size);
            assertFalse(block.hasNext());
            assertEquals(1, released.get(), "hasNext after the fold does not release it again");
        }
    }

    @Test
    void whenFoldingAnotherIterator_thenEveryElementIsFolded() throws Exception {
        List<Integer> data = IntStream.range(0, 3000).boxed().toList();
        long folded = Iterators.<Integer, Long>fold(data.iterator(), 0L, (s, x) -> s + x, null);
        assertEquals(data.stream().mapToLong(x -> x).sum(), folded);
    }

    @Test
    void whenAdvancingBackwardsOrPastTheEnd_thenTheErrorNamesTheAllowedRange() {
        ArrayBlockIterator block = new ArrayBlockIterator(new Object[] {1, 2, 3}, () -> { });
        block.next();
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class, () -> block.advanceTo(0));
        assertEquals("advanceTo(0): position must be in [1, 3] (the current position and the block's length)",
                back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> block.advanceTo(4));
    }
}
