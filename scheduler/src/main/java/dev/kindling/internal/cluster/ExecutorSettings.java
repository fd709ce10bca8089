package dev.kindling.internal.cluster;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an executor process needs before it can reach its driver, read from its environment (set by
 * the driver's launcher; the application secret travels the same way, {@code KINDLING_APP_SECRET},
 * never on the command line where {@code ps} shows it).
 *
 * @param driverAddress  the driver's server ({@value #DRIVER_ADDRESS}, {@code host:port})
 * @param executorId     this executor's id ({@value #EXECUTOR_ID})
 * @param cores          its task slots ({@value #CORES})
 * @param scratchDir     its own directory ({@value #SCRATCH_DIR})
 * @param taskSink       the {@link TaskSink.Factory} class to make its sink with ({@value #TASK_SINK})
 * @param conf           configuration needed before registering: network keys and the executor's bind
 *                       host ({@value #CONF}, lines of {@code key=value})
 */
record ExecutorSettings(InetSocketAddress driverAddress, String executorId, int cores, Path scratchDir, String taskSink,
                        Map<String, String> conf) {

    /** Environment variable: the driver's server, {@code host:port}. */
    static final String DRIVER_ADDRESS = "KINDLING_DRIVER_ADDRESS";
    /** Environment variable: the executor's id. */
    static final String EXECUTOR_ID = "KINDLING_EXECUTOR_ID";
    /** Environment variable: the executor's task slots. */
    static final String CORES = "KINDLING_EXECUTOR_CORES";
    /** Environment variable: the executor's scratch directory. */
    static final String SCRATCH_DIR = "KINDLING_EXECUTOR_DIR";
    /** Environment variable: the class name of the task sink factory. */
    static final String TASK_SINK = "KINDLING_TASK_SINK";
    /** Environment variable: {@code key=value} lines of configuration needed before registration. */
    static final String CONF = "KINDLING_EXECUTOR_CONF";
    /**
     * The host name of the node a YARN container runs on (set by the NodeManager in every container):
     * an executor there binds to it and registers with it unless {@code kindling.executor.host} is set,
     * so executors on other nodes can fetch its blocks and HDFS splits on its node run NODE_LOCAL.
     */
    static final String YARN_NODE_HOST = "NM_HOST";

    /** Copies the configuration. */
    ExecutorSettings {
        conf = Map.copyOf(conf);
    }

    /** A copy whose pre-registration configuration has {@code key} set to {@code value}. */
    ExecutorSettings withConf(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(conf);
        changed.put(key, value);
        return new ExecutorSettings(driverAddress, executorId, cores, scratchDir, taskSink, changed);
    }

    /** The environment a launcher sets for a child with these settings (the secret not included). */
    Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(DRIVER_ADDRESS, driverAddress.getHostString() + ":" + driverAddress.getPort());
        env.put(EXECUTOR_ID, executorId);
        env.put(CORES, Integer.toString(cores));
        env.put(SCRATCH_DIR, scratchDir.toString());
        env.put(TASK_SINK, taskSink);
        StringBuilder lines = new StringBuilder();
        conf.forEach((k, v) -> {
            if (k.contains("=") || k.contains("\n") || v.contains("\n")) {
                throw new IllegalArgumentException("Configuration key " + k + " cannot be passed to an executor: a key may"
                        + " not hold '=' or a line break and a value may not hold a line break");
            }
            lines.append(k).append('=').append(v).append('\n');
        });
        env.put(CONF, lines.toString());
        return env;
    }

    /**
     * Reads the settings from {@code env}; a missing or malformed variable is an error naming it and
     * saying that executors are started by a driver (not by hand).
     */
    static ExecutorSettings fromEnvironment(Map<String, String> env) {
        String address = required(env, DRIVER_ADDRESS);
        int colon = address.lastIndexOf(':');
        int port = colon < 0 ? -1 : parseInt(address.substring(colon + 1), DRIVER_ADDRESS, address);
        if (colon <= 0 || port < 1 || port > 65_535) {
            throw new IllegalArgumentException(DRIVER_ADDRESS + " must be host:port with a port from 1 to 65535 (got \""
                    + address + "\")");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        String cores = required(env, CORES);
        int slots = parseInt(cores, CORES, cores);
        if (slots < 1) {
            throw new IllegalArgumentException(CORES + " must be at least 1 (got " + cores + ")");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : env.getOrDefault(CONF, "").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                conf.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException(CONF + " must hold key=value lines (got \"" + line + "\")");
            }
        }
        String nodeHost = env.get(YARN_NODE_HOST);
        if (nodeHost != null && !nodeHost.isBlank() && !conf.containsKey(ClusterKeys.EXECUTOR_HOST)) {
            // A YARN container: its server must be reachable from the other nodes, not only from loopback.
            conf.put(ClusterKeys.EXECUTOR_HOST, nodeHost);
        }
        return new ExecutorSettings(new InetSocketAddress(host, port), required(env, EXECUTOR_ID), slots,
                Path.of(required(env, SCRATCH_DIR)), required(env, TASK_SINK), conf);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The environment variable " + name + " is not set. An executor process is"
                    + " started by its driver (master local-cluster[E,C,M]), which sets " + name + ", "
                    + DRIVER_ADDRESS + ", " + EXECUTOR_ID + ", " + CORES + ", " + SCRATCH_DIR + ", " + TASK_SINK
                    + " and KINDLING_APP_SECRET; it is not meant to be started by hand");
        }
        return value.strip();
    }

    private static int parseInt(String digits, String name, String whole) {
        try {
            return Integer.parseInt(digits.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must hold a whole number (got \"" + whole + "\")", e);
        }
    }
}
