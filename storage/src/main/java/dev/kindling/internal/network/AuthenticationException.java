package dev.kindling.internal.network;

import java.io.IOException;

/**
 * A connection whose peer did not prove knowledge of the application's secret (a wrong secret, a
 * malformed or missing handshake, or no handshake within the timeout); the connection is closed.
 */
public final class AuthenticationException extends IOException {

    private static final long serialVersionUID = 1L;

    /** An authentication failure described by {@code message}. */
    public AuthenticationException(String message) {
        super(message);
    }
}
