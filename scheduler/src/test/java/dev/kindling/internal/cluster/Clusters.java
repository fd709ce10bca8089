package dev.kindling.internal.cluster;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for test clusters: the {@link ClassRunningTaskSink}, a heartbeat every 200 ms. */
final class Clusters {

    private Clusters() {
    }

    static ClusterSettings settings(String master, Path localDir, Map<String, String> extraConf) {
        Map<String, String> conf = new HashMap<>();
        conf.put(ClusterKeys.HEARTBEAT_INTERVAL_MS, "200");
        conf.putAll(extraConf);
        return ClusterSettings.of(LocalClusterMaster.parse(master), conf, localDir, ClassRunningTaskSink.Factory.class.getName());
    }
}
