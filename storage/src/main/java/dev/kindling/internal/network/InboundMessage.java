package dev.kindling.internal.network;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A request or one-way message as a server's {@link RpcHandler} receives it: the raw body, who sent
 * it, and {@link #readObject} for a body that is a Java-serialized object (read through the
 * {@link DeserializationLimits} filter, never any other way).
 */
public final class InboundMessage {

    private final byte[] body;
    private final SocketAddress remote;
    private final DeserializationLimits limits;

    InboundMessage(byte[] body, SocketAddress remote, DeserializationLimits limits) {
        this.body = body;
        this.remote = remote;
        this.limits = limits;
    }

    /** The body as sent. */
    public byte[] body() {
        return body;
    }

    /** The authenticated peer's address. */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** The body deserialized as a {@code type}, with classes from {@code loader} (or the default rules when null). */
    public <T> T readObject(Class<T> type, ClassLoader loader) throws IOException {
        return limits.readObject(body, type, loader);
    }
}
