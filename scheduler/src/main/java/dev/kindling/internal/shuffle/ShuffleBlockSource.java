package dev.kindling.internal.shuffle;

import dev.kindling.internal.network.BlockData;
import dev.kindling.internal.network.BlockSource;
import dev.kindling.internal.storage.io.ChecksumOutputStream;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.storage.serializer.RecordWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves an executor's shuffle outputs to reducers on other executors: the {@link BlockSource} of
 * its block server, answering {@link ShuffleBlockId shuffle block ids}. A block is always one
 * checksummed segment of Kryo records, key, value, key, value... (what {@link SpillFile} writes per
 * bucket), so a fetcher reads every block alike:
 * <ul>
 *   <li>an output that is one file on disk is served as a segment of that file, with zero copy;</li>
 *   <li>an output held in memory, or spilled in several files, is serialized into a buffer once
 *       and kept in a small cache (the block server calls {@link #open} for the size and for each
 *       chunk), checked against the store's output token so a replaced output is never served from
 *       the cache.</li>
 * </ul>
 * A block the store does not have (lost, removed, never written) is answered with null, which the
 * server turns into an error naming the block; the reducer then fails with a
 * {@link FetchFailedException}.
 *
 * <p>Thread safety: called on the server's handler threads, concurrently.
 */
public final class ShuffleBlockSource implements BlockSource {

    /** Serialized blocks kept at most (entries); the bytes bound is {@link #CACHE_BYTES}. */
    private static final int CACHE_ENTRIES = 16;
    /** Bytes of serialized blocks kept at most. */
    private static final long CACHE_BYTES = 64L << 20;

    private final ShuffleStore store;
    private final KryoSerializer serializer;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private record Cached(Object token, byte[] bytes) {
    }

    /** Serves the outputs of {@code store}, serializing in-memory ones with {@code serializer}. */
    public ShuffleBlockSource(ShuffleStore store, KryoSerializer serializer) {
        this.store = store;
        this.serializer = serializer;
    }

    @Override
    public BlockData open(String blockId) {
        ShuffleBlockId id = ShuffleBlockId.parse(blockId);
        if (id == null) {
            return null;
        }
        Optional<BlockData.FileSegment> segment = store.fileSegment(id.shuffleId(), id.mapId(), id.reduceId());
        if (segment.isPresent() && Files.exists(segment.get().file())) {
            return segment.get();
        }
        Object token = store.outputToken(id.shuffleId(), id.mapId());
        if (token == null) {
            return null;
        }
        byte[] bytes = cached(blockId, token);
        if (bytes == null) {
            try {
                bytes = serialize(id);
            } catch (MissingShuffleOutputException e) {
                return null;
            }
            remember(blockId, token, bytes);
        }
        return new BlockData.InMemory(ByteBuffer.wrap(bytes));
    }

    private byte[] serialize(ShuffleBlockId id) {
        RecordCursor cursor = store.reader(id.shuffleId(), id.reduceId(), new int[] {id.mapId()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordWriter w = serializer.newWriter(new ChecksumOutputStream(out))) {
            while (cursor.advance()) {
                w.write(cursor.key());
                w.write(cursor.value());
            }
        }
        return out.toByteArray();
    }

    private synchronized byte[] cached(String blockId, Object token) {
        Cached c = cache.get(blockId);
        return c != null && c.token() == token ? c.bytes() : null;
    }

    private synchronized void remember(String blockId, Object token, byte[] bytes) {
        if (bytes.length > CACHE_BYTES) {
            return;
        }
        Cached old = cache.put(blockId, new Cached(token, bytes));
        cachedBytes += bytes.length - (old == null ? 0 : old.bytes().length);
        var it = cache.entrySet().iterator();
        while ((cache.size() > CACHE_ENTRIES || cachedBytes > CACHE_BYTES) && it.hasNext()) {
            cachedBytes -= it.next().getValue().bytes().length;
            it.remove();
        }
    }
}
