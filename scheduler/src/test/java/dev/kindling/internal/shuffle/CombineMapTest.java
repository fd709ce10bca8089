package dev.kindling.internal.shuffle;

import dev.kindling.scheduler.Aggregator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CombineMap} against a {@link HashMap} given the same operations. */
class CombineMapTest {

    /** A key whose hash code is chosen by the test, so that any number of keys can collide. */
    record Colliding(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Keeps the last value of each key, as {@link Map#put} does; merges combiners the same way. */
    private static final Aggregator<Object, Object> LAST = new Aggregator<>() {
        @Override
        public Object createCombiner(Object value) {
            return value;
        }

        @Override
        public Object mergeValue(Object combiner, Object value) {
            return value;
        }

        @Override
        public Object mergeCombiners(Object left, Object right) {
            return right;
        }
    };

    /** Counts values: combiners are longs. */
    private static final Aggregator<Object, Object> COUNT = new Aggregator<>() {
        @Override
        public Object createCombiner(Object value) {
            return 1L;
        }

        @Override
        public Object mergeValue(Object combiner, Object value) {
            return (long) combiner + 1;
        }

        @Override
        public Object mergeCombiners(Object left, Object right) {
            return (long) left + (long) right;
        }
    };

    private static Map<Object, Object> contents(CombineMap<Object, Object, Object> map) {
        Map<Object, Object> out = new HashMap<>();
        map.forEach((k, c) -> {
            boolean fresh = !out.containsKey(k);
            out.put(k, c);
            assertTrue(fresh, "forEach gave key " + k + " twice");
        });
        Map<Object, Object> iterated = new HashMap<>();
        Iterator<Map.Entry<Object, Object>> it = map.iterator(CombineMapTest::entry);
        it.forEachRemaining(e -> iterated.put(e.getKey(), e.getValue()));
        assertEquals(out, iterated, "iterator and forEach agree");
        return out;
    }

    private static Map.Entry<Object, Object> entry(Object k, Object c) {
        return new java.util.AbstractMap.SimpleEntry<>(k, c);
    }

    @Test
    void whenKeysAreNewOrPresent_thenInsertTellsThemApartAndKeepsEachCombiner() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        assertEquals(1L, map.insertValue("a", "x"));
        assertTrue(map.wasAdded());
        assertEquals(2L, map.insertValue(new String("a"), "y"), "an equal (not identical) key is found");
        assertFalse(map.wasAdded());
        assertEquals(Map.of("a", 2L), contents(map));
        assertEquals(1, map.size());
    }

    @Test
    void whenAKeyIsLookedUp_thenGetGivesItsCombinerOrNull() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        assertNull(map.get("absent"));
        assertNull(map.get(null));
        assertTrue(map.foldValue("a", "x"));
        assertFalse(map.foldValue(new String("a"), "y"));
        assertTrue(map.foldValue(null, "x"));
        assertFalse(map.foldValue(null, "x"));
        assertEquals(2L, map.get("a"));
        assertEquals(2L, map.get(null));
        assertNull(map.get("b"));
        assertEquals(Map.of("a", 2L), contents(map).entrySet().stream().filter(e -> e.getKey() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void whenCombinersAreMerged_thenANewKeyTakesTheCombinerAsItIs() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        Long five = 5L;
        assertSame(five, map.insertCombiner("k", five));
        assertTrue(map.wasAdded());
        assertEquals(8L, map.insertCombiner("k", 3L));
        assertFalse(map.wasAdded());
        assertEquals(Map.of("k", 8L), contents(map));
    }

    /**
     * Collects values in a list merged in place (the combiner returned is the one given, as a
     * user's mutable buffer is), except that every third merge of a key returns a fresh copy: the
     * map must keep whichever object the aggregator returns.
     */
    private static Aggregator<Object, Object> inPlaceLists() {
        int[] merges = {0};
        return new Aggregator<>() {
            @Override
            public Object createCombiner(Object value) {
                List<Object> list = new ArrayList<>();
                list.add(value);
                return list;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object mergeValue(Object combiner, Object value) {
                List<Object> list = (List<Object>) combiner;
                if (++merges[0] % 3 == 0) {
                    list = new ArrayList<>(list);
                }
                list.add(value);
                return list;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object mergeCombiners(Object left, Object right) {
                List<Object> list = (List<Object>) left;
                if (++merges[0] % 3 == 0) {
                    list = new ArrayList<>(list);
                }
                list.addAll((List<Object>) right);
                return list;
            }
        };
    }

    @Test
    void whenCombinersAreMutatedInPlaceOrReplaced_thenEachKeyKeepsTheCombinerLastReturned() throws Exception {
        CombineMap<Object, Object, Object> values = new CombineMap<>(inPlaceLists());
        CombineMap<Object, Object, Object> combiners = new CombineMap<>(inPlaceLists());
        Map<Object, List<Object>> expected = new HashMap<>();
        Map<Object, Object> lastValues = new HashMap<>();
        Map<Object, Object> lastCombiners = new HashMap<>();
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            Object key = "k" + random.nextInt(300);
            lastValues.put(key, values.insertValue(key, i));
            lastCombiners.put(key, combiners.insertCombiner(key, new ArrayList<>(List.of(i))));
            expected.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        assertEquals(expected, contents(values));
        assertEquals(expected, contents(combiners));
        values.forEach((k, c) -> assertSame(lastValues.get(k), c, "the combiner last returned for " + k));
        combiners.forEach((k, c) -> assertSame(lastCombiners.get(k), c, "the combiner last returned for " + k));
    }

    @Test
    void whenACombinerIsNull_thenItsKeyStaysPresent() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(LAST);
        assertNull(map.insertValue("k", null));
        assertTrue(map.wasAdded());
        assertNull(map.insertValue("k", null));
        assertFalse(map.wasAdded(), "a null combiner must not read as an absent key");
        assertEquals(1, map.size(), "setting a null combiner must not remove the key");
        Map<Object, Object> expected = new HashMap<>();
        expected.put("k", null);
        assertEquals(expected, contents(map));
    }

    @Test
    void whenTheKeyIsNull_thenItIsKeptLikeAnyOtherKeyAndSurvivesGrowth() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(LAST);
        map.insertValue(null, "n");
        assertTrue(map.wasAdded());
        for (int i = 0; i < 1000; i++) {
            map.insertValue(i, i);
        }
        assertEquals("n", map.insertValue(null, "n"));
        assertFalse(map.wasAdded());
        assertEquals(1001, map.size());
        assertEquals("n", contents(map).get(null));
        assertTrue(contents(map).containsKey(null));
        map.clear();
        assertEquals(0, map.size());
        map.insertValue(null, "m");
        assertTrue(map.wasAdded(), "clear removes the null key too");
    }

    @Test
    void whenKeysShareAHashCode_thenEachKeepsItsOwnCombiner() throws Exception {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        List<Object> keys = new ArrayList<>(List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"));
        for (int i = 0; i < 200; i++) {
            keys.add(new Colliding(i, 7));
        }
        Map<Object, Object> reference = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (Object k : keys) {
                map.insertValue(k, "v");
                reference.merge(k, 1L, (a, b) -> (long) a + (long) b);
            }
        }
        assertEquals(reference, contents(map));
        assertEquals(3L, reference.get("BB"));
    }

    @Test
    void whenTheAggregatorThrows_thenTheExceptionComesOutAsItIsAndTheCombinerIsUnchanged() throws Exception {
        Aggregator<Object, Object> failing = new Aggregator<>() {
            @Override
            public Object createCombiner(Object value) throws IOException {
                if (value.equals("bad")) {
                    throw new IOException("bad value");
                }
                return value;
            }

            @Override
            public Object mergeValue(Object combiner, Object value) throws IOException {
                if (value.equals("bad")) {
                    throw new IOException("bad merge");
                }
                return combiner + "" + value;
            }

            @Override
            public Object mergeCombiners(Object left, Object right) {
                return left;
            }
        };
        CombineMap<Object, Object, Object> map = new CombineMap<>(failing);
        assertEquals("bad value", assertThrows(IOException.class, () -> map.insertValue("k", "bad")).getMessage());
        assertEquals(0, map.size(), "a failed create adds no key");
        map.insertValue("k", "a");
        assertEquals("bad merge", assertThrows(IOException.class, () -> map.insertValue("k", "bad")).getMessage());
        assertEquals("ab", map.insertValue("k", "b"), "a failed merge leaves the combiner as it was");
    }

    @Test
    void whenTheIteratorIsExhausted_thenNextThrowsNoSuchElement() throws Exception {
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        map.insertValue(null, "x");
        map.insertValue("k", "x");
        Iterator<Map.Entry<Object, Object>> it = map.iterator(CombineMapTest::entry);
        List<Object> keys = new ArrayList<>();
        while (it.hasNext()) {
            keys.add(it.next().getKey());
        }
        assertEquals(2, keys.size());
        assertTrue(keys.contains(null) && keys.contains("k"));
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void whenTheTableIsLarge_thenCountsAgreeWithAHashMapThroughGrowthAndClear() throws Exception {
        // ~100,000 keys grow the table to 2^18 slots; some keys collide, making long probe runs.
        Random random = new Random(7);
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        for (int round = 0; round < 2; round++) {
            Map<Object, Object> reference = new HashMap<>();
            for (int op = 0; op < 400_000; op++) {
                int id = random.nextInt(100_000);
                Object key = id % 50 == 0 ? new Colliding(id, id % 7) : "k" + id;
                map.insertValue(key, "one");
                reference.merge(key, 1L, (a, b) -> (long) a + (long) b);
            }
            assertEquals(reference.size(), map.size());
            assertEquals(reference, contents(map));
            map.clear(); // keeps the table's capacity; the second round refills it
            assertEquals(0, map.size());
            assertEquals(Map.of(), contents(map));
        }
    }

    @Test
    void whenRandomOperationsRun_thenTheMapAgreesWithAHashMap() throws Exception {
        Random random = new Random(42);
        List<Object> pool = new ArrayList<>();
        pool.add(null);
        pool.add("Aa");
        pool.add("BB");
        for (int i = 0; i < 5000; i++) {
            pool.add(random.nextInt(4) == 0 ? new Colliding(i, i % 13) : "w" + i);
        }
        CombineMap<Object, Object, Object> map = new CombineMap<>(LAST);
        Map<Object, Object> reference = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            Object key = pool.get(random.nextInt(random.nextBoolean() ? 50 : pool.size()));
            Object combiner = random.nextInt(10) == 0 ? null : (Object) op;
            boolean present = reference.containsKey(key);
            Object out = random.nextBoolean() ? map.insertValue(key, combiner) : map.insertCombiner(key, combiner);
            assertEquals(!present, map.wasAdded(), "presence of " + key + " at op " + op);
            assertEquals(combiner, out, "combiner of " + key + " at op " + op);
            reference.put(key, combiner);
            if (op % 70_000 == 69_999) {
                assertEquals(reference, contents(map));
                if (op < 100_000) {
                    map.clear();
                } else {
                    map.clearAndShrink();
                }
                reference.clear();
            }
        }
        assertEquals(reference.size(), map.size());
        assertEquals(reference, contents(map));
    }
    @Test
    void whenStringKeysAreWideLongOrCollide_thenTheMapAgreesWithAHashMap() throws Exception {
        // String keys are held inline (and never compared with equals) when they are Latin-1 and
        // short enough, compared with equals otherwise; mixed with keys of other types, equal hash
        // codes, lengths around each inline long, NUL characters (so "a" and "a\0" pack alike but
        // for their length), and strings differing only above a character's low byte.
        Random random = new Random(5);
        List<Object> pool = new ArrayList<>();
        String[] blocks = {"Aa", "BB"}; // every string made of these blocks has the same hash code
        for (int i = 0; i < 256; i++) {
            StringBuilder b = new StringBuilder();
            for (int bit = 0; bit < 8; bit++) {
                b.append(blocks[(i >>> bit) & 1]);
            }
            pool.add(b.toString());
        }
        for (int i = 0; i < 3000; i++) {
            char[] chars = new char[random.nextInt(InlineKeys.MAX_CHARS + 4)];
            for (int c = 0; c < chars.length; c++) {
                int kind = random.nextInt(12);
                chars[c] = (char) (kind == 0 ? 0x100 + random.nextInt(0x2000) : kind == 1 ? 0x80 + random.nextInt(0x80)
                        : kind == 2 ? 0 : 'a' + random.nextInt(3));
            }
            pool.add(new String(chars));
            pool.add(String.valueOf(chars).replace('a', '\u0161')); // 0x161: 'a' (0x61) one byte up
        }
        for (String k : List.of("", "\u0000", "a", "a\u0000", "\u0000a", "aaaaaaaa", "aaaaaaaa\u0000", "aaaaaaaab",
                "\u00ff".repeat(InlineKeys.MAX_CHARS), "\u00ff".repeat(InlineKeys.MAX_CHARS + 1),
                "\u00ff".repeat(InlineKeys.MAX_CHARS - 1) + "\u0100", "y".repeat(100))) {
            pool.add(k);
        }
        pool.add(new Colliding(1, "Aa".hashCode()));
        pool.add(7);
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        for (int round = 0; round < 2; round++) {
            Map<Object, Object> reference = new HashMap<>();
            for (int op = 0; op < 100_000; op++) {
                Object key = pool.get(random.nextInt(pool.size()));
                Object probe = key instanceof String s ? new String(s.toCharArray()) : key; // equal, not identical
                boolean present = reference.containsKey(probe);
                reference.merge(probe, 1L, (a, b) -> (long) a + (long) b);
                assertEquals(!present, map.foldValue(probe, "one"), "presence of key " + pool.indexOf(key) + " at op " + op);
                Object again = probe instanceof String s ? new String(s.toCharArray()) : probe;
                assertEquals(reference.get(probe), map.get(again), "get of an equal key");
            }
            assertEquals(reference, contents(map));
            map.clear(); // the copies are forgotten with the keys; refilled, the map must not match stale ones
        }
    }

    @Test
    void whenInlineStringKeysShareAHash_thenTheyStayApart() throws Exception {
        // Two 16-character keys with the same first half and the same inline hash (found by a
        // birthday search over the documented packing: one byte per character, little-endian):
        // only their second halves tell them apart.
        Random random = new Random(9);
        Map<Integer, String> byHash = new HashMap<>();
        String[] pair = null;
        for (int i = 0; i < 2_000_000 && pair == null; i++) {
            char[] chars = "aaaaaaaa".concat("........").toCharArray();
            long chars1 = 0;
            for (int c = 8; c < 16; c++) {
                chars[c] = (char) ('a' + random.nextInt(26));
                chars1 |= (long) chars[c] << ((c - 8) * 8);
            }
            String key = new String(chars);
            String before = byHash.putIfAbsent(InlineKeys.hash(0x6161616161616161L, chars1), key);
            if (before != null && !before.equals(key)) {
                pair = new String[] {before, key};
            }
        }
        assertTrue(pair != null, "a colliding pair exists among 2 million keys");
        CombineMap<Object, Object, Object> map = new CombineMap<>(COUNT);
        assertTrue(map.foldValue(pair[0], "x"));
        assertTrue(map.foldValue(pair[1], "x"), "the second key is new despite the shared hash");
        assertFalse(map.foldValue(new String(pair[1].toCharArray()), "x"));
        assertEquals(Map.of(pair[0], 1L, pair[1], 2L), contents(map));
    }

    /** Sums with {@code plus}; every combiner is the value's own type. */
    private static <T> Aggregator<Object, Object> summing(java.util.function.BinaryOperator<T> plus) {
        return new Aggregator<>() {
            @Override
            public Object createCombiner(Object value) {
                return value;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object mergeValue(Object combiner, Object value) {
                return plus.apply((T) combiner, (T) value);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object mergeCombiners(Object left, Object right) {
                return plus.apply((T) left, (T) right);
            }
        };
    }

    /** Inserts {@code ops} random values (from {@code value}) as values or combiners, into the map and a HashMap. */
    private static Map<Object, Object> sumBoth(CombineMap<Object, Object, Object> map, int ops, int keys, long seed,
                                               java.util.function.IntFunction<Object> value,
                                               java.util.function.BinaryOperator<Object> plus) throws Exception {
        Random random = new Random(seed);
        Map<Object, Object> reference = new HashMap<>();
        for (int op = 0; op < ops; op++) {
            String key = "k" + random.nextInt(keys);
            Object v = value.apply(random.nextInt(1_000_000));
            boolean present = reference.containsKey(key);
            Object expected = reference.merge(key, v, plus);
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(expected, map.insertValue(key, v), "combiner returned for " + key + " at op " + op);
                case 1 -> assertEquals(expected, map.insertCombiner(key, v), "combiner returned for " + key + " at op " + op);
                default -> {
                    assertEquals(!present, map.foldValue(key, v), "foldValue tells a new key, at op " + op);
                    assertEquals(expected, map.get(key), "combiner of " + key + " after foldValue at op " + op);
                }
            }
            assertEquals(!present, map.wasAdded());
        }
        return reference;
    }

    @Test
    void whenEveryCombinerIsAnIntegerLongOrDouble_thenSumsAgreeWithAHashMapThroughGrowthAndClear() throws Exception {
        // Combiners of one boxed type are held unboxed; what comes out must equal the boxed sums.
        List<Object[]> cases = List.of(
                new Object[] {summing(Integer::sum), (java.util.function.IntFunction<Object>) i -> i - 500_000,
                        (java.util.function.BinaryOperator<Object>) (a, b) -> (Integer) a + (Integer) b},
                new Object[] {summing(Long::sum), (java.util.function.IntFunction<Object>) i -> (long) i << 33,
                        (java.util.function.BinaryOperator<Object>) (a, b) -> (Long) a + (Long) b},
                new Object[] {summing(Double::sum),
                        (java.util.function.IntFunction<Object>) i -> i % 1000 == 0 ? -0.0 : i % 1001 == 0 ? Double.NaN : i / 7.0,
                        (java.util.function.BinaryOperator<Object>) (a, b) -> (Double) a + (Double) b});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            CombineMap<Object, Object, Object> map = new CombineMap<>((Aggregator<Object, Object>) c[0]);
            @SuppressWarnings("unchecked")
            java.util.function.IntFunction<Object> value = (java.util.function.IntFunction<Object>) c[1];
            @SuppressWarnings("unchecked")
            java.util.function.BinaryOperator<Object> plus = (java.util.function.BinaryOperator<Object>) c[2];
            assertEquals(sumBoth(map, 60_000, 20_000, 3, value, plus), contents(map));
            map.clear();
            assertEquals(Map.of(), contents(map));
            assertEquals(sumBoth(map, 5_000, 300, 4, value, plus), contents(map), "refilled after clear");
            map.clearAndShrink();
            assertEquals(sumBoth(map, 5_000, 300, 5, value, plus), contents(map), "refilled after clearAndShrink");
        }
        CombineMap<Object, Object, Object> zeros = new CombineMap<>(summing(Double::sum));
        zeros.insertValue("z", -0.0);
        zeros.insertValue("z", -0.0);
        assertEquals(Map.of("z", -0.0), contents(zeros), "-0.0 keeps its sign (Double.equals tells it from 0.0)");
    }

    @Test
    void whenACombinerOfAnotherTypeArrives_thenTheUnboxedOnesAreKeptAndLaterOnesToo() throws Exception {
        // Integers until a merge returns a Long (one aggregator's type changes mid-way), then mixed.
        Aggregator<Object, Object> widening = new Aggregator<>() {
            @Override
            public Object createCombiner(Object value) {
                return value;
            }

            @Override
            public Object mergeValue(Object combiner, Object value) {
                long sum = ((Number) combiner).longValue() + ((Number) value).longValue();
                return sum == (int) sum && !(value instanceof Long) ? (Object) (int) sum : (Object) sum;
            }

            @Override
            public Object mergeCombiners(Object left, Object right) {
                return mergeValue(left, right);
            }
        };
        for (boolean switchOnNewKey : new boolean[] {false, true}) {
            CombineMap<Object, Object, Object> map = new CombineMap<>(widening);
            Map<Object, Long> reference = new HashMap<>();
            for (int i = 0; i < 3_000; i++) {
                String key = "k" + (i % 1_000);
                map.insertValue(key, i);
                reference.merge(key, (long) i, Long::sum);
            }
            Object other = switchOnNewKey ? "new key" : "k7";
            map.insertValue(other, 5L); // a Long: the map boxes what it holds
            reference.merge(other, 5L, Long::sum);
            for (int i = 0; i < 3_000; i++) {
                String key = "k" + (i % 1_500);
                if (key.equals(other)) {
                    continue; // keeps its Long, checked below
                }
                map.insertCombiner(key, i);
                reference.merge(key, (long) i, Long::sum);
            }
            Map<Object, Long> numbers = new HashMap<>();
            contents(map).forEach((k, c) -> numbers.put(k, ((Number) c).longValue()));
            assertEquals(reference, numbers);
            assertEquals(Long.class, contents(map).get(other).getClass(), "the combiner that came as a Long stays one");
            assertEquals(Integer.class, contents(map).get("k1").getClass(), "earlier Integer combiners stay Integers");
        }
    }

    @Test
    void whenTheAggregatorThrowsOnAnUnboxedCombiner_thenTheCombinerIsUnchanged() throws Exception {
        Aggregator<Object, Object> failing = summing((Integer a, Integer b) -> {
            if (b < 0) {
                throw new IllegalArgumentException("negative " + b);
            }
            return a + b;
        });
        CombineMap<Object, Object, Object> map = new CombineMap<>(failing);
        map.insertValue("k", 40);
        assertEquals("negative -1", assertThrows(IllegalArgumentException.class, () -> map.insertValue("k", -1)).getMessage());
        assertEquals("negative -2", assertThrows(IllegalArgumentException.class, () -> map.insertCombiner("k", -2)).getMessage());
        assertEquals(42, map.insertValue("k", 2));
        assertEquals(Map.of("k", 42), contents(map));
    }
}
