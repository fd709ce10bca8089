package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.Triple;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.LocalContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Joins, cogroup and subtractByKey of {@link PairRDD}, checked against nested loops over the same
 * lists (keys compared with {@link Objects#equals}, so null is a key like any other). Results are
 * compared as sorted lists of their {@code toString()}, i.e. as multisets.
 */
@ExtendWith(LocalContext.class)
class JoinsTest {

    private static final String SHAPES = "dev.kindling.ops.RandomData#shapes";

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void innerJoinMatchesNestedLoops(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> left = RandomData.skewedPairs(60, shape.size());
        List<Pair<String, String>> right = rightSide(61);
        List<Pair<String, Pair<Integer, String>>> expected = new ArrayList<>();
        for (Pair<String, Integer> l : left) {
            for (Pair<String, String> r : right) {
                if (Objects.equals(l.key(), r.key())) {
                    expected.add(Pair.of(l.key(), Pair.of(l.value(), r.value())));
                }
            }
        }
        PairRDD<String, Integer> l = PairOperationsTest.pairs(shape, kc, left);
        PairRDD<String, String> r = kc.parallelizePairs(right, 3);

        assertEquals(asSorted(expected), asSorted(l.join(r).collect()));
        assertEquals(asSorted(expected), asSorted(l.join(r, 4).collect()));
        assertEquals(4, l.join(r, 4).getNumPartitions());
        assertEquals(asSorted(expected), asSorted(l.join(r, new HashPartitioner(1)).collect()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void outerJoinsMatchNestedLoops(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> left = RandomData.skewedPairs(62, shape.size());
        List<Pair<String, String>> right = rightSide(63);
        List<Pair<String, Pair<Integer, Optional<String>>>> leftOuter = new ArrayList<>();
        List<Pair<String, Pair<Optional<Integer>, String>>> rightOuter = new ArrayList<>();
        List<Pair<String, Pair<Optional<Integer>, Optional<String>>>> fullOuter = new ArrayList<>();
        for (Pair<String, Integer> l : left) {
            boolean matched = false;
            for (Pair<String, String> r : right) {
                if (Objects.equals(l.key(), r.key())) {
                    matched = true;
                    leftOuter.add(Pair.of(l.key(), Pair.of(l.value(), Optional.of(r.value()))));
                    fullOuter.add(Pair.of(l.key(), Pair.of(Optional.of(l.value()), Optional.of(r.value()))));
                }
            }
            if (!matched) {
                leftOuter.add(Pair.of(l.key(), Pair.of(l.value(), Optional.empty())));
                fullOuter.add(Pair.of(l.key(), Pair.of(Optional.of(l.value()), Optional.empty())));
            }
        }
        for (Pair<String, String> r : right) {
            boolean matched = false;
            for (Pair<String, Integer> l : left) {
                if (Objects.equals(l.key(), r.key())) {
                    matched = true;
                    rightOuter.add(Pair.of(r.key(), Pair.of(Optional.of(l.value()), r.value())));
                }
            }
            if (!matched) {
                rightOuter.add(Pair.of(r.key(), Pair.of(Optional.empty(), r.value())));
                fullOuter.add(Pair.of(r.key(), Pair.of(Optional.empty(), Optional.of(r.value()))));
            }
        }
        PairRDD<String, Integer> l = PairOperationsTest.pairs(shape, kc, left);
        PairRDD<String, String> r = kc.parallelizePairs(right, 2);

        assertEquals(asSorted(leftOuter), asSorted(l.leftOuterJoin(r).collect()));
        assertEquals(asSorted(rightOuter), asSorted(l.rightOuterJoin(r, 3).collect()));
        assertEquals(asSorted(fullOuter), asSorted(l.fullOuterJoin(r, new HashPartitioner(5)).collect()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void cogroupOfTwoAndThreeListsEveryKeyOnceWithAllItsValues(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> first = RandomData.skewedPairs(64, shape.size());
        List<Pair<String, String>> second = rightSide(65);
        List<Pair<String, Integer>> third = RandomData.skewedPairs(66, 30);
        Set<String> keys = new LinkedHashSet<>();
        first.forEach(kv -> keys.add(kv.key()));
        second.forEach(kv -> keys.add(kv.key()));
        Set<String> keys3 = new LinkedHashSet<>(keys);
        third.forEach(kv -> keys3.add(kv.key()));

        List<String> expected2 = new ArrayList<>();
        for (String k : keys) {
            expected2.add(k + "=" + valuesOf(first, k) + valuesOf(second, k));
        }
        List<String> expected3 = new ArrayList<>();
        for (String k : keys3) {
            expected3.add(k + "=" + valuesOf(first, k) + valuesOf(second, k) + valuesOf(third, k));
        }
        PairRDD<String, Integer> a = PairOperationsTest.pairs(shape, kc, first);
        PairRDD<String, String> b = kc.parallelizePairs(second, 3);
        PairRDD<String, Integer> c = kc.parallelizePairs(third, 2);

        List<String> actual2 = a.cogroup(b).collect().stream()
                .map(kv -> kv.key() + "=" + sortedStrings(kv.value().key()) + sortedStrings(kv.value().value()))
                .collect(Collectors.toList());
        assertEquals(sorted(expected2), sorted(actual2));
        List<Pair<String, Triple<Iterable<Integer>, Iterable<String>, Iterable<Integer>>>> grouped3 =
                a.cogroup(b, c).collect();
        List<String> actual3 = grouped3.stream().map(kv -> kv.key() + "=" + sortedStrings(kv.value().first())
                + sortedStrings(kv.value().second()) + sortedStrings(kv.value().third())).collect(Collectors.toList());
        assertEquals(sorted(expected3), sorted(actual3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SHAPES)
    void subtractByKeyKeepsPairsWhoseKeyIsAbsentOnTheRight(RandomData.Shape shape, KindlingContext kc) {
        List<Pair<String, Integer>> left = RandomData.skewedPairs(67, shape.size());
        List<Pair<String, String>> right = List.of(Pair.of("Aa", "x"), Pair.of(null, "y"), Pair.of("k9", "z"));
        Set<String> rightKeys = new HashSet<>();
        right.forEach(kv -> rightKeys.add(kv.key()));
        List<Pair<String, Integer>> expected = left.stream().filter(kv -> !rightKeys.contains(kv.key()))
                .collect(Collectors.toList());
        PairRDD<String, Integer> l = PairOperationsTest.pairs(shape, kc, left);

        assertEquals(asSorted(expected), asSorted(l.subtractByKey(kc.parallelizePairs(right, 2)).collect()));
        assertEquals(asSorted(expected), asSorted(l.subtractByKey(kc.parallelizePairs(right, 2), 3).collect()));
    }

    // ---- helpers ----

    /** Pairs whose keys overlap the left side's, plus keys only the right side has. */
    private static List<Pair<String, String>> rightSide(long seed) {
        Random random = new Random(seed);
        List<Pair<String, String>> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = random.nextInt(4) == 0 ? "right-only-" + random.nextInt(3)
                    : RandomData.KEY_POOL.get(random.nextInt(RandomData.KEY_POOL.size() - 3));
            out.add(Pair.of(key, "w" + i));
        }
        return out;
    }

    private static <V> String valuesOf(List<Pair<String, V>> data, String key) {
        List<String> values = new ArrayList<>();
        for (Pair<String, V> kv : data) {
            if (Objects.equals(kv.key(), key)) {
                values.add(String.valueOf(kv.value()));
            }
        }
        return sorted(values).toString();
    }

    private static String sortedStrings(Iterable<?> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return sorted(out).toString();
    }

    private static List<String> asSorted(List<?> pairs) {
        return sorted(pairs.stream().map(String::valueOf).collect(Collectors.toList()));
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
