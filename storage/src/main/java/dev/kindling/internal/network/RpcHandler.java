package dev.kindling.internal.network;

/**
 * What a {@link TransportServer} does with the messages of authenticated peers. Methods run on the
 * server's handler threads (never on a network event loop), so they may block; several may run at
 * once for different requests, also of one connection.
 */
public interface RpcHandler {

    /**
     * Answers a request; the returned bytes become the response. A thrown exception becomes an error
     * response carrying its class and message, which the caller's future fails with.
     */
    byte[] receive(InboundMessage request) throws Exception;

    /** Takes a one-way message (no response); a thrown exception is logged. Default: ignores it. */
    default void receiveOneWay(InboundMessage message) throws Exception {
    }
}
