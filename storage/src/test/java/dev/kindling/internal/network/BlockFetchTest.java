package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunked block fetch: files larger than a frame, in-memory blocks, the in-flight bound, missing blocks. */
class BlockFetchTest {

    private final AppSecret secret = AppSecret.generate();

    @TempDir
    Path dir;

    /** Serves {@code blocks} and fetches {@code blockId} with {@code config}. */
    private static FetchResult fetch(NetworkConfig config, AppSecret secret, BlockSource blocks, String blockId,
                                     ByteArrayOutputStream sink) throws IOException {
        try (TransportServer server = TransportServer.start(config, secret, 0, 2, request -> new byte[0], blocks);
             TransportClientFactory clients = TransportClientFactory.create(config, secret)) {
            return clients.connect(server.address()).fetch(blockId, sink);
        }
    }

    @Test
    void aFileSegmentLargerThanTheFrameLimitArrivesByteForByteWithinTheInFlightBound() throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("shuffle_0_0.data");
        Files.write(file, content);
        long offset = 12_345;
        long length = content.length - offset - 1_000;
        NetworkConfig config = NetworkConfig.defaults().withMaxFrameBytes(16 * 1024).withMaxBytesInFlight(40 * 1024);
        int chunk = config.chunkBytes();
        assertEquals(16 * 1024 - Frames.CHUNK_OVERHEAD, chunk);
        AtomicInteger opens = new AtomicInteger();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        FetchResult result = fetch(config, secret, id -> {
            opens.incrementAndGet();
            return id.equals("shuffle_0_0_3") ? new BlockData.FileSegment(file, offset, length) : null;
        }, "shuffle_0_0_3", sink);

        assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) (offset + length)), sink.toByteArray());
        assertEquals(length, result.bytes());
        assertEquals((length + chunk - 1) / chunk, result.chunks());
        assertTrue(result.maxBytesInFlight() <= 40 * 1024, "in flight " + result.maxBytesInFlight());
        assertTrue(result.maxBytesInFlight() >= 2L * chunk, "requests are pipelined: " + result.maxBytesInFlight());
        assertEquals(result.chunks() + 1, opens.get(), "one size request and one open per chunk");
    }

    @Test
    void anInFlightBoundBelowTheFrameLimitShrinksTheChunks() throws Exception {
        byte[] content = new byte[50_000];
        new Random(8).nextBytes(content);
        NetworkConfig config = NetworkConfig.defaults().withMaxBytesInFlight(3_000);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FetchResult result = fetch(config, secret, id -> new BlockData.InMemory(ByteBuffer.wrap(content)), "b", sink);
        assertArrayEquals(content, sink.toByteArray());
        assertEquals(3_000, result.maxBytesInFlight());
        assertEquals(17, result.chunks());
    }

    @Test
    void anInMemoryBlockIsServedFromItsPositionAndAnEmptyBlockIsEmpty() throws Exception {
        byte[] content = new byte[300_000];
        new Random(9).nextBytes(content);
        ByteBuffer buffer = ByteBuffer.wrap(content).position(1000).limit(299_000);
        Map<String, BlockData> blocks = Map.of("rdd_1_0", new BlockData.InMemory(buffer),
                "empty", new BlockData.InMemory(ByteBuffer.allocate(0)));
        NetworkConfig config = NetworkConfig.defaults().withMaxFrameBytes(64 * 1024);
        try (TransportServer server = TransportServer.start(config, secret, 0, 2, request -> new byte[0], blocks::get);
             TransportClientFactory clients = TransportClientFactory.create(config, secret)) {
            TransportClient client = clients.connect(server.address());
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            client.fetch("rdd_1_0", sink);
            assertArrayEquals(Arrays.copyOfRange(content, 1000, 299_000), sink.toByteArray());
            ByteArrayOutputStream none = new ByteArrayOutputStream();
            assertEquals(new FetchResult(0, 0, 0), client.fetch("empty", none));
            assertEquals(0, none.size());
            assertEquals(1000, buffer.position(), "the served buffer is not modified");
        }
    }

    /**
     * Regression: frames once were slices of the decoder's receive buffer, read by the fetching thread
     * while the event loop went on receiving; with two clients fetching 100 MB at once, about half the
     * fetches came back with 64 KiB runs of wrong bytes (zeros or other parts of the block).
     */
    @Test
    void twoClientsFetchingALargeBlockAtOnceEachGetItByteForByte() throws Exception {
        byte[] content = new byte[48 << 20];
        new Random(11).nextBytes(content);
        Map<String, BlockData> blocks = Map.of("broadcast_1", new BlockData.InMemory(ByteBuffer.wrap(content)));
        NetworkConfig config = NetworkConfig.defaults();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (TransportServer server = TransportServer.start(config, secret, 0, 2, request -> new byte[0], blocks::get);
             TransportClientFactory first = TransportClientFactory.create(config, secret);
             TransportClientFactory second = TransportClientFactory.create(config, secret)) {
            for (int round = 0; round < 3; round++) {
                Future<byte[]> a = threads.submit(() -> first.connect(server.address()).fetchBytes("broadcast_1"));
                Future<byte[]> b = threads.submit(() -> second.connect(server.address()).fetchBytes("broadcast_1"));
                assertEquals(-1, Arrays.mismatch(content, a.get()), "first differing byte, round " + round);
                assertEquals(-1, Arrays.mismatch(content, b.get()), "first differing byte, round " + round);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aMissingBlockIsAnErrorNamingIt() throws Exception {
        IOException e = assertThrows(RemoteFailureException.class,
                () -> fetch(NetworkConfig.defaults(), secret, BlockSource.NONE, "shuffle_3_1_4", new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("no block shuffle_3_1_4"), e.getMessage());
    }

    @Test
    void aFileThatShrankUnderTheServerFailsTheFetchWithItsPosition() throws Exception {
        Path file = dir.resolve("shrinking");
        Files.write(file, new byte[200_000]);
        NetworkConfig config = NetworkConfig.defaults().withMaxFrameBytes(16 * 1024).withTimeoutMs(5_000);
        AtomicInteger opens = new AtomicInteger();
        IOException e = assertThrows(IOException.class, () -> fetch(config, secret, id -> {
            if (opens.incrementAndGet() == 3) {
                Files.write(file, new byte[10]); // truncated while the fetch runs
            }
            return new BlockData.FileSegment(file, 0, 200_000);
        }, "f", new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("Fetching block f"), e.getMessage());
    }
}
