package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kindling.network.crypto.enabled}: AES-GCM frames after the handshake. */
class EncryptedConnectionTest {

    private final AppSecret secret = AppSecret.generate();

    @TempDir
    Path dir;

    @Test
    void requestsAndChunkedFetchesWorkOverAnEncryptedConnection() throws Exception {
        byte[] content = new byte[200_001];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("block");
        Files.write(file, content);
        NetworkConfig config = NetworkConfig.defaults().withCryptoEnabled(true).withMaxFrameBytes(16 * 1024);
        Map<String, BlockData> blocks = Map.of("file", new BlockData.FileSegment(file, 1, content.length - 1),
                "memory", new BlockData.InMemory(ByteBuffer.wrap(content)));
        try (TransportServer server = TransportServer.start(config, secret, 0, 2, new CountingHandler(), blocks::get);
             TransportClientFactory clients = TransportClientFactory.create(config, secret)) {
            TransportClient client = clients.connect(server.address());
            byte[] body = new byte[16 * 1024 - Frames.MESSAGE_OVERHEAD]; // a frame at the limit, plus its tag
            new Random(4).nextBytes(body);
            assertArrayEquals(CountingHandler.reversed(body), client.requestAndWait(body));
            ByteArrayOutputStream fromFile = new ByteArrayOutputStream();
            client.fetch("file", fromFile);
            assertArrayEquals(Arrays.copyOfRange(content, 1, content.length), fromFile.toByteArray());
            ByteArrayOutputStream fromMemory = new ByteArrayOutputStream();
            client.fetch("memory", fromMemory);
            assertArrayEquals(content, fromMemory.toByteArray());
        }
    }

    @Test
    void bothSidesMustAgreeOnEncryption() throws Exception {
        for (boolean serverCrypto : new boolean[] {true, false}) {
            CountingHandler handler = new CountingHandler();
            try (TransportServer server = TransportServer.start(NetworkConfig.defaults().withCryptoEnabled(serverCrypto),
                    secret, 0, 1, handler, BlockSource.NONE);
                 TransportClientFactory clients = TransportClientFactory.create(
                         NetworkConfig.defaults().withCryptoEnabled(!serverCrypto), secret)) {
                AuthenticationException e = assertThrows(AuthenticationException.class, () -> clients.connect(server.address()));
                assertTrue(e.getMessage().contains(NetworkConfig.CRYPTO_ENABLED), e.getMessage());
                assertEquals(0, handler.dispatches.get());
            }
        }
    }

    /** Two ends of one connection, without sockets: what the client seals, the server opens. */
    private static EmbeddedChannel[] pair(AppSecret secret) {
        byte[] c = Handshake.nonce();
        byte[] s = Handshake.nonce();
        EmbeddedChannel client = new EmbeddedChannel(new CryptoHandler(SessionKeys.derive(secret, c, s, true)));
        FrameDecoder decoder = new FrameDecoder(4096);
        decoder.authenticated(CryptoHandler.TAG_BYTES);
        EmbeddedChannel server = new EmbeddedChannel(decoder, new CryptoHandler(SessionKeys.derive(secret, c, s, false)));
        return new EmbeddedChannel[] {client, server};
    }

    private static byte[] sealedBytes(EmbeddedChannel client, byte[] body) {
        client.writeOutbound(Frames.withId(client.alloc(), FrameType.REQUEST, 7, body));
        ByteBuf out = client.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    @Test
    void theWireCarriesNoPlaintextAndTheOtherSideGetsTheFrameBack() {
        EmbeddedChannel[] ends = pair(secret);
        byte[] body = "the secret recipe: flour, water, salt".getBytes(StandardCharsets.UTF_8);
        byte[] wire = sealedBytes(ends[0], body);
        assertEquals(4 + 1 + 8 + body.length + CryptoHandler.TAG_BYTES, wire.length);
        assertFalse(new String(wire, StandardCharsets.ISO_8859_1).contains("recipe"));
        ends[1].writeInbound(Unpooled.wrappedBuffer(wire));
        ByteBuf frame = ends[1].readInbound();
        assertEquals(FrameType.REQUEST, FrameType.of(frame.readByte()));
        assertEquals(7, frame.readLong());
        assertArrayEquals(body, Frames.readRest(frame));
        frame.release();
        assertFalse(Arrays.equals(wire, sealedBytes(ends[0], body)), "the same frame sealed twice differs (fresh nonce)");
        ends[0].finishAndReleaseAll();
        ends[1].finishAndReleaseAll();
    }

    @Test
    void aChangedFrameClosesTheConnection() {
        EmbeddedChannel[] ends = pair(secret);
        byte[] wire = sealedBytes(ends[0], new byte[] {1, 2, 3});
        wire[10] ^= 1;
        ends[1].writeInbound(Unpooled.wrappedBuffer(wire));
        assertNull(ends[1].readInbound());
        assertFalse(ends[1].isOpen());
        ends[0].finishAndReleaseAll();
        ends[1].finishAndReleaseAll();
    }

    @Test
    void aReplayedFrameClosesTheConnection() {
        EmbeddedChannel[] ends = pair(secret);
        byte[] wire = sealedBytes(ends[0], new byte[] {1, 2, 3});
        ends[1].writeInbound(Unpooled.wrappedBuffer(wire));
        ((ByteBuf) ends[1].readInbound()).release();
        ends[1].writeInbound(Unpooled.wrappedBuffer(wire.clone()));
        assertNull(ends[1].readInbound());
        assertFalse(ends[1].isOpen());
        ends[0].finishAndReleaseAll();
        ends[1].finishAndReleaseAll();
    }

    @Test
    void eachDirectionAndEachConnectionHasItsOwnKey() {
        byte[] c = Handshake.nonce();
        byte[] s = Handshake.nonce();
        SessionKeys client = SessionKeys.derive(secret, c, s, true);
        SessionKeys server = SessionKeys.derive(secret, c, s, false);
        assertArrayEquals(client.send(), server.receive());
        assertArrayEquals(client.receive(), server.send());
        assertFalse(Arrays.equals(client.send(), client.receive()));
        assertFalse(Arrays.equals(client.send(), SessionKeys.derive(secret, c, Handshake.nonce(), true).send()));
        assertFalse(Arrays.equals(client.send(), SessionKeys.derive(AppSecret.generate(), c, s, true).send()));
    }
}
