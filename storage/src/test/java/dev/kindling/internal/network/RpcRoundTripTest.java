package dev.kindling.internal.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests, responses, one-way messages, failures and timeouts over real loopback sockets. */
class RpcRoundTripTest {

    private final AppSecret secret = AppSecret.generate();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private TransportClient serveAndConnect(NetworkConfig config, RpcHandler handler) throws IOException {
        TransportServer server = track(TransportServer.start(config, secret, 0, 4, handler, BlockSource.NONE));
        return track(TransportClientFactory.create(config, secret)).connect(server.address());
    }

    @Test
    void requestsGetTheHandlersAnswer() throws Exception {
        CountingHandler handler = new CountingHandler();
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), handler);
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 100, 70_000}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            if (size > 0) {
                body[0] = 'x';
            }
            assertArrayEquals(CountingHandler.reversed(body), client.requestAndWait(body));
        }
        assertEquals(4, handler.dispatches.get());
    }

    @Test
    void concurrentRequestsFromManyThreadsEachGetTheirOwnAnswer() throws Exception {
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), new CountingHandler());
        int threads = 8;
        int perThread = 200;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            all.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<byte[]>> answers = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    answers.add(client.request(("t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < perThread; i++) {
                    String expected = new StringBuilder("t" + thread + "-" + i).reverse().toString();
                    assertEquals(expected, new String(answers.get(i).join(), StandardCharsets.UTF_8));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS); // hang guard
    }

    @Test
    void aHandlerFailureFailsTheCallersFutureWithItsMessage() throws Exception {
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), request -> {
            throw new IllegalStateException("no such stage 7");
        });
        RemoteFailureException e = assertThrows(RemoteFailureException.class, () -> client.requestAndWait(new byte[] {1}));
        assertTrue(e.getMessage().contains("IllegalStateException: no such stage 7"), e.getMessage());
        assertTrue(client.isActive(), "a failed request leaves the connection usable");
    }

    @Test
    void aHandlerThatReturnsNullOrThrowsAnErrorStillAnswersTheCaller() throws Exception {
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), request -> {
            if (request.body()[0] == 'n') {
                return null;
            }
            throw new AssertionError("broken invariant");
        });
        RemoteFailureException nothing = assertThrows(RemoteFailureException.class, () -> client.requestAndWait(new byte[] {'n'}));
        assertTrue(nothing.getMessage().contains("returned null"), nothing.getMessage());
        RemoteFailureException error = assertThrows(RemoteFailureException.class, () -> client.requestAndWait(new byte[] {'e'}));
        assertTrue(error.getMessage().contains("AssertionError: broken invariant"), error.getMessage());
    }

    @Test
    void aRequestWithoutAnAnswerTimesOutAndLaterRequestsStillWork() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), request -> {
            if (request.body()[0] == 's') {
                release.await(30, TimeUnit.SECONDS); // hang guard
            }
            return request.body();
        });
        RpcTimeoutException e = assertThrows(RpcTimeoutException.class,
                () -> TransportClient.await(client.request(new byte[] {'s'}, 300)));
        assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
        release.countDown();
        assertArrayEquals(new byte[] {'f'}, client.requestAndWait(new byte[] {'f'}));
    }

    @Test
    void theConfiguredTimeoutAppliesToEveryRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        NetworkConfig shortTimeout = NetworkConfig.defaults().withTimeoutMs(300);
        TransportServer server = track(TransportServer.start(NetworkConfig.defaults(), secret, 0, 1, request -> {
            release.await(30, TimeUnit.SECONDS); // hang guard
            return request.body();
        }, BlockSource.NONE));
        try (TransportClientFactory clients = TransportClientFactory.create(shortTimeout, secret)) {
            // the handshake also has 300 ms here; a busy machine gets a few tries (a hang guard, not a timed assertion)
            TransportClient client = null;
            for (int attempt = 0; client == null; attempt++) {
                try {
                    client = clients.connect(server.address());
                } catch (AuthenticationException slow) {
                    if (attempt == 20) {
                        throw slow;
                    }
                }
            }
            TransportClient connected = client;
            RpcTimeoutException e = assertThrows(RpcTimeoutException.class, () -> connected.requestAndWait(new byte[] {1}));
            assertTrue(e.getMessage().contains(NetworkConfig.TIMEOUT_MS + "=300"), e.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void oneWayMessagesArriveInOrder() throws Exception {
        CountingHandler handler = new CountingHandler();
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), handler);
        for (int i = 0; i < 50; i++) {
            client.send(new byte[] {(byte) i});
        }
        for (int i = 0; i < 50; i++) {
            byte[] got = handler.oneWay.poll(30, TimeUnit.SECONDS); // hang guard
            assertNotNull(got, "one-way message " + i + " did not arrive");
        }
        assertEquals(50, handler.dispatches.get());
    }

    @Test
    void oneWayMessagesAHandlerTakesOnTheEventLoopStayThereInOrderAndTheRestGoToHandlerThreads() throws Exception {
        List<String> onLoop = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> loopThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        CountingHandler handler = new CountingHandler() {
            @Override
            public boolean receiveOneWayOnEventLoop(InboundMessage message) {
                if (message.body()[0] % 2 != 0) {
                    return false; // odd ones go to a handler thread
                }
                onLoop.add(Byte.toString(message.body()[0]));
                loopThreads.add(Thread.currentThread().getName());
                return true;
            }
        };
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), handler);
        for (int i = 0; i < 100; i++) {
            client.send(new byte[] {(byte) i});
        }
        List<Integer> odd = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] got = handler.oneWay.poll(30, TimeUnit.SECONDS); // hang guard
            assertNotNull(got, "odd one-way message " + i + " did not reach receiveOneWay");
            odd.add((int) got[0]);
        }
        odd.sort(null);
        List<Integer> expectedOdd = new ArrayList<>();
        List<String> expectedEven = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 2 == 0) {
                expectedEven.add(Integer.toString(i));
            } else {
                expectedOdd.add(i);
            }
        }
        assertEquals(expectedOdd, odd);
        assertEquals(expectedEven, onLoop, "taken on the event loop, in the order sent");
        assertTrue(loopThreads.stream().allMatch(t -> t.startsWith("kindling-net-server")), loopThreads.toString());
        assertEquals(50, handler.dispatches.get(), "receiveOneWay got only the odd ones");
    }

    @Test
    void objectsTravelThroughTheFilteredDeserializer() throws Exception {
        CountingHandler handler = new CountingHandler();
        TransportClient client = serveAndConnect(NetworkConfig.defaults(), handler);
        byte[] object = DeserializationLimits.serialize(new java.util.ArrayList<>(List.of(1, 2, 3)));
        byte[] body = Frames.concat(new byte[] {'O'}, object);
        assertEquals("[1, 2, 3]", new String(client.requestAndWait(body), StandardCharsets.UTF_8));
        assertEquals(1, handler.deserializations.get());
    }

    @Test
    void aMessageLargerThanAFrameIsRefusedBeforeItIsSent() throws Exception {
        CountingHandler handler = new CountingHandler();
        TransportClient client = serveAndConnect(NetworkConfig.defaults().withMaxFrameBytes(4096), handler);
        IOException e = assertThrows(IOException.class, () -> client.requestAndWait(new byte[5000]));
        assertTrue(e.getMessage().contains(NetworkConfig.MAX_FRAME_BYTES + "=4096"), e.getMessage());
        assertThrows(IOException.class, () -> client.send(new byte[5000]));
        assertEquals(0, handler.dispatches.get());
    }

    @Test
    void aResponseLargerThanAFrameIsAnErrorNotADroppedConnection() throws Exception {
        TransportClient client = serveAndConnect(NetworkConfig.defaults().withMaxFrameBytes(4096), request -> new byte[10_000]);
        RemoteFailureException e = assertThrows(RemoteFailureException.class, () -> client.requestAndWait(new byte[1]));
        assertTrue(e.getMessage().contains("does not fit in a frame"), e.getMessage());
        assertTrue(client.isActive());
    }

    @Test
    void closingTheServerFailsWaitingRequests() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        TransportServer server = TransportServer.start(NetworkConfig.defaults(), secret, 0, 1, request -> {
            entered.countDown();
            Thread.sleep(60_000); // interrupted by close
            return new byte[0];
        }, BlockSource.NONE);
        TransportClient client = track(TransportClientFactory.create(NetworkConfig.defaults(), secret)).connect(server.address());
        CompletableFuture<byte[]> waiting = client.request(new byte[1]);
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        server.close();
        IOException e = assertThrows(IOException.class, () -> TransportClient.await(waiting));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
