package dev.kindling.internal.cluster;

import java.net.InetSocketAddress;

/**
 * A registered executor as its driver knows it.
 *
 * @param executorId its id
 * @param host       the host its server listens on
 * @param port       its server's port (task messages, block fetches)
 * @param cores      its task slots
 * @param pid        its process id
 */
public record ExecutorInfo(String executorId, String host, int port, int cores, long pid) {

    /** Its server's address. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
