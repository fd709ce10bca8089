package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The deserialization filter: what is within the limits reads back equal, what is past them is refused. */
class DeserializationLimitsTest {

    private static final DeserializationLimits LIMITS = new DeserializationLimits(50, 1_000, 10_000, 1 << 20);

    /** A linked list node: each link is one level deeper. */
    record Node(int value, Node next) implements Serializable {
    }

    private static Node chain(int length) {
        Node n = null;
        for (int i = 0; i < length; i++) {
            n = new Node(i, n);
        }
        return n;
    }

    @Test
    void objectsWithinTheLimitsReadBackEqual() throws IOException {
        Map<String, List<Integer>> value = new TreeMap<>(Map.of("a", List.of(1, 2), "b", List.of()));
        assertEquals(value, LIMITS.readObject(DeserializationLimits.serialize(value), Map.class, null));
        assertEquals(chain(10), LIMITS.readObject(DeserializationLimits.serialize(chain(10)), Node.class, null));
    }

    @Test
    void aGraphDeeperThanTheLimitIsRefused() {
        byte[] deep = DeserializationLimits.serialize(chain(200));
        IOException e = assertThrows(IOException.class, () -> LIMITS.readObject(deep, Node.class, null));
        assertTrue(e.getMessage().contains("refused by the deserialization filter"), e.getMessage());
    }

    @Test
    void anArrayLongerThanTheLimitIsRefusedBeforeItIsAllocated() {
        byte[] big = DeserializationLimits.serialize(new long[5_000]);
        assertThrows(IOException.class, () -> LIMITS.readObject(big, long[].class, null));
        assertDoesNotThrow(() -> LIMITS.readObject(DeserializationLimits.serialize(new long[1_000]), long[].class, null));
    }

    @Test
    void tooManyReferencesAreRefused() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add("s" + i);
        }
        byte[] bytes = DeserializationLimits.serialize(new ArrayList<>(many));
        assertThrows(IOException.class, () -> LIMITS.readObject(bytes, ArrayList.class, null));
    }

    @Test
    void moreBytesThanTheLimitAreRefused() {
        DeserializationLimits small = new DeserializationLimits(50, 1 << 20, 10_000, 1_000);
        byte[] bytes = DeserializationLimits.serialize(new byte[5_000]);
        assertThrows(IOException.class, () -> small.readObject(bytes, byte[].class, null));
    }

    @Test
    void anObjectOfAnotherTypeIsAnErrorNamingBoth() {
        IOException e = assertThrows(IOException.class,
                () -> LIMITS.readObject(DeserializationLimits.serialize("text"), Integer.class, null));
        assertTrue(e.getMessage().contains("java.lang.Integer") && e.getMessage().contains("java.lang.String"), e.getMessage());
    }
}
