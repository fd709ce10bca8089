package dev.kindling.internal.scheduler.backend;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a task result too large to travel in its status update waits (Spark's indirect task result):
 * a block {@code taskresult_<task id>} on the executor that ran the task, holding the serialized result,
 * and its size. The driver fetches it in chunks, then has the executor delete it.
 *
 * @param blockId the block's id, {@code taskresult_<task id>}
 * @param size    the serialized result's size in bytes
 */
public record ResultBlock(String blockId, long size) {

    private static final String PREFIX = "taskresult_";
    private static final Pattern ID = Pattern.compile(PREFIX + "\\d{1,19}");

    /** Checks the id's form and that the size is not negative. */
    public ResultBlock {
        Objects.requireNonNull(blockId, "blockId");
        if (!isResultBlockId(blockId)) {
            throw new IllegalArgumentException("\"" + blockId + "\" is not a task result block id (" + PREFIX + "<task id>)");
        }
        if (size < 0) {
            throw new IllegalArgumentException("A result block cannot have " + size + " bytes");
        }
    }

    /** The block of task {@code taskId}'s result of {@code size} bytes. */
    public static ResultBlock of(long taskId, long size) {
        return new ResultBlock(PREFIX + taskId, size);
    }

    /** Whether {@code blockId} names a task result block. */
    public static boolean isResultBlockId(String blockId) {
        return blockId != null && ID.matcher(blockId).matches();
    }

    /**
     * Gets a result block's bytes for the driver and deletes the block on its executor; a backend whose
     * executors send result blocks attaches one to each such update ({@link StatusUpdate#withResultFetcher}).
     * Called on the thread that reads the update's result, never the network's.
     */
    public interface Fetcher {
        /** The block's bytes (exactly {@link ResultBlock#size()} of them); a failure names the block and executor. */
        byte[] fetch(ResultBlock block) throws java.io.IOException;

        /** Deletes the block on its executor, fetched or not; a failure is logged, never thrown. */
        void release(ResultBlock block);
    }
}
