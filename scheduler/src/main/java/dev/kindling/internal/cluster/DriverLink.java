package dev.kindling.internal.cluster;

import dev.kindling.internal.network.AppSecret;
import dev.kindling.internal.network.NetworkConfig;
import dev.kindling.internal.network.TransportClient;
import dev.kindling.internal.network.TransportClientFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An authenticated connection to a driver's server made from an executor's environment (driver address,
 * network keys, application secret), for a process that only needs to know while the driver runs: the
 * YARN application master of client mode, which finishes when its driver's connection closes.
 */
public final class DriverLink implements AutoCloseable {

    private final TransportClientFactory clients;
    private final TransportClient driver;
    private final InetSocketAddress address;

    private DriverLink(TransportClientFactory clients, TransportClient driver, InetSocketAddress address) {
        this.clients = clients;
        this.driver = driver;
        this.address = address;
    }

    /** Connects to the driver that {@code env} (an executor's environment, as a launcher's spec gives it) names. */
    public static DriverLink connect(Map<String, String> env) throws IOException {
        ExecutorSettings settings = ExecutorSettings.fromEnvironment(env);
        NetworkConfig net = NetworkConfig.fromMap(settings.conf(), null);
        TransportClientFactory clients = TransportClientFactory.create(net, AppSecret.fromEnvironment(env));
        try {
            return new DriverLink(clients, clients.connect(settings.driverAddress()), settings.driverAddress());
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    /** Whether the connection is open: false once the driver closed its server or its process ended. */
    public boolean isActive() {
        return driver.isActive();
    }

    /** The driver's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** Closes the connection and its threads. */
    @Override
    public void close() {
        driver.close();
        clients.close();
    }
}
