package dev.kindling.internal.rdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kindling.Pair;
import dev.kindling.Triple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Copies shares immutable values (cheaply, without serializing) and deep-copies everything else. */
class CopiesTest {

    @Test
    void immutableValuesAndRecordsOfThemAreShared() {
        Pair<Integer, Pair<String, Long>> nested = Pair.of(1, Pair.of("a", 2L));
        Triple<String, Double, Boolean> triple = new Triple<>("x", 1.5, null);

        assertSame(nested, Copies.copy(nested));
        assertSame(triple, Copies.copy(triple));
        assertSame("s", Copies.copy("s"));
    }

    @Test
    void mutableValuesAndRecordsHoldingThemAreDeepCopied() {
        ArrayList<Integer> list = new ArrayList<>(List.of(1, 2));
        Pair<String, ArrayList<Integer>> pair = Pair.of("k", list);

        Pair<String, ArrayList<Integer>> copy = Copies.copy(pair);

        assertNotSame(pair, copy);
        assertNotSame(list, copy.value());
        assertEquals(pair, copy);
        copy.value().add(3);
        assertEquals(List.of(1, 2), list);
    }
}
