package dev.kindling.internal.cluster;

import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An executor's connections to other processes of its application (other executors, the driver's
 * server), one per address, made on first use and made again when one closed. Thread-safe; the
 * factory that made them closes them.
 */
final class PeerClients {

    private final TransportClientFactory factory;
    private final Map<InetSocketAddress, TransportClient> clients = new ConcurrentHashMap<>();

    PeerClients(TransportClientFactory factory) {
        this.factory = factory;
    }

    /** An open, authenticated connection to {@code address}. */
    TransportClient get(InetSocketAddress address) throws IOException {
        TransportClient c = clients.get(address);
        if (c != null && c.isActive()) {
            return c;
        }
        synchronized (this) {
            c = clients.get(address);
            if (c == null || !c.isActive()) {
                c = factory.connect(address);
                clients.put(address, c);
            }
            return c;
        }
    }
}
