package dev.kindling;

import dev.kindling.internal.cluster.ClusterBackend;
import dev.kindling.internal.cluster.ClusterListener;
import dev.kindling.internal.cluster.ExecutorInfo;
import dev.kindling.internal.executor.ExecutorEnv;
import dev.kindling.internal.scheduler.DAGScheduler;
import java.net.InetSocketAddress;

/**
 * Announces a context's executors to its scheduler's listeners ({@code ExecutorAdded} and
 * {@code ExecutorRemoved} events), once every listener of the starting context is registered: the
 * driver's own executor, then on {@code local-cluster} each executor process as it registers and as it
 * is lost, with the reason, and the cached blocks each reports ({@code BlockUpdated}). The scheduler itself reports the executors it stops at close.
 */
final class ExecutorAnnouncements {

    private ExecutorAnnouncements() {
    }

    /**
     * Announces the driver (with {@code driverCores} task slots; none when executor processes run the
     * tasks) and hooks {@code cluster}'s executor changes, when there is a cluster.
     */
    static void start(DAGScheduler scheduler, ClusterBackend cluster, int driverCores) {
        if (cluster == null) {
            scheduler.executorAdded(ExecutorEnv.DRIVER_ID, "localhost", -1, driverCores);
            return;
        }
        InetSocketAddress driver = cluster.cluster().driverAddress();
        scheduler.executorAdded(ExecutorEnv.DRIVER_ID, driver.getHostString(), driver.getPort(), 0);
        cluster.onExecutorEvents(new ClusterListener() {
            @Override
            public void executorAdded(ExecutorInfo executor) {
                scheduler.executorAdded(executor.executorId(), executor.host(), executor.port(), executor.cores());
            }

            @Override
            public void executorLost(String executorId, String reason) {
                scheduler.executorRemoved(executorId, reason);
            }

            @Override
            public void blocksUpdated(String executorId, int[] stored, int[] removed) {
                scheduler.blocksUpdated(executorId, stored, removed);
            }
        });
    }
}
