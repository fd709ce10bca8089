package dev.kindling.internal.executor;

import dev.kindling.internal.storage.block.BlockManager;
import dev.kindling.internal.storage.memory.MemoryManager;
import dev.kindling.internal.storage.serializer.KryoSerializer;
import dev.kindling.internal.shuffle.ShuffleStore;
import dev.kindling.internal.shuffle.ExecutorLocation;
import dev.kindling.internal.shuffle.ShuffleReader;
import dev.kindling.internal.shuffle.SpillSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The services of one executor that code running inside its tasks may use: the memory budget, the
 * block manager (cached partitions), the shuffle store, the Kryo serializer, the executor's
 * scratch directory, the broadcast cache and the driver's output commit coordinator. Tasks reach it from their {@code TaskContext} (through
 * {@code TaskContextAccess.env}), never from the driver's context nor from a static registry, so a
 * task computes the same way in a thread of the driver's JVM (local mode, executor id
 * {@value #DRIVER_ID}) as in an executor process.
 *
 * <p>Ownership: whoever creates an env (the context in local mode, an executor process otherwise)
 * closes the services in it; the env itself holds no resources of its own.
 *
 * <p><b>Not a part of the public API</b>: this class can change or disappear without notice.
 *
 * @param executorId    the executor's id; {@value #DRIVER_ID} for local mode's in-process executor
 * @param cores         task slots of the executor (spill merges size their parallelism by it)
 * @param memoryManager the memory budget shared by execution and storage
 * @param blockManager  cached partitions in memory and on disk
 * @param shuffleStore  map outputs written and read by this executor's tasks
 * @param serializer    the Kryo serializer of spills, blocks, checkpoints and object files
 * @param localDir      the executor's scratch directory (spills, pipe working files)
 * @param shuffleReader reads reduce partitions from this executor's map outputs and, through the map
 *                      output tracker, fetches the others by location
 * @param outputCommits the driver's permission to commit task output
 * @param broadcasts    broadcast values by id, fetched from the driver and cached per executor
 */
public record ExecutorEnv(String executorId, int cores, MemoryManager memoryManager, BlockManager blockManager,
                          ShuffleStore shuffleStore, KryoSerializer serializer, Path localDir,
                          ShuffleReader shuffleReader, OutputCommits outputCommits, BroadcastCache broadcasts) {

    /** The executor id of local mode's in-process executor, as Spark's. */
    public static final String DRIVER_ID = "driver";

    /** Checks that every service is present. */
    public ExecutorEnv {
        Objects.requireNonNull(executorId, "executorId");
        if (cores < 1) {
            throw new IllegalArgumentException("an executor needs at least 1 core (got " + cores + ")");
        }
        Objects.requireNonNull(memoryManager, "memoryManager");
        Objects.requireNonNull(blockManager, "blockManager");
        Objects.requireNonNull(shuffleStore, "shuffleStore");
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(localDir, "localDir");
        Objects.requireNonNull(outputCommits, "outputCommits");
        Objects.requireNonNull(broadcasts, "broadcasts");
        Objects.requireNonNull(shuffleReader, "shuffleReader");
        if (!shuffleReader.location().executorId().equals(executorId)) {
            throw new IllegalArgumentException("the shuffle reader of executor " + executorId + " reads as "
                    + shuffleReader.location());
        }
    }

    /** Where this executor's map outputs are served from, as map statuses record it. */
    public ExecutorLocation location() {
        return shuffleReader.location();
    }

    /**
     * What reduce-side aggregation and sorting buffers of this executor spill with: its memory
     * budget, serializer, {@code localDir/spill} and its task slots.
     */
    public SpillSettings spillSettings() {
        return new SpillSettings(memoryManager, serializer, localDir.resolve("spill"), cores);
    }
}
