package dev.kindling.internal.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.AuthenticationException;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.RemoteFailureException;
import dev.kindling.internal.network.TransportServer;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reduce-side reads by location, with three "executors" in one JVM: a reducer on executor a reads
 * its own map outputs directly from its store and fetches the others over real, authenticated
 * sockets from the block servers of executors b and c, each serving its own store. Every way an
 * output can be held is served: b keeps each output in one file (sent with zero copy); c keeps small
 * outputs in memory and spills a large one into several files (both serialized on request).
 */
class ShuffleFetchByLocationTest {

    private static final int SHUFFLE = 5;
    private static final int REDUCERS = 4;
    /** Records per map partition; map 3's are many, so that c spills it in several files. */
    private static final int[] RECORDS = {3_000, 5_000, 700, 200_000, 1_000, 4_000};
    /** Map partition 5 writes keys 0 mod 4 only: its other buckets are empty and never fetched. */
    private static final int ONLY_BUCKET_0 = 5;

    private final KryoSerializer serializer = KryoSerializer.create();
    private final AppSecret secret = AppSecret.generate();
    /** Small frames and a small in-flight bound, so blocks travel in many chunks. */
    private final NetworkConfig config = NetworkConfig.defaults().withMaxFrameBytes(64 * 1024)
            .withMaxBytesInFlight(100 * 1024).withTimeoutMs(20_000);

    @TempDir
    Path dir;

    private SpillingShuffleStore storeA;
    private SpillingShuffleStore storeB;
    private SpillingShuffleStore storeC;
    private TransportServer serverB;
    private TransportServer serverC;
    private final MapOutputTracker tracker = new MapOutputTracker();
    private final ExecutorLocation a = new ExecutorLocation("a", "localhost", 0);
    private ExecutorLocation b;
    private ExecutorLocation c;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startExecutors() throws IOException {
        storeA = new SpillingShuffleStore(new MemoryManager(1L << 30), serializer, dir.resolve("a"));
        storeB = new SpillingShuffleStore(new MemoryManager(1L << 30), serializer, dir.resolve("b"), true);
        storeC = new SpillingShuffleStore(new MemoryManager(1L << 20), serializer, dir.resolve("c"));
        serverB = TransportServer.start(config, secret, 0, 2, request -> new byte[0],
                new ShuffleBlockSource(storeB, serializer));
        serverC = TransportServer.start(config, secret, 0, 2, request -> new byte[0],
                new ShuffleBlockSource(storeC, serializer));
        b = new ExecutorLocation("b", serverB.address().getHostString(), serverB.address().getPort());
        c = new ExecutorLocation("c", serverC.address().getHostString(), serverC.address().getPort());
        write(storeA, a, 0);
        write(storeB, b, 1);
        write(storeC, c, 3); // before map 2, whose small output then stays in memory
        write(storeC, c, 2);
        write(storeA, a, 4);
        write(storeB, b, 5);
        assertTrue(storeC.spillCount() >= 2, "map 3 was spilled on c: " + storeC.spillCount());
        assertTrue(storeB.fileSegment(SHUFFLE, 1, 0).isPresent(), "b holds map 1 as one file");
        assertTrue(storeC.fileSegment(SHUFFLE, 2, 0).isEmpty(), "c holds map 2 in memory");
    }

    @AfterEach
    void stopExecutors() throws Exception {
        for (AutoCloseable x : toClose) {
            x.close();
        }
        serverB.close();
        serverC.close();
        storeA.close();
        storeB.close();
        storeC.close();
    }

    private static int key(int map, int i) {
        return map == ONLY_BUCKET_0 ? 4 * i : i;
    }

    /** Writes map partition {@code map}'s records into {@code store} and registers its status as the scheduler would. */
    private void write(SpillingShuffleStore store, ExecutorLocation where, int map) {
        ShuffleWriter w = store.writer(SHUFFLE, map, RECORDS.length, REDUCERS);
        for (int i = 0; i < RECORDS[map]; i++) {
            int k = key(map, i);
            w.write(k % REDUCERS, k, "m" + map + "-" + i);
        }
        w.commit();
        tracker.registerMapOutput(SHUFFLE, RECORDS.length, map, new MapStatus(where, w.partitionLengths()));
    }

    /** What reduce partition {@code r} must read: every map's records of that bucket, maps in order. */
    private static List<Map.Entry<Integer, String>> expected(int r) {
        return IntStream.range(0, RECORDS.length).boxed()
                .flatMap(m -> IntStream.range(0, RECORDS[m]).filter(i -> key(m, i) % REDUCERS == r)
                        .mapToObj(i -> Map.entry(key(m, i), "m" + m + "-" + i)))
                .collect(Collectors.toList());
    }

    private ShuffleReader readerOnA(ShuffleBlockFetcher fetcher) {
        return new ShuffleReader(storeA, tracker, a, fetcher, serializer);
    }

    private NettyShuffleBlockFetcher fetcher(AppSecret key) {
        NettyShuffleBlockFetcher f = new NettyShuffleBlockFetcher(config, key);
        toClose.add(f);
        return f;
    }

    private static List<Map.Entry<Integer, String>> readAll(RecordCursor cursor) {
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        while (cursor.advance()) {
            out.add(Map.entry((Integer) cursor.key(), (String) cursor.value()));
        }
        return out;
    }

    @Test
    void aReducerReadsLocalOutputsDirectlyAndFetchesTheOthersByLocation_inMapOrder_withinTheInFlightBound() {
        NettyShuffleBlockFetcher fetcher = fetcher(secret);
        ShuffleReader reader = readerOnA(fetcher);
        for (int r = 0; r < REDUCERS; r++) {
            TaskContext task = new TaskContext(1, 0, 0, r, 0, r);
            RecordCursor cursor = reader.read(SHUFFLE, r, RECORDS.length, task);
            List<Map.Entry<Integer, String>> got = readAll(cursor);
            assertEquals(expected(r), got, "reduce partition " + r);
            assertEquals(got.size(), cursor.recordsRead());
            assertTrue(cursor.bytesRead() > 0, "local bytes: maps 0 and 4");
            assertTrue(task.metrics().shuffleRemoteBytesRead() > 0, "remote bytes: maps 1, 2, 3 (and 5)");
        }
        assertTrue(fetcher.maxBytesInFlightSeen() > 0 && fetcher.maxBytesInFlightSeen() <= 100 * 1024,
                "in flight " + fetcher.maxBytesInFlightSeen());
    }

    @Test
    void emptyBlocksAreNotFetched() {
        List<String> fetched = new ArrayList<>();
        NettyShuffleBlockFetcher network = fetcher(secret);
        ShuffleReader reader = readerOnA((location, blockId) -> {
            fetched.add(blockId);
            return network.fetch(location, blockId);
        });
        assertEquals(expected(1), readAll(reader.read(SHUFFLE, 1, RECORDS.length, null)));
        assertEquals(List.of("shuffle_5_1_1", "shuffle_5_2_1", "shuffle_5_3_1"), fetched,
                "map 5 has nothing for reduce partition 1");
    }

    @Test
    void aPeerWithAnotherSecretIsAFetchFailureNamingTheExecutorAndMapOutput() {
        ShuffleReader reader = readerOnA(fetcher(AppSecret.generate()));
        RecordCursor cursor = reader.read(SHUFFLE, 0, RECORDS.length, null);
        FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(cursor));
        assertEquals(List.of(SHUFFLE, 1, 0), List.of(e.shuffleId(), e.mapId(), e.reduceId()));
        assertEquals("b", e.executorId());
        assertNotNull(find(e, AuthenticationException.class), "cause: " + e.getCause());
        assertTrue(e.getMessage().startsWith("Cannot fetch shuffle 5 map output 1 for reduce partition 0 from executor b"),
                e.getMessage());
    }

    @Test
    void anOutputTheRemoteExecutorNoLongerHasIsAFetchFailureNamingIt() {
        storeC.removeMapOutput(SHUFFLE, 3);
        RecordCursor cursor = readerOnA(fetcher(secret)).read(SHUFFLE, 2, RECORDS.length, null);
        FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(cursor));
        assertEquals(List.of(3, 2), List.of(e.mapId(), e.reduceId()));
        assertEquals("c", e.executorId());
        assertInstanceOf(RemoteFailureException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("shuffle_5_3_2"), e.getCause().getMessage());
    }

    @Test
    void aLostLocalOutputAndAnUnregisteredOneAreFetchFailuresToo() {
        ShuffleReader reader = readerOnA(fetcher(secret));
        storeA.removeMapOutput(SHUFFLE, 4);
        FetchFailedException local = assertThrows(FetchFailedException.class,
                () -> readAll(reader.read(SHUFFLE, 0, RECORDS.length, null)));
        assertEquals(List.of(4, 0), List.of(local.mapId(), local.reduceId()));
        assertEquals("a", local.executorId());
        assertInstanceOf(MissingShuffleOutputException.class, local.getCause());

        tracker.unregisterMapOutput(SHUFFLE, 2, "c");
        FetchFailedException unknown = assertThrows(FetchFailedException.class,
                () -> reader.read(SHUFFLE, 0, RECORDS.length, null));
        assertEquals(2, unknown.mapId());
        assertNull(unknown.executorId());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
