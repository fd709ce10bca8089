package dev.kindling.internal.cluster;

import dev.kindling.internal.scheduler.backend.ResultBlock;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the large task results that wait as blocks on one executor, in chunks over the cluster's
 * authenticated connections, and has the executor delete each one once read (Spark's indirect task
 * results). Used by {@link ClusterBackend} on its result getter threads, never on a network thread.
 */
final class ResultBlockFetcher implements ResultBlock.Fetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ResultBlockFetcher.class);

    private final Supplier<LocalCluster> cluster;
    private final String executorId;

    /** {@code cluster} gives the running cluster, or null once it is stopped. */
    ResultBlockFetcher(Supplier<LocalCluster> cluster, String executorId) {
        this.cluster = cluster;
        this.executorId = executorId;
    }

    @Override
    public byte[] fetch(ResultBlock block) throws IOException {
        LocalCluster c = cluster.get();
        if (c == null) {
            throw new IOException("the cluster is stopped");
        }
        try {
            return c.fetchBlock(executorId, block.blockId());
        } catch (IllegalArgumentException e) { // the executor is no longer registered
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void release(ResultBlock block) {
        LocalCluster c = cluster.get();
        if (c == null) {
            return; // closing the cluster deletes the executors' scratch directories
        }
        try {
            c.removeBlock(executorId, block.blockId());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not ask executor {} to delete result block {}: {}", executorId, block.blockId(), e.toString());
        }
    }
}
