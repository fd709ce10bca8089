package dev.kindling.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver/executor messages: each round-trips field by field, and malformed bytes are a clear IOException. */
class ClusterMessageTest {

    private static final byte[] PAYLOAD = {0, 1, -1, 127, -128, 42};

    private static List<ClusterMessage> samples() {
        return List.of(
                new ClusterMessage.RegisterExecutor("7", "127.0.0.1", 40_123, 3, 98_765L),
                new ClusterMessage.Registered(Map.of("kindling.a", "1", "kindling.b", "ünïcode ✓", "kindling.empty", "")),
                new ClusterMessage.Registered(Map.of()),
                new ClusterMessage.Heartbeat("0", PAYLOAD),
                new ClusterMessage.Heartbeat("0", new byte[0]),
                new ClusterMessage.LaunchTask(PAYLOAD),
                new ClusterMessage.KillTask(Long.MAX_VALUE, true, "stage 3 cancelled"),
                new ClusterMessage.KillTask(-1, false, ""),
                new ClusterMessage.StatusUpdate("12", PAYLOAD),
                new ClusterMessage.StopExecutor(),
                new ClusterMessage.FetchClass("a.b.C$D"),
                new ClusterMessage.ClassBytes(PAYLOAD),
                new ClusterMessage.ClassBytes(null),
                new ClusterMessage.FetchBroadcast(Long.MIN_VALUE),
                new ClusterMessage.BroadcastBytes(new byte[100_000]),
                new ClusterMessage.FetchMapStatuses(4, 12),
                new ClusterMessage.CanCommit(3, 1, 7, 2),
                new ClusterMessage.EnterOutput("mz3k_0001"),
                new ClusterMessage.ExitOutput("mz3k_0001"),
                new ClusterMessage.OutputAnswer(true),
                new ClusterMessage.OutputAnswer(false),
                new ClusterMessage.UpdateBlocks("1", new int[] {3, 0, 3, 7}, new int[] {2, 5}),
                new ClusterMessage.UpdateBlocks("1", new int[0], new int[0]),
                new ClusterMessage.RemoveRdd(42),
                new ClusterMessage.RddRemoved(8),
                new ClusterMessage.RemoveBlock("taskresult_42"),
                new ClusterMessage.RemoveBroadcast(Long.MAX_VALUE),
                new ClusterMessage.Ping());
    }

    @Test
    void everyMessageRoundTripsToAnEqualMessageWithTheSameBytes() throws IOException {
        for (ClusterMessage m : samples()) {
            byte[] bytes = m.encode();
            ClusterMessage back = ClusterMessage.decode(bytes);
            assertEquals(m.getClass(), back.getClass());
            assertArrayEquals(bytes, back.encode(), m.toString());
            if (!(m instanceof ClusterMessage.Heartbeat || m instanceof ClusterMessage.LaunchTask
                    || m instanceof ClusterMessage.StatusUpdate || m instanceof ClusterMessage.ClassBytes
                    || m instanceof ClusterMessage.BroadcastBytes || m instanceof ClusterMessage.UpdateBlocks)) {
                assertEquals(m, back); // records without arrays compare by value
            }
        }
    }

    @Test
    void fieldsSurviveTheTrip() throws IOException {
        ClusterMessage.StatusUpdate s = ClusterMessage.decode(new ClusterMessage.StatusUpdate("12", PAYLOAD).encode(),
                ClusterMessage.StatusUpdate.class);
        assertEquals("12", s.executorId());
        assertArrayEquals(PAYLOAD, s.update());
        assertNull(ClusterMessage.decode(new ClusterMessage.ClassBytes(null).encode(), ClusterMessage.ClassBytes.class).bytes());
        assertEquals("ünïcode ✓", ClusterMessage.decode(samples().get(1).encode(), ClusterMessage.Registered.class)
                .conf().get("kindling.b"));
    }

    @Test
    void blockReportsKeepTheirPairsAndTagsOutsideTheKnownRangesAreRefused() throws IOException {
        ClusterMessage.UpdateBlocks u = ClusterMessage.decode(new ClusterMessage.UpdateBlocks("1", new int[] {3, 0, 3, 7},
                new int[] {2, 5}).encode(), ClusterMessage.UpdateBlocks.class);
        assertEquals("1", u.executorId());
        assertArrayEquals(new int[] {3, 0, 3, 7}, u.stored());
        assertArrayEquals(new int[] {2, 5}, u.removed());
        assertEquals(42, ClusterMessage.decode(new ClusterMessage.RemoveRdd(42).encode(), ClusterMessage.RemoveRdd.class).rddId());
        assertThrows(IllegalArgumentException.class, () -> new ClusterMessage.UpdateBlocks("1", new int[] {3}, new int[0]));
        for (int tag = 20; tag <= 21; tag++) { // gaps between the tags in use
            byte[] unknown = {(byte) tag};
            assertTrue(assertThrows(IOException.class, () -> ClusterMessage.decode(unknown)).getMessage()
                    .contains("unknown tag " + tag), "tag " + tag);
        }
    }

    @Test
    void anotherTypeThanExpectedIsAnErrorNamingBoth() {
        IOException e = assertThrows(IOException.class,
                () -> ClusterMessage.decode(new ClusterMessage.StopExecutor().encode(), ClusterMessage.Registered.class));
        assertEquals("Expected a Registered message but got a StopExecutor", e.getMessage());
    }

    @Test
    void emptyUnknownTruncatedAndTrailingBytesAreIOExceptionsThatSayWhich() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> ClusterMessage.decode(new byte[0])).getMessage().contains("empty"));
        assertTrue(assertThrows(IOException.class, () -> ClusterMessage.decode(new byte[] {99})).getMessage()
                .contains("Unknown cluster message tag 99"));
        for (ClusterMessage m : samples()) {
            byte[] bytes = m.encode();
            for (int n = 1; n < bytes.length; n += Math.max(1, bytes.length / 50)) {
                byte[] cut = Arrays.copyOf(bytes, n);
                IOException e = assertThrows(IOException.class, () -> ClusterMessage.decode(cut), m + " cut at " + n);
                assertTrue(e.getMessage().contains("tag " + m.tag()), e.getMessage());
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            IOException e = assertThrows(IOException.class, () -> ClusterMessage.decode(longer));
            assertTrue(e.getMessage().contains("1 bytes after its last field"), e.getMessage());
        }
    }

    @Test
    void lengthsLargerThanTheMessageAreRefusedBeforeAllocating() {
        byte[] lie = ByteBuffer.allocate(5).put((byte) 4).putInt(Integer.MAX_VALUE).array();
        IOException e = assertThrows(IOException.class, () -> ClusterMessage.decode(lie));
        assertTrue(e.getMessage().contains("claims 2147483647 bytes but 0 are left"), e.getMessage());
        byte[] negative = ByteBuffer.allocate(5).put((byte) 4).putInt(-5).array();
        assertThrows(IOException.class, () -> ClusterMessage.decode(negative));
        byte[] manyEntries = ByteBuffer.allocate(5).put((byte) 2).putInt(1 << 30).array();
        assertTrue(assertThrows(IOException.class, () -> ClusterMessage.decode(manyEntries)).getMessage()
                .contains("claims 1073741824 entries"));
    }

    @Test
    void randomBytesDecodeOrFailWithAnIOExceptionOnly() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) random.nextInt(13);
            }
            try {
                ClusterMessage.decode(bytes);
            } catch (IOException expected) {
                // fine: malformed
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + ", bytes " + Arrays.toString(bytes) + ": " + e, e);
            }
        }
    }
}
