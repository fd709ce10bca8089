package dev.kindling.internal.rdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.function.FlatMapFunction;
import dev.kindling.function.Function;
import dev.kindling.function.Function2;
import dev.kindling.internal.storage.block.ArrayBlockIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link FunctionCopies} through {@link Iterators}: each function class gets its own hidden copy
 * of the iterator class (and the same function class the same copy), copies compute what
 * {@code java.util.stream} computes, and the user's exceptions come out unchanged.
 */
class FunctionCopiesTest {

    private static List<Integer> numbers() {
        return IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    }

    /** A cached partition's iterator over {@code values}, which hold Integers. */
    @SuppressWarnings("unchecked")
    private static Iterator<Integer> block(Object[] values) {
        return (Iterator<Integer>) (Iterator<?>) new ArrayBlockIterator(values, () -> { });
    }

    private static <T> List<T> drain(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Function<Integer, Integer> plus(int n) {
        return x -> x + n; // one lambda class, whatever n is
    }

    @Test
    void whenTwoSeqOpClassesAreFolded_thenEachRunsInItsOwnHiddenLoop_andBothMatchStreams() throws Exception {
        List<Class<?>> loops = new ArrayList<>();
        StackWalker walker = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE,
                StackWalker.Option.SHOW_HIDDEN_FRAMES));
        Function2<long[], Integer, long[]> sum = (acc, x) -> {
            if (x == 0) {
                loops.add(walker.walk(frames -> frames.skip(2).findFirst()).orElseThrow().getDeclaringClass());
            }
            acc[0] += x;
            return acc;
        };
        Function2<long[], Integer, long[]> squares = (acc, x) -> {
            if (x == 0) {
                loops.add(walker.walk(frames -> frames.skip(2).findFirst()).orElseThrow().getDeclaringClass());
            }
            acc[0] += (long) x * x;
            return acc;
        };
        assertEquals(numbers().stream().mapToLong(x -> x).sum(),
                Iterators.fold(block(numbers().toArray()), new long[1], sum, null)[0]);
        assertEquals(numbers().stream().mapToLong(x -> (long) x * x).sum(),
                Iterators.fold(numbers().iterator(), new long[1], squares, null)[0]);
        assertEquals(2, loops.size(), loops.toString());
        assertNotSame(loops.get(0), loops.get(1));
        for (Class<?> loop : loops) {
            assertTrue(loop.isHidden() && loop.getName().startsWith(FoldLoop.class.getName() + "/"), loop.getName());
        }
    }

    @Test
    void whenTheSeqOpThrowsACheckedException_thenFoldThrowsTheSameException() {
        IOException thrown = new IOException("disk gone at element 5");
        Function2<Integer, Integer, Integer> failing = (acc, x) -> {
            if (x == 5) {
                throw thrown;
            }
            return acc + x;
        };
        Exception e = assertThrows(Exception.class,
                () -> Iterators.fold(block(numbers().toArray()), 0, failing, null));
        assertSame(thrown, e);
    }

    @Test
    void whenTwoFunctionClassesAreMapped_thenEachHasItsOwnHiddenIteratorClass() {
        Function<Integer, Integer> twice = x -> 2 * x;
        Function<Integer, Integer> square = x -> x * x;
        Class<?> a = Iterators.map(numbers().iterator(), twice).getClass();
        Class<?> b = Iterators.map(numbers().iterator(), square).getClass();
        assertNotSame(a, b);
        assertTrue(a.isHidden() && b.isHidden(), a + ", " + b);
        assertTrue(a.getName().startsWith(MapIterator.class.getName() + "/"), a.getName());
    }

    @Test
    void whenOneFunctionClassIsMappedTwice_thenBothIteratorsShareOneCopy() {
        assertSame(Iterators.map(numbers().iterator(), plus(1)).getClass(),
                Iterators.map(numbers().iterator(), plus(7)).getClass());
        Function<Integer, Boolean> even = x -> x % 2 == 0;
        assertSame(Iterators.filter(numbers().iterator(), even).getClass(),
                Iterators.filter(numbers().iterator(), even).getClass());
    }

    @Test
    void whenCopiesComputeMapFilterAndFlatMap_thenTheyMatchStreams() {
        assertEquals(numbers().stream().map(x -> x + 7).collect(Collectors.toList()),
                drain(Iterators.map(numbers().iterator(), plus(7))));
        assertEquals(numbers().stream().filter(x -> x % 3 == 1).collect(Collectors.toList()),
                drain(Iterators.filter(numbers().iterator(), x -> x % 3 == 1)));
        FlatMapFunction<Integer, Integer> repeat = x -> IntStream.range(0, x % 4).map(i -> x).iterator();
        assertEquals(numbers().stream().flatMap(x -> IntStream.range(0, x % 4).mapToObj(i -> x))
                        .collect(Collectors.toList()),
                drain(Iterators.flatMap(numbers().iterator(), repeat)));
    }

    @Test
    void whenTheFunctionThrowsACheckedException_thenTheSameExceptionComesOut() {
        IOException thrown = new IOException("disk gone at element 5");
        Function<Integer, Integer> failing = x -> {
            if (x == 5) {
                throw thrown;
            }
            return x;
        };
        Iterator<Integer> it = Iterators.map(numbers().iterator(), failing);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, it.next());
        }
        Exception e = assertThrows(Exception.class, it::next);
        assertSame(thrown, e);
    }

    @Test
    void whenCopiesAreOff_thenEveryFunctionGetsTheTemplateClass() {
        FunctionCopies shared = new FunctionCopies(MapIterator.class, Function.class, false);
        Function<Integer, Integer> twice = x -> 2 * x;
        Iterator<Integer> it = shared.create(numbers().iterator(), twice);
        assertSame(MapIterator.class, it.getClass());
        assertFalse(it.getClass().isHidden());
        assertEquals(numbers().stream().map(x -> 2 * x).collect(Collectors.toList()), drain(it));
    }
}
