package dev.kindling.internal.network;

import java.io.IOException;

/** A request that got no response within {@code kindling.network.timeoutMs}; names the server and the timeout. */
public final class RpcTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A timeout described by {@code message}. */
    public RpcTimeoutException(String message) {
        super(message);
    }
}
