package dev.kindling.internal.network;

/**
 * What a {@link TransportServer} does with the messages of authenticated peers. {@link #receive} and
 * {@link #receiveOneWay} run on the server's handler threads (never on a network event loop), so they
 * may block; several may run at once for different requests, also of one connection. Only
 * {@link #receiveOneWayOnEventLoop} runs on the event loop that read the message.
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

    /**
     * Offers a one-way message on the network event loop that read it, before it is handed to a handler
     * thread: a handler that can take it at once, without blocking (queueing a task, say), does so and
     * returns true, which saves a thread hand-off and keeps one connection's messages in order; false
     * sends it on to {@link #receiveOneWay} on a handler thread. A thrown exception is logged (the
     * message is then dropped). Default: false for every message.
     */
    default boolean receiveOneWayOnEventLoop(InboundMessage message) throws Exception {
        return false;
    }
}
