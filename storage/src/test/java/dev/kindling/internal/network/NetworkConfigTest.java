package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the network keys. */
class NetworkConfigTest {

    @Test
    void missingKeysTakeTheDefaults() {
        NetworkConfig c = NetworkConfig.fromMap(Map.of(), "kindling.driver.host");
        assertEquals(16 << 20, c.maxFrameBytes());
        assertEquals(120_000, c.timeoutMs());
        assertEquals(48L << 20, c.maxBytesInFlight());
        assertNull(c.bindHost());
        assertEquals(NetworkConfig.defaults(), c);
    }

    @Test
    void setKeysAreRead() {
        NetworkConfig c = NetworkConfig.fromMap(Map.of(NetworkConfig.MAX_FRAME_BYTES, "65536", NetworkConfig.TIMEOUT_MS, "500",
                NetworkConfig.MAX_BYTES_IN_FLIGHT, "1000000", "kindling.executor.host", "127.0.0.3"), "kindling.executor.host");
        assertEquals(new NetworkConfig(65536, 500, 1_000_000, false, "127.0.0.3"), c);
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.fromMap(Map.of(NetworkConfig.TIMEOUT_MS, "soon"), null));
        assertTrue(e.getMessage().contains(NetworkConfig.TIMEOUT_MS) && e.getMessage().contains("\"soon\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.fromMap(Map.of(NetworkConfig.MAX_FRAME_BYTES, "100"), null));
        assertTrue(e.getMessage().contains("at least 1024") && e.getMessage().contains("got 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.fromMap(Map.of(NetworkConfig.MAX_FRAME_BYTES, "3000000000"), null));
        assertTrue(e.getMessage().contains("at most " + Integer.MAX_VALUE), e.getMessage());
    }

    @Test
    void chunksFitInAFrameAndInTheInFlightBound() {
        assertEquals(1 << 20, NetworkConfig.defaults().chunkBytes());
        assertEquals(4096 - Frames.CHUNK_OVERHEAD, NetworkConfig.defaults().withMaxFrameBytes(4096).chunkBytes());
        assertEquals(100, NetworkConfig.defaults().withMaxBytesInFlight(100).chunkBytes());
    }
}
