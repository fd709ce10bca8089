package dev.kindling.internal.network;

import java.io.IOException;

/**
 * A request the server received but could not answer: its handler threw, or the block asked for is
 * not there. The message carries the server's address and the server-side exception's class and message.
 */
public final class RemoteFailureException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A failure reported by a server. */
    public RemoteFailureException(String message) {
        super(message);
    }
}
