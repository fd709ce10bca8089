package dev.kindling.ops;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Random inputs for the operator tests, and the partition layouts every operator is checked on:
 * an empty RDD, one partition, more partitions than elements, empty partitions in the middle, and
 * an ordinary spread. Keys come from a small skewed pool holding null and strings with colliding
 * hash codes ({@code "Aa".hashCode() == "BB".hashCode()}).
 */
final class RandomData {

    /** Keys with equal hash codes ("Aa", "BB", ...) and null, so hash maps see collisions. */
    static final List<String> KEY_POOL = Collections.unmodifiableList(Arrays.asList(
            "Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", null, "k7", "k8", "k9", "k10", "k11"));

    private RandomData() {
    }

    /**
     * How a list is cut into partitions.
     *
     * @param name      shown in parameterized test names
     * @param size      number of elements
     * @param slices    partition counts of the pieces; a piece's share of the data is proportional
     *                  to its count, except pieces listed in {@code emptyPieces}, which get none
     * @param emptyPieces indexes of pieces without data
     */
    record Shape(String name, int size, int[] slices, int[] emptyPieces) {

        /** The total number of partitions. */
        int partitions() {
            return Arrays.stream(slices).sum();
        }

        /** Distributes {@code data} (of {@link #size()} elements) in this layout. */
        <T> RDD<T> rdd(KindlingContext kc, List<T> data) {
            if (slices.length == 1) {
                return kc.parallelize(data, slices[0]);
            }
            int withData = 0;
            for (int i = 0; i < slices.length; i++) {
                if (!isEmptyPiece(i)) {
                    withData += slices[i];
                }
            }
            List<RDD<T>> pieces = new ArrayList<>();
            int from = 0;
            int seen = 0;
            for (int i = 0; i < slices.length; i++) {
                if (isEmptyPiece(i)) {
                    pieces.add(kc.parallelize(List.of(), slices[i]));
                } else {
                    seen += slices[i];
                    int to = (int) ((long) data.size() * seen / withData);
                    pieces.add(kc.parallelize(data.subList(from, to), slices[i]));
                    from = to;
                }
            }
            return kc.union(pieces);
        }

        /** The expected contents of each partition, by Kindling's slicing rule, computed by hand. */
        <T> List<List<T>> partitionsOf(List<T> data) {
            int withData = 0;
            for (int i = 0; i < slices.length; i++) {
                if (!isEmptyPiece(i)) {
                    withData += slices[i];
                }
            }
            List<List<T>> out = new ArrayList<>();
            int from = 0;
            int seen = 0;
            for (int i = 0; i < slices.length; i++) {
                List<T> piece = List.of();
                if (!isEmptyPiece(i)) {
                    seen += slices[i];
                    int to = (int) ((long) data.size() * seen / withData);
                    piece = data.subList(from, to);
                    from = to;
                }
                for (int j = 0; j < slices[i]; j++) {
                    int start = (int) ((long) j * piece.size() / slices[i]);
                    int end = (int) ((long) (j + 1) * piece.size() / slices[i]);
                    out.add(new ArrayList<>(piece.subList(start, end)));
                }
            }
            return out;
        }

        private boolean isEmptyPiece(int i) {
            return Arrays.stream(emptyPieces).anyMatch(e -> e == i);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The layouts each operator is checked on. */
    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape("empty (3 empty partitions)", 0, new int[] {3}, new int[0]),
                new Shape("single partition", 200, new int[] {1}, new int[0]),
                new Shape("more partitions than elements", 5, new int[] {12}, new int[0]),
                new Shape("empty partitions in the middle", 300, new int[] {2, 3, 2}, new int[] {1}),
                new Shape("spread over 7 partitions", 1000, new int[] {7}, new int[0]));
    }

    /** {@code n} random ints in {@code [0, bound)}, reproducible for {@code seed}. */
    static List<Integer> ints(long seed, int n, int bound) {
        Random random = new Random(seed);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextInt(bound));
        }
        return out;
    }

    /**
     * {@code n} pairs with skewed keys from {@link #KEY_POOL} (about half are the key "Aa", null
     * included) and random int values in {@code [0, 100)}.
     */
    static List<Pair<String, Integer>> skewedPairs(long seed, int n) {
        Random random = new Random(seed);
        List<Pair<String, Integer>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = random.nextBoolean() ? "Aa" : KEY_POOL.get(random.nextInt(KEY_POOL.size()));
            out.add(Pair.of(key, random.nextInt(100)));
        }
        return out;
    }

    /** {@code n} random doubles, spread over a wide range with a few repeated values. */
    static List<Double> doubles(long seed, int n) {
        Random random = new Random(seed);
        List<Double> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextInt(10) == 0 ? 3.0 : random.nextGaussian() * 1000 + 50);
        }
        return out;
    }
}
