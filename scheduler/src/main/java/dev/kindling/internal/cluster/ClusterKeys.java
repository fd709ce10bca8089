package dev.kindling.internal.cluster;

import dev.kindling.internal.network.NetworkConfig;
import java.util.Map;

/**
 * The configuration keys of executor processes, and reading them with checks. The executor timeout is
 * {@code kindling.network.timeoutMs} (as Spark's executor timeout defaults to its network timeout): an
 * executor whose last heartbeat is older is removed.
 */
public final class ClusterKeys {

    /** How often an executor sends a heartbeat, in milliseconds; default {@value #DEFAULT_HEARTBEAT_INTERVAL_MS}. */
    public static final String HEARTBEAT_INTERVAL_MS = "kindling.executor.heartbeatIntervalMs";
    /** Default of {@value #HEARTBEAT_INTERVAL_MS}. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
    /** The address the driver's server binds to; default the loopback address. */
    public static final String DRIVER_HOST = "kindling.driver.host";
    /** The address executors' servers bind to; default the loopback address. */
    public static final String EXECUTOR_HOST = "kindling.executor.host";

    private ClusterKeys() {
    }

    /**
     * The heartbeat interval in {@code conf}: at least 1 ms and below the executor timeout
     * ({@value NetworkConfig#TIMEOUT_MS}), or an error naming both keys and values.
     */
    public static long heartbeatIntervalMs(Map<String, String> conf) {
        String value = conf.get(HEARTBEAT_INTERVAL_MS);
        long interval;
        try {
            interval = value == null ? DEFAULT_HEARTBEAT_INTERVAL_MS : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HEARTBEAT_INTERVAL_MS + " must be a whole number of milliseconds (got \""
                    + value + "\"); the default is " + DEFAULT_HEARTBEAT_INTERVAL_MS, e);
        }
        long timeout = NetworkConfig.fromMap(conf, null).timeoutMs();
        if (interval < 1 || interval >= timeout) {
            throw new IllegalArgumentException(HEARTBEAT_INTERVAL_MS + " must be at least 1 and below the executor timeout "
                    + NetworkConfig.TIMEOUT_MS + "=" + timeout + " (got " + interval + "), or every executor would be"
                    + " removed as lost; a few heartbeats per timeout is usual (default " + DEFAULT_HEARTBEAT_INTERVAL_MS + ")");
        }
        return interval;
    }

    /** The keys of {@code conf} an executor needs before it registers: the network keys and its bind host. */
    static Map<String, String> preRegistration(Map<String, String> conf) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String key : new String[] {NetworkConfig.MAX_FRAME_BYTES, NetworkConfig.TIMEOUT_MS,
                NetworkConfig.MAX_BYTES_IN_FLIGHT, NetworkConfig.CRYPTO_ENABLED, EXECUTOR_HOST}) {
            String value = conf.get(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }
}
