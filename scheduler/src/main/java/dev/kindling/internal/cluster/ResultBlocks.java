package dev.kindling.internal.cluster;

import dev.kindling.internal.network.BlockData;
import dev.kindling.internal.scheduler.backend.ResultBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's large task results waiting for the driver: each a file {@code taskresult_<task id>} under
 * {@code <scratch>/results}, written when the task ends and served to the driver as a file segment (zero
 * copy) until the driver's {@link ClusterMessage.RemoveBlock} deletes it. Files keep the results out of the
 * executor's heap while they wait; {@link #close()} deletes whatever is left.
 *
 * <p>Thread safety: called from task threads ({@link #put}) and the server's handler threads at once.
 */
final class ResultBlocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultBlocks.class);

    private final Path dir;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    /** Results will be files in {@code dir} (made on first use). */
    ResultBlocks(Path dir) {
        this.dir = dir;
    }

    /** Writes task {@code taskId}'s serialized result to its file and returns the block that names it. */
    ResultBlock put(long taskId, byte[] serialized) {
        ResultBlock block = ResultBlock.of(taskId, serialized.length);
        Path file = dir.resolve(block.blockId());
        try {
            Files.createDirectories(dir);
            Files.write(file, serialized);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the result of task " + taskId + " (" + serialized.length
                    + " bytes) to " + file + " for the driver to fetch: " + e.getMessage(), e);
        }
        files.put(block.blockId(), file);
        return block;
    }

    /** The block's bytes as a file segment, or null when this executor holds no such result block. */
    BlockData open(String blockId) throws IOException {
        Path file = files.get(blockId);
        return file == null ? null : new BlockData.FileSegment(file, 0, Files.size(file));
    }

    /** Deletes a result block; one that is not here (deleted already) is ignored. */
    void remove(String blockId) {
        Path file = files.remove(blockId);
        if (file != null) {
            delete(file);
        }
    }

    /** How many result blocks wait (for tests and logs). */
    int size() {
        return files.size();
    }

    /** Deletes every result block left. */
    @Override
    public void close() {
        for (String id : java.util.List.copyOf(files.keySet())) {
            remove(id);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the result block file {}: {}", file, e.toString());
        }
    }
}
