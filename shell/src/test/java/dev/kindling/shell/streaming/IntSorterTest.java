package dev.kindling.shell.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IntSorter} against {@code Arrays.sort} of boxed ints with the same comparator (a stable sort too). */
class IntSorterTest {

    @Test
    void sortsAnyRangeLikeAStableSortOfBoxedInts() {
        Random random = new Random(3);
        // Order by x / 8 only, so equal elements are common and stability shows.
        IntSorter.IntComparator byEighth = (a, b) -> Integer.compare(a / 8, b / 8);
        Comparator<Integer> reference = Comparator.comparingInt(x -> x / 8);
        for (int n : new int[] {0, 1, 2, 23, 24, 25, 100, 1000, 33_333}) {
            for (int round = 0; round < 5; round++) {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(round % 2 == 0 ? 100 : Integer.MAX_VALUE);
                }
                if (round == 4) {
                    Arrays.sort(values); // already sorted input
                }
                int from = n < 4 ? 0 : random.nextInt(n / 4);
                int to = n < 4 ? n : n - random.nextInt(n / 4);
                Integer[] boxed = Arrays.stream(values).boxed().toArray(Integer[]::new);
                Arrays.sort(boxed, from, to, reference);
                int[] expected = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();

                IntSorter.sort(values, from, to, byEighth);
                assertArrayEquals(expected, values, "n=" + n + " round=" + round);
            }
        }
    }
}
