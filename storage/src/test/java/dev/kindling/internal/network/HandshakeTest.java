package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The mutual handshake: both sides must know the secret, and neither talks to a side that does not. */
class HandshakeTest {

    private final AppSecret secret = AppSecret.generate();

    @Test
    void proofsDependOnTheSecretTheNoncesTheFlagsAndTheRole() {
        byte[] c = Handshake.nonce();
        byte[] s = Handshake.nonce();
        byte f = Handshake.flags(false);
        assertFalse(Handshake.matches(Handshake.serverProof(secret, f, c, s), Handshake.clientProof(secret, f, c, s)));
        assertFalse(Handshake.matches(Handshake.clientProof(secret, f, c, s), Handshake.clientProof(AppSecret.generate(), f, c, s)));
        assertFalse(Handshake.matches(Handshake.clientProof(secret, f, c, s), Handshake.clientProof(secret, f, c, Handshake.nonce())));
        assertFalse(Handshake.matches(Handshake.clientProof(secret, f, c, s),
                Handshake.clientProof(secret, Handshake.flags(true), c, s)));
        assertTrue(Handshake.matches(Handshake.clientProof(secret, f, c, s), Handshake.clientProof(secret, f, c.clone(), s.clone())));
    }

    @Test
    void aClientWithAnotherSecretIsRefusedAndTheServerGoesOnServing() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (TransportServer server = TransportServer.start(NetworkConfig.defaults(), secret, 0, 1, handler, BlockSource.NONE);
             TransportClientFactory wrong = TransportClientFactory.create(NetworkConfig.defaults(), AppSecret.generate());
             TransportClientFactory right = TransportClientFactory.create(NetworkConfig.defaults(), secret)) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> wrong.connect(server.address()));
            assertTrue(e.getMessage().contains(server.address().getPort() + ""), e.getMessage());
            assertTrue(e.getMessage().contains(AppSecret.ENV_VAR), e.getMessage());
            assertArrayEquals(new byte[] {2, 1}, right.connect(server.address()).requestAndWait(new byte[] {1, 2}));
            assertEquals(1, handler.dispatches.get());
        }
    }

    @Test
    void aClientNeverSendsItsProofToAServerThatCannotProveItKnowsTheSecret() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             TransportClientFactory clients = TransportClientFactory.create(NetworkConfig.defaults(), secret)) {
            CompletableFuture<Integer> bytesAfterHello = CompletableFuture.supplyAsync(() -> {
                try (Socket s = fake.accept()) {
                    s.setSoTimeout(30_000); // hang guard
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] hello = new byte[4 + 1 + 2 + Handshake.NONCE_BYTES];
                    in.readFully(hello);
                    byte[] payload = Frames.concat(Handshake.nonce(), Handshake.nonce()); // nonce and a made-up proof
                    s.getOutputStream().write(ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length)
                            .put(FrameType.AUTH_CHALLENGE.code).put(payload).array());
                    return drain(in);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress address = new InetSocketAddress(fake.getInetAddress(), fake.getLocalPort());
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> clients.connect(address));
            assertTrue(e.getMessage().contains("the server does not know this application's secret"), e.getMessage());
            assertEquals(0, bytesAfterHello.get(30, TimeUnit.SECONDS), "the client sent something after its hello");
        }
    }

    @Test
    void aConnectionThatDoesNotAuthenticateInTimeIsClosed() throws Exception {
        NetworkConfig config = NetworkConfig.defaults().withTimeoutMs(300);
        try (TransportServer server = TransportServer.start(config, secret, 0, 1, new CountingHandler(), BlockSource.NONE);
             Socket silent = new Socket(server.address().getAddress(), server.address().getPort())) {
            silent.setSoTimeout(30_000); // hang guard
            assertEquals(-1, silent.getInputStream().read(), "the server closes a silent connection");
        }
    }

    private static int drain(InputStream in) throws java.io.IOException {
        int n = 0;
        try {
            while (in.read() >= 0) {
                n++;
            }
        } catch (java.net.SocketException reset) {
            // the client closed: counted what came before
        }
        return n;
    }
}
