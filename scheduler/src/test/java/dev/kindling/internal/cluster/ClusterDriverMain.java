package dev.kindling.internal.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * A driver in its own JVM for {@link LocalClusterLifecycleTest}: starts {@code local-cluster[2,1,128]}
 * under the directory {@code args[0]}, prints {@code EXECUTOR <id> <pid>} per executor and then
 * {@code READY}, and waits to be killed.
 */
public final class ClusterDriverMain {

    private ClusterDriverMain() {
    }

    /** Runs the driver until the process is killed. */
    public static void main(String[] args) throws Exception {
        LocalCluster cluster = LocalCluster.start(Clusters.settings("local-cluster[2,1,128]", Path.of(args[0]), Map.of()),
                (id, reason) -> System.out.println("LOST " + id));
        for (ExecutorInfo e : cluster.executors()) {
            System.out.println("EXECUTOR " + e.executorId() + " " + e.pid());
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
