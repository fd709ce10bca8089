package dev.kindling.internal.shuffle;

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
    RecordCursor reader(int shuffleId, int reduceId, int numMaps);

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
