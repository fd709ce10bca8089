package dev.kindling.internal.cluster;

import dev.kindling.internal.network.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
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
    /**
     * {@code local-cluster} only, a testing aid: one bind host per executor, separated by commas, such as
     * {@code 127.0.0.1,127.0.0.2}; executor i binds its server to, and registers with, the i-th address
     * (instead of {@value #EXECUTOR_HOST}), so that executors on one machine look like executors on
     * several hosts to locality (NODE_LOCAL) scheduling. Each must be an address of this machine
     * (on Linux any of 127.0.0.0/8). Default unset: every executor on {@value #EXECUTOR_HOST}.
     */
    public static final String LOCAL_CLUSTER_EXECUTOR_HOSTS = "kindling.localCluster.executorHosts";
    /**
     * Extra options for every executor JVM, separated by white space (as Spark's
     * {@code spark.executor.extraJavaOptions}), e.g. {@code -XX:StartFlightRecording=filename=/tmp/e-{{EXECUTOR_ID}}.jfr};
     * {@value #EXECUTOR_ID_PLACEHOLDER} becomes the executor's id. Default none.
     */
    public static final String EXECUTOR_EXTRA_JAVA_OPTIONS = "kindling.executor.extraJavaOptions";
    /** Replaced by the executor's id in {@value #EXECUTOR_EXTRA_JAVA_OPTIONS}. */
    public static final String EXECUTOR_ID_PLACEHOLDER = "{{EXECUTOR_ID}}";

    /**
     * The largest serialized task result an executor sends inside its status update; a larger one waits on
     * the executor as a block the driver fetches in chunks (Spark's {@code spark.task.maxDirectResultSize}).
     * Bytes, or with a suffix k, m, g; default 1m. A result whose update would not fit in a frame goes
     * as a block whatever this says.
     */
    public static final String MAX_DIRECT_RESULT_SIZE = "kindling.task.maxDirectResultSize";
    /** Default of {@value #MAX_DIRECT_RESULT_SIZE}: 1 MiB, as Spark's. */
    public static final long DEFAULT_MAX_DIRECT_RESULT_SIZE = 1L << 20;
    /**
     * The most bytes of serialized results one job may bring to the driver, all its tasks together (Spark's
     * {@code spark.driver.maxResultSize}); a job that goes over fails, naming this key. Bytes, or with a
     * suffix k, m, g; default 1g; 0 for no limit. Results handed over as objects (local mode's
     * {@code kindling.task.serialization=auto}) have no serialized size and do not count.
     */
    public static final String MAX_RESULT_SIZE = "kindling.driver.maxResultSize";
    /** Default of {@value #MAX_RESULT_SIZE}: 1 GiB, as Spark's. */
    public static final long DEFAULT_MAX_RESULT_SIZE = 1L << 30;

    private ClusterKeys() {
    }

    /** {@value #MAX_DIRECT_RESULT_SIZE} in {@code conf}, in bytes: at least 0, or an error naming the key. */
    public static long maxDirectResultSize(Map<String, String> conf) {
        return bytes(conf, MAX_DIRECT_RESULT_SIZE, DEFAULT_MAX_DIRECT_RESULT_SIZE);
    }

    /** {@value #MAX_RESULT_SIZE} in {@code conf}, in bytes (0: no limit), or an error naming the key. */
    public static long maxResultSize(Map<String, String> conf) {
        return bytes(conf, MAX_RESULT_SIZE, DEFAULT_MAX_RESULT_SIZE);
    }

    /**
     * A size in bytes: a whole number, optionally followed by k, m or g (binary: 1k = 1024), as Spark's
     * size keys; a value that is not one is an error naming the key and the forms accepted.
     */
    static long bytes(Map<String, String> conf, String key, long dflt) {
        String value = conf.get(key);
        if (value == null) {
            return dflt;
        }
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = -1;
            }
            if (shift >= 0) {
                v = v.substring(0, v.length() - 1);
            } else {
                shift = 0;
            }
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException("out of range");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a size in bytes: a whole number, optionally with a suffix"
                    + " k, m or g, such as 1048576 or 1m (got \"" + value + "\"); the default is " + dflt, e);
        }
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

    /**
     * The JVM options of executor {@code executorId} from {@value #EXECUTOR_EXTRA_JAVA_OPTIONS} in
     * {@code conf}: split at white space, {@value #EXECUTOR_ID_PLACEHOLDER} replaced by the id. A heap size
     * ({@code -Xmx}) is refused, naming the master's M instead, as are options that do not start with
     * {@code -} (a stray main class or argument would replace the executor's).
     */
    public static List<String> executorJavaOptions(Map<String, String> conf, String executorId) {
        String value = conf.get(EXECUTOR_EXTRA_JAVA_OPTIONS);
        List<String> options = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return options;
        }
        for (String option : value.strip().split("\\s+")) {
            if (option.startsWith("-Xmx")) {
                throw new IllegalArgumentException(EXECUTOR_EXTRA_JAVA_OPTIONS + " may not set the heap (" + option
                        + "): the executors' heap is M of the master local-cluster[E,C,M]");
            }
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException(EXECUTOR_EXTRA_JAVA_OPTIONS + " holds JVM options only, each starting"
                        + " with '-' and separated by white space (got \"" + option + "\" in \"" + value + "\")");
            }
            options.add(option.replace(EXECUTOR_ID_PLACEHOLDER, executorId));
        }
        return options;
    }

    /**
     * The bind host of each of the {@code executors} executors of a local cluster from
     * {@value #LOCAL_CLUSTER_EXECUTOR_HOSTS} in {@code conf}, in executor id order; empty when the key is
     * unset. A list that does not name exactly one non-blank host per executor is an error naming the key,
     * the count wanted and the value.
     */
    public static List<String> localClusterExecutorHosts(Map<String, String> conf, int executors) {
        String value = conf.get(LOCAL_CLUSTER_EXECUTOR_HOSTS);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        for (String host : value.split(",", -1)) {
            hosts.add(host.strip());
        }
        if (hosts.size() != executors || hosts.contains("")) {
            throw new IllegalArgumentException(LOCAL_CLUSTER_EXECUTOR_HOSTS + " must name one host per executor of"
                    + " local-cluster[E,C,M], E = " + executors + ", separated by commas, such as 127.0.0.1,127.0.0.2"
                    + " (got \"" + value + "\"); leave it unset to run every executor on " + EXECUTOR_HOST);
        }
        return hosts;
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
