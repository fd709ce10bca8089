package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Where servers listen, and that closing leaves no thread, connection or port behind. */
class ServerLifecycleTest {

    private final AppSecret secret = AppSecret.generate();

    @Test
    void byDefaultTheServerListensOnLoopbackOnly() throws Exception {
        try (TransportServer server = TransportServer.start(NetworkConfig.fromMap(Map.of(), "kindling.driver.host"),
                secret, 0, 1, new CountingHandler(), BlockSource.NONE)) {
            InetAddress bound = server.address().getAddress();
            assertTrue(bound.isLoopbackAddress(), "bound to " + bound);
            assertFalse(bound.isAnyLocalAddress(), "bound to every interface");
        }
    }

    @Test
    void aConfiguredHostIsWhereTheServerListens() throws Exception {
        NetworkConfig config = NetworkConfig.fromMap(Map.of("kindling.driver.host", "127.0.0.2"), "kindling.driver.host");
        try (TransportServer server = TransportServer.start(config, secret, 0, 1, new CountingHandler(), BlockSource.NONE);
             TransportClientFactory clients = TransportClientFactory.create(config, secret)) {
            assertEquals("127.0.0.2", server.address().getAddress().getHostAddress());
            assertArrayEquals(new byte[] {9}, clients.connect(server.address()).requestAndWait(new byte[] {9}));
        }
    }

    @Test
    void closingStopsEveryThreadAndFreesThePort() throws Exception {
        InetSocketAddress address;
        TransportServer server = TransportServer.start(NetworkConfig.defaults(), secret, 0, 2, new CountingHandler(),
                BlockSource.NONE);
        TransportClientFactory clients = TransportClientFactory.create(NetworkConfig.defaults(), secret);
        try {
            address = server.address();
            assertArrayEquals(new byte[] {2, 1}, clients.connect(address).requestAndWait(new byte[] {1, 2}));
            assertFalse(networkThreads().isEmpty(), "the test sees the network threads while they run");
        } finally {
            clients.close();
            server.close();
        }
        for (Thread t : networkThreads()) {
            t.join(30_000); // hang guard: terminated event loops end their threads
        }
        assertEquals(List.of(), networkThreads().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toList()));
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
        try (ServerSocket again = new ServerSocket(address.getPort(), 1, address.getAddress())) {
            assertEquals(address.getPort(), again.getLocalPort());
        }
    }

    private static List<Thread> networkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kindling-net-") || t.getName().startsWith("kindling-rpc-handler"))
                .collect(Collectors.toList());
    }
}
