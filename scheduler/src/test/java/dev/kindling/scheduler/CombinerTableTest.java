package dev.kindling.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CombinerTable} against a {@link HashMap} given the same operations. */
class CombinerTableTest {

    /** A key whose hash code is chosen by the test, so that any number of keys can collide. */
    record Colliding(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static Map<Object, Object> contents(CombinerTable table) {
        Map<Object, Object> out = new HashMap<>();
        table.forEach((k, c) -> {
            boolean fresh = !out.containsKey(k);
            out.put(k, c);
            assertTrue(fresh, "forEach gave key " + k + " twice");
        });
        return out;
    }

    @Test
    void whenKeysAreNewOrPresent_thenSlotOfTellsThemApartAndKeepsEachCombiner() {
        CombinerTable table = new CombinerTable();
        assertTrue(table.slotOf("a") < 0);
        table.insert(table.slotOf("a"), "a", 1L);
        int slot = table.slotOf(new String("a"));
        assertTrue(slot >= 0, "an equal (not identical) key is found");
        assertEquals(1L, table.combiner(slot));
        table.setCombiner(slot, 2L);
        assertEquals(Map.of("a", 2L), contents(table));
        assertEquals(1, table.size());
    }

    @Test
    void whenACombinerIsNull_thenItsKeyStaysPresent() {
        CombinerTable table = new CombinerTable();
        table.insert(table.slotOf("k"), "k", null);
        int slot = table.slotOf("k");
        assertTrue(slot >= 0, "a null combiner must not read as an absent key");
        assertNull(table.combiner(slot));
        table.setCombiner(slot, null);
        assertTrue(table.slotOf("k") >= 0, "setting a null combiner must not remove the key");
        assertEquals(1, table.size());
        Map<Object, Object> expected = new HashMap<>();
        expected.put("k", null);
        assertEquals(expected, contents(table));
    }

    @Test
    void whenTheKeyIsNull_thenItIsKeptLikeAnyOtherKeyAndSurvivesGrowth() {
        CombinerTable table = new CombinerTable();
        assertTrue(table.slotOf(null) < 0);
        table.insert(table.slotOf(null), null, "n");
        for (int i = 0; i < 1000; i++) {
            table.insert(table.slotOf(i), i, i);
        }
        int slot = table.slotOf(null);
        assertTrue(slot >= 0);
        assertEquals("n", table.combiner(slot));
        assertEquals(1001, table.size());
        assertEquals("n", contents(table).get(null));
        assertTrue(contents(table).containsKey(null));
        table.clear();
        assertTrue(table.slotOf(null) < 0, "clear removes the null key too");
        assertEquals(0, table.size());
    }

    @Test
    void whenKeysShareAHashCode_thenEachKeepsItsOwnCombiner() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        CombinerTable table = new CombinerTable();
        List<Object> keys = new ArrayList<>(List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"));
        for (int i = 0; i < 200; i++) {
            keys.add(new Colliding(i, 7));
        }
        Map<Object, Object> reference = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (Object k : keys) {
                int slot = table.slotOf(k);
                long next = (long) reference.getOrDefault(k, 0L) + 1;
                if (slot >= 0) {
                    table.setCombiner(slot, (long) table.combiner(slot) + 1);
                } else {
                    table.insert(slot, k, 1L);
                }
                reference.put(k, next);
            }
        }
        assertEquals(reference, contents(table));
        assertEquals(3L, reference.get("BB"));
    }

    @Test
    void whenRandomOperationsRun_thenTheTableAgreesWithAHashMap() {
        Random random = new Random(42);
        List<Object> pool = new ArrayList<>();
        pool.add(null);
        pool.add("Aa");
        pool.add("BB");
        for (int i = 0; i < 5000; i++) {
            pool.add(random.nextInt(4) == 0 ? new Colliding(i, i % 13) : "w" + i);
        }
        CombinerTable table = new CombinerTable();
        Map<Object, Object> reference = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            Object key = pool.get(random.nextInt(random.nextBoolean() ? 50 : pool.size()));
            Object combiner = random.nextInt(10) == 0 ? null : (Object) op;
            int slot = table.slotOf(key);
            assertEquals(reference.containsKey(key), slot >= 0, "presence of " + key + " at op " + op);
            if (slot >= 0) {
                assertEquals(reference.get(key), table.combiner(slot), "combiner of " + key + " at op " + op);
                table.setCombiner(slot, combiner);
            } else {
                table.insert(slot, key, combiner);
            }
            reference.put(key, combiner);
            if (op % 70_000 == 69_999) {
                assertEquals(reference, contents(table));
                table.clear();
                reference.clear();
            }
        }
        assertEquals(reference.size(), table.size());
        assertEquals(reference, contents(table));
    }
}
