package dev.kindling.internal.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one Java-serialization round trip: copies, and errors built by the caller with the cause kept. */
class ClosureSerializerTest {

    /** Serializes, but refuses to be read back. */
    static final class Unreadable implements Serializable {
        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("refused");
        }
    }

    @Test
    void aCopyIsDeepAndEqualToTheOriginal() {
        List<Integer> inner = new ArrayList<>(List.of(1, 2, 3));
        TreeMap<String, List<Integer>> original = new TreeMap<>(Map.of("a", inner));

        TreeMap<String, List<Integer>> copy = ClosureSerializer.copy(original, Object::toString);

        assertEquals(original, copy);
        assertNotSame(original, copy);
        assertNotSame(inner, copy.get("a"));
        copy.get("a").add(4);
        assertEquals(List.of(1, 2, 3), inner, "changing the copy leaves the original as it was");
    }

    @Test
    void deserializeReadsBackWhatSerializeWrote() {
        int[] values = {4, 5, 6};
        byte[] bytes = ClosureSerializer.serialize(values, Object::toString);
        int[] back = ClosureSerializer.deserialize(bytes, null, Object::toString);
        assertArrayEquals(values, back);
        ClosureSerializer.checkSerializable(values, Object::toString);
    }

    @Test
    void whenAValueCannotBeSerialized_thenTheCallersMessageIsThrownWithTheOriginalCause() {
        Object notSerializable = new Object();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClosureSerializer.serialize(List.of(notSerializable), ex -> "cannot ship the list: " + ex));
        assertTrue(e.getCause() instanceof NotSerializableException, "cause: " + e.getCause());
        assertEquals("cannot ship the list: " + e.getCause(), e.getMessage());
        IllegalArgumentException check = assertThrows(IllegalArgumentException.class,
                () -> ClosureSerializer.checkSerializable(notSerializable, ex -> "check: " + ex.getMessage()));
        assertEquals("check: java.lang.Object", check.getMessage());
    }

    @Test
    void whenBytesCannotBeReadBack_thenDeserializeThrowsIllegalStateAndCopyIllegalArgument() {
        byte[] bytes = ClosureSerializer.serialize(new Unreadable(), Object::toString);
        IllegalStateException read = assertThrows(IllegalStateException.class,
                () -> ClosureSerializer.deserialize(bytes, null, ex -> "reading failed: " + ex.getMessage()));
        assertEquals("reading failed: refused", read.getMessage());
        assertTrue(read.getCause() instanceof InvalidObjectException, "cause: " + read.getCause());
        IllegalArgumentException copy = assertThrows(IllegalArgumentException.class,
                () -> ClosureSerializer.copy(new Unreadable(), ex -> "copy failed: " + ex.getMessage()));
        assertEquals("copy failed: refused", copy.getMessage());
        assertSame(InvalidObjectException.class, copy.getCause().getClass());
    }
}
