package dev.kindling.internal.shuffle;

import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.scheduler.TaskContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The reduce side's entry to the shuffle: reads one reduce partition of a shuffle from every map
 * output, wherever it lives.
 *
 * <ol>
 *   <li>It asks the {@link MapOutputTracker} (through a {@link MapStatusLookup}) for the location of each map output. One with no
 *       location fails the read at once with a {@link FetchFailedException}.</li>
 *   <li>Outputs on this executor are read directly from its {@link ShuffleStore} (no copy, no
 *       serialization: the local-mode path); consecutive local outputs share one store cursor.</li>
 *   <li>Outputs on other executors are fetched block by block through the {@link ShuffleBlockFetcher},
 *       one block at a time (so the fetcher's in-flight bound holds per task), skipping blocks the
 *       map status says are empty, and read with the serializer.</li>
 *   <li>Records come in map order. Any failure to find, fetch or read one output (a missing or
 *       damaged file, a lost executor, a bad block) is a {@link FetchFailedException} naming the
 *       shuffle, map partition, executor and reduce partition, with the original failure as cause.</li>
 * </ol>
 *
 * <p>Thread safety: one reader serves every task thread of an executor; each cursor it returns is
 * confined to its task thread.
 */
public final class ShuffleReader {

    private final ShuffleStore store;
    private final MapStatusLookup tracker;
    private final ExecutorLocation self;
    private final ShuffleBlockFetcher fetcher;
    private final KryoSerializer serializer;

    /**
     * A reader for the executor at {@code self}, whose own outputs are in {@code store}; the others
     * come through {@code fetcher} and are deserialized with {@code serializer}.
     */
    public ShuffleReader(ShuffleStore store, MapStatusLookup tracker, ExecutorLocation self,
                         ShuffleBlockFetcher fetcher, KryoSerializer serializer) {
        this.store = Objects.requireNonNull(store, "store");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.self = Objects.requireNonNull(self, "self");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** This executor's location. */
    public ExecutorLocation location() {
        return self;
    }

    /**
     * A cursor over reduce partition {@code reduceId} of shuffle {@code shuffleId}, whose map stage
     * has {@code numMaps} partitions. Its {@link RecordCursor#bytesRead()} counts local bytes only:
     * the bytes of remote blocks, and the time spent waiting for them, are recorded in {@code task}'s
     * metrics as they arrive (nothing is recorded when {@code task} is null). Fails with
     * {@link FetchFailedException}, here or while advancing.
     */
    public RecordCursor read(int shuffleId, int reduceId, int numMaps, TaskContext task) {
        MapStatus[] statuses = tracker.statuses(shuffleId, numMaps);
        boolean allLocal = true;
        for (int m = 0; m < numMaps; m++) {
            if (statuses[m] == null) {
                throw new FetchFailedException(shuffleId, m, null, reduceId,
                        "no location is registered for it (lost, or not computed yet)", null);
            }
            allLocal &= isLocal(statuses[m]);
        }
        List<RecordCursor> parts = new ArrayList<>();
        int[] run = new int[numMaps];
        int runLength = 0;
        for (int m = 0; m <= numMaps; m++) {
            if (m < numMaps && isLocal(statuses[m])) {
                run[runLength++] = m;
                continue;
            }
            if (runLength > 0) {
                parts.add(local(shuffleId, reduceId, Arrays.copyOf(run, runLength)));
                runLength = 0;
            }
            if (m < numMaps && statuses[m].size(reduceId) > 0) {
                parts.add(new RemoteBlockCursor(new ShuffleBlockId(shuffleId, m, reduceId), statuses[m].location(),
                        fetcher, serializer, task));
            }
        }
        if (allLocal && parts.size() == 1) {
            return parts.get(0);
        }
        return new ChainedCursor(parts);
    }

    private boolean isLocal(MapStatus status) {
        return status.location().executorId().equals(self.executorId());
    }

    /** A cursor over this executor's outputs {@code mapIds} that reports a missing one as a fetch failure. */
    private RecordCursor local(int shuffleId, int reduceId, int[] mapIds) {
        RecordCursor cursor;
        try {
            cursor = store.reader(shuffleId, reduceId, mapIds);
        } catch (MissingShuffleOutputException e) {
            throw fetchFailed(e, reduceId);
        }
        return new RecordCursor() {
            @Override
            public boolean advance() {
                try {
                    return cursor.advance();
                } catch (MissingShuffleOutputException e) {
                    throw fetchFailed(e, reduceId);
                }
            }

            @Override
            public Object key() {
                return cursor.key();
            }

            @Override
            public Object value() {
                return cursor.value();
            }

            @Override
            public long recordsRead() {
                return cursor.recordsRead();
            }

            @Override
            public long bytesRead() {
                return cursor.bytesRead();
            }
        };
    }

    private FetchFailedException fetchFailed(MissingShuffleOutputException e, int reduceId) {
        return new FetchFailedException(e.shuffleId(), e.mapId(), self.executorId(), reduceId, e.getMessage(), e);
    }

    /** Reads several cursors one after another. */
    private static final class ChainedCursor implements RecordCursor {
        private final List<RecordCursor> parts;
        private int current;
        private long doneRecords;
        private long doneBytes;

        ChainedCursor(List<RecordCursor> parts) {
            this.parts = parts;
        }

        @Override
        public boolean advance() {
            while (current < parts.size()) {
                RecordCursor c = parts.get(current);
                if (c.advance()) {
                    return true;
                }
                doneRecords += c.recordsRead();
                doneBytes += c.bytesRead();
                parts.set(current++, null); // a fetched block's bytes become garbage once read
            }
            return false;
        }

        @Override
        public Object key() {
            return parts.get(current).key();
        }

        @Override
        public Object value() {
            return parts.get(current).value();
        }

        @Override
        public long recordsRead() {
            return doneRecords + (current < parts.size() ? parts.get(current).recordsRead() : 0);
        }

        @Override
        public long bytesRead() {
            return doneBytes + (current < parts.size() ? parts.get(current).bytesRead() : 0);
        }
    }
}
