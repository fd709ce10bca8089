package dev.kindling.internal.shuffle;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where an executor serves its blocks: its id and the host and port of its block server. A map
 * output's location is the executor that wrote it; a reducer on that same executor reads the output
 * directly, any other fetches it from {@code host:port}. Local mode's single executor is
 * {@link #DRIVER}, which runs no server (port 0).
 *
 * @param executorId the executor's id ({@code "driver"} in local mode)
 * @param host       host of its block server
 * @param port       port of its block server; 0 when it runs none
 */
public record ExecutorLocation(String executorId, String host, int port) implements Serializable {

    /** The executor id of local mode's in-process executor, as Spark names it. */
    public static final String DRIVER_ID = "driver";

    /** Local mode's in-process executor: its outputs are always read directly. */
    public static final ExecutorLocation DRIVER = new ExecutorLocation(DRIVER_ID, "localhost", 0);

    /** Checks the parts: an id and a host, a port in 0..65535. */
    public ExecutorLocation {
        Objects.requireNonNull(executorId, "executorId");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("An executor's block server port must be in 0..65535 (got " + port
                    + " for executor " + executorId + ")");
        }
    }

    @Override
    public String toString() {
        return "executor " + executorId + " (" + host + ":" + port + ")";
    }
}
