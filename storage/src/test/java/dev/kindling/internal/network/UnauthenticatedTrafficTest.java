package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * K20: a live server takes 10,000 fuzzed frames (random lengths and bytes, truncated frames, oversized
 * and negative length prefixes), connections with a wrong secret, and valid-looking request, one-way
 * and fetch frames sent before or instead of the handshake, with nothing deserialized, nothing
 * dispatched and no block opened; afterwards it still serves an authenticated client.
 */
class UnauthenticatedTrafficTest {

    private static final int FRAMES = 10_000;
    private final AppSecret secret = AppSecret.generate();

    @Test
    void fuzzedFramesWrongSecretsAndEarlyRequestsReachNoHandler() throws Exception {
        CountingHandler handler = new CountingHandler();
        AtomicInteger blockOpens = new AtomicInteger();
        NetworkConfig config = NetworkConfig.defaults().withTimeoutMs(10_000);
        try (TransportServer server = TransportServer.start(config, secret, 0, 2, handler, id -> {
            blockOpens.incrementAndGet();
            return new BlockData.InMemory(ByteBuffer.allocate(10));
        })) {
            long seed = new Random().nextLong();
            Random random = new Random(seed);
            int sent = 0;
            int connections = 0;
            while (sent < FRAMES) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                int n = Math.min(FRAMES - sent, 1 + random.nextInt(20));
                for (int i = 0; i < n; i++) {
                    batch.writeBytes(fuzzedFrame(random));
                }
                sent += n;
                connections++;
                sendAndExpectClose(server.address(), batch.toByteArray(), seed);
            }
            assertEquals(FRAMES, sent);

            try (TransportClientFactory wrong = TransportClientFactory.create(config, AppSecret.generate())) {
                for (int i = 0; i < 20; i++) {
                    AuthenticationException e = assertThrows(AuthenticationException.class, () -> wrong.connect(server.address()));
                    assertTrue(e.getMessage().contains("does not know this application's secret"), e.getMessage());
                }
            }

            assertEquals(0, handler.dispatches.get(), "dispatches from unauthenticated connections (seed " + seed + ")");
            assertEquals(0, handler.deserializations.get(), "deserializations (seed " + seed + ")");
            assertEquals(0, blockOpens.get(), "block opens (seed " + seed + ")");
            assertTrue(connections >= FRAMES / 20);

            try (TransportClientFactory right = TransportClientFactory.create(config, secret)) {
                TransportClient client = right.connect(server.address());
                assertArrayEquals(new byte[] {3, 2, 1}, client.requestAndWait(new byte[] {1, 2, 3}));
                byte[] object = Frames.concat(new byte[] {'O'}, DeserializationLimits.serialize("still serving"));
                assertArrayEquals(Frames.utf8("still serving"), client.requestAndWait(object));
            }
            assertEquals(2, handler.dispatches.get());
            assertEquals(1, handler.deserializations.get());
        }
    }

    /** Writes {@code bytes}, half-closes, and reads until the server closes (a read timeout is a hang guard). */
    private static void sendAndExpectClose(InetSocketAddress address, byte[] bytes, long seed) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(bytes);
                s.shutdownOutput();
            } catch (SocketException closedEarly) {
                return; // the server already closed the connection at the first bad frame
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // a handshake challenge is all a server may answer; drain it
                }
            } catch (SocketException reset) {
                // closed with unread bytes: a reset is a close too
            }
        }
    }

    private static byte[] fuzzedFrame(Random r) {
        switch (r.nextInt(9)) {
            case 0: { // random bytes, random length
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                return b;
            }
            case 1: { // a well-formed frame of a random type and payload
                byte[] payload = new byte[r.nextInt(120)];
                r.nextBytes(payload);
                return frame((byte) r.nextInt(256), payload);
            }
            case 2: { // an oversized or negative length prefix
                int[] lengths = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, FrameDecoder.HANDSHAKE_LIMIT + 1,
                        NetworkConfig.DEFAULT_MAX_FRAME_BYTES + 1, 1 + r.nextInt(Integer.MAX_VALUE)};
                return ByteBuffer.allocate(4 + 16).putInt(lengths[r.nextInt(lengths.length)]).array();
            }
            case 3: { // truncated: the prefix promises more than follows
                byte[] whole = frame(FrameType.REQUEST.code, new byte[8 + r.nextInt(100)]);
                return java.util.Arrays.copyOf(whole, r.nextInt(whole.length));
            }
            case 4: // a valid-looking request whose body is a serialized object
                return frame(FrameType.REQUEST.code, Frames.concat(longBytes(r.nextLong()), new byte[] {'O'},
                        DeserializationLimits.serialize(r.nextInt())));
            case 5: // a valid-looking one-way message with a serialized object
                return frame(FrameType.ONE_WAY.code, DeserializationLimits.serialize((long) r.nextInt()));
            case 6: // valid-looking fetch frames
                return r.nextBoolean()
                        ? frame(FrameType.BLOCK_SIZE_REQUEST.code, Frames.concat(longBytes(1), Frames.utf8("shuffle_0_0_0")))
                        : frame(FrameType.CHUNK_REQUEST.code, Frames.concat(longBytes(2), longBytes(0),
                                new byte[] {0, 0, 0, 10}, Frames.utf8("b")));
            case 7: { // a correct hello, then a request instead of the proof
                byte[] hello = Frames.concat(new byte[] {Handshake.VERSION, 0}, Handshake.nonce());
                return Frames.concat(frame(FrameType.AUTH_HELLO.code, hello),
                        frame(FrameType.REQUEST.code, Frames.concat(longBytes(3), new byte[] {1, 2, 3})));
            }
            default: { // a correct hello, then a random proof, then a request
                byte[] hello = Frames.concat(new byte[] {Handshake.VERSION, 0}, Handshake.nonce());
                return Frames.concat(frame(FrameType.AUTH_HELLO.code, hello),
                        frame(FrameType.AUTH_PROOF.code, Handshake.nonce()),
                        frame(FrameType.REQUEST.code, Frames.concat(longBytes(4), new byte[] {'x'})));
            }
        }
    }

    private static byte[] frame(byte type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put(type).put(payload).array();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
