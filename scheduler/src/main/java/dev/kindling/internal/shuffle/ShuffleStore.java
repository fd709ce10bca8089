package dev.kindling.internal.shuffle;

import dev.kindling.internal.network.BlockData;
import dev.kindling.internal.storage.memory.MemoryManager;
import java.util.Optional;

/**
 * Holds the bucketed output of shuffle-map tasks until reduce tasks read it.
 *
 * <p>Contract:
 * <ol>
 *   <li>A map task obtains a {@link ShuffleWriter} for {@code (shuffleId, mapId)}, writes key/value
 *       records into reduce buckets and {@linkplain ShuffleWriter#commit() commits}; only a committed
 *       output is visible. Committing the same map output twice (a retried task) replaces it.</li>
 *   <li>A reduce task reads bucket {@code reduceId} of every map output of a shuffle, in map order.
 *       A missing map output makes the read fail with {@link MissingShuffleOutputException}, which
 *       tells the scheduler to re-run the map stage.</li>
 *   <li>Outputs stay until {@link #removeShuffle(int)} or {@link #close()}, so a second job reuses
 *       them without re-running the map stage.</li>
 * </ol>
 *
 * <p>Thread safety: all methods may be called from any thread; writers themselves are confined to
 * the task thread that opened them.
 */
public interface ShuffleStore extends AutoCloseable {

    /** Opens a writer for one map task's output, bucketed for {@code numReducers} reducers. */
    ShuffleWriter writer(int shuffleId, int mapId, int numMaps, int numReducers);

    /** Returns a cursor over bucket {@code reduceId} of every map output, in map order. */
    default RecordCursor reader(int shuffleId, int reduceId, int numMaps) {
        int[] all = new int[numMaps];
        for (int m = 0; m < numMaps; m++) {
            all[m] = m;
        }
        return reader(shuffleId, reduceId, all);
    }

    /**
     * Returns a cursor over bucket {@code reduceId} of the map outputs {@code mapIds}, in that order
     * (the ones a reducer finds on this executor). A missing one fails here or, if it is lost while
     * being read, in {@link RecordCursor#advance()}, with {@link MissingShuffleOutputException}.
     */
    RecordCursor reader(int shuffleId, int reduceId, int[] mapIds);

    /**
     * Bucket {@code reduceId} of map output {@code mapId} as one segment of a file, when that output
     * is a single file on disk (then it can be sent with zero copy); empty otherwise (held in memory,
     * spilled in several files, or missing: read it with {@link #reader(int, int, int[])}).
     */
    default Optional<BlockData.FileSegment> fileSegment(int shuffleId, int mapId, int reduceId) {
        return Optional.empty();
    }

    /**
     * An opaque token that stays the same object as long as map output {@code mapId} is the same
     * committed output in the same form, and changes when it is replaced, moved to disk or removed
     * (null when there is none): lets a server cache what it made of the output.
     */
    default Object outputToken(int shuffleId, int mapId) {
        return null;
    }

    /** Returns the map ids in {@code [0, numMaps)} whose output is not (or no longer) available. */
    int[] missingMapOutputs(int shuffleId, int numMaps);

    /** Forgets one map output, as if it had been lost; the next reader fails for it. */
    void removeMapOutput(int shuffleId, int mapId);

    /** Forgets every output of a shuffle. */
    void removeShuffle(int shuffleId);

    /** Number of shuffles that currently hold at least one output. */
    int shuffleCount();

    /**
     * The memory budget that shuffle buffers and aggregation maps account against, when this store
     * spills; empty for a store that keeps everything in memory.
     */
    default Optional<MemoryManager> memoryManager() {
        return Optional.empty();
    }

    /** Releases all outputs. */
    @Override
    void close();
}
