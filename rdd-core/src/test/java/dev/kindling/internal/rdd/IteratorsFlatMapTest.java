package dev.kindling.internal.rdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Iterators#flatMap} against {@code java.util.stream}'s flatMap of the same lists, pulled in
 * every way a consumer may pull (hasNext before each next, next alone, hasNext asked repeatedly),
 * with empty and null inner iterators, and asking each inner iterator once per element.
 */
class IteratorsFlatMapTest {

    /** An inner iterator that counts the hasNext calls it gets. */
    static final class Counting implements Iterator<Integer> {
        private final Iterator<Integer> in;
        static int hasNextCalls;

        Counting(List<Integer> values) {
            in = values.iterator();
        }

        @Override
        public boolean hasNext() {
            hasNextCalls++;
            return in.hasNext();
        }

        @Override
        public Integer next() {
            return in.next();
        }
    }

    private static List<List<Integer>> randomLists(Random random) {
        List<List<Integer>> lists = new ArrayList<>();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            int size = random.nextInt(4) == 0 ? 0 : random.nextInt(5);
            lists.add(IntStream.range(0, size).map(j -> random.nextInt(100)).boxed().collect(Collectors.toList()));
        }
        return lists;
    }

    private static Iterator<Integer> flat(List<List<Integer>> lists) {
        return Iterators.flatMap(lists.iterator(), l -> l.isEmpty() && l.hashCode() % 2 == 1 ? null : new Counting(l));
    }

    @Test
    void whenPulledInAnyOrder_thenTheElementsAreThoseOfAStreamFlatMap() {
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            List<List<Integer>> lists = randomLists(random);
            List<Integer> expected = lists.stream().flatMap(List::stream).collect(Collectors.toList());
            int style = round % 3;
            List<Integer> got = new ArrayList<>();
            Iterator<Integer> it = flat(lists);
            if (style == 0) {
                while (it.hasNext()) {
                    got.add(it.next());
                }
            } else if (style == 1) {
                for (int i = 0; i < expected.size(); i++) {
                    got.add(it.next());
                }
            } else {
                while (it.hasNext() && it.hasNext()) {
                    assertTrue(it.hasNext());
                    got.add(it.next());
                }
            }
            assertEquals(expected, got, "lists " + lists + ", style " + style);
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void whenEveryInnerIteratorIsEmptyOrNull_thenThereIsNoElement() {
        Iterator<Integer> it = Iterators.flatMap(List.of(1, 2, 3).iterator(),
                x -> x == 2 ? null : Collections.<Integer>emptyIterator());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void whenHasNextPrecedesEachNext_thenEachInnerIteratorIsAskedOncePerElementAndOnceAtItsEnd() {
        List<List<Integer>> lists = List.of(List.of(1, 2, 3), List.of(), List.of(4), List.of(5, 6));
        Counting.hasNextCalls = 0;
        Iterator<Integer> it = Iterators.flatMap(lists.iterator(), Counting::new);
        int elements = 0;
        while (it.hasNext()) {
            it.next();
            elements++;
        }
        assertEquals(6, elements);
        assertEquals(elements + lists.size(), Counting.hasNextCalls);
    }
}
