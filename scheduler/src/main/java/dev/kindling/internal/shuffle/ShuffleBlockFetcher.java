package dev.kindling.internal.shuffle;

import java.io.IOException;

/**
 * Fetches shuffle blocks from other executors, for reducers whose map outputs live elsewhere. A
 * block arrives whole, as the bytes {@link ShuffleBlockSource} serves: one checksummed segment of
 * Kryo records.
 *
 * <p>Backpressure: an implementation bounds the bytes it has requested and not yet handed over
 * ({@code kindling.reducer.maxBytesInFlight}); a reducer fetches its blocks one after another, so
 * that bound holds per reduce task.
 *
 * <p>Thread safety: called by many task threads at once.
 */
public interface ShuffleBlockFetcher {

    /** A fetcher for local mode, where every output is local: any fetch is an error naming the location. */
    ShuffleBlockFetcher LOCAL_ONLY = (location, blockId) -> {
        throw new IOException("Cannot fetch " + blockId + " from " + location + ": this executor has no "
                + "network fetcher (local mode keeps every map output in its own shuffle store)");
    };

    /** The bytes of block {@code blockId} served by the executor at {@code location}. */
    byte[] fetch(ExecutorLocation location, String blockId) throws IOException;
}
