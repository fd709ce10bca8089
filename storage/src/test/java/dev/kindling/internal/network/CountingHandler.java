package dev.kindling.internal.network;

import java.io.Serializable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server's handler that counts what reaches it: dispatches (requests and one-way messages),
 * deserializations, and block opens. A request whose body starts with {@code 'O'} is read as an object
 * ({@link InboundMessage#readObject}) and answered with its {@code toString()}; any other is answered
 * with its bytes reversed. One-way bodies go to {@link #oneWay}.
 */
class CountingHandler implements RpcHandler {

    final AtomicInteger dispatches = new AtomicInteger();
    final AtomicInteger deserializations = new AtomicInteger();
    final BlockingQueue<byte[]> oneWay = new LinkedBlockingQueue<>();

    @Override
    public byte[] receive(InboundMessage request) throws Exception {
        dispatches.incrementAndGet();
        byte[] body = request.body();
        if (body.length > 0 && body[0] == 'O') {
            byte[] rest = java.util.Arrays.copyOfRange(body, 1, body.length);
            deserializations.incrementAndGet();
            Object o = new InboundMessage(rest, request.remoteAddress(),
                    DeserializationLimits.forFrames(1 << 20)).readObject(Serializable.class, null);
            return Frames.utf8(String.valueOf(o));
        }
        return reversed(body);
    }

    @Override
    public void receiveOneWay(InboundMessage message) {
        dispatches.incrementAndGet();
        oneWay.add(message.body());
    }

    static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
