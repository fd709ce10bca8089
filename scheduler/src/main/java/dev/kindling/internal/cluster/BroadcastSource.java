package dev.kindling.internal.cluster;

/**
 * Where the driver finds a broadcast variable's bytes when an executor asks for them by id (the hook
 * the broadcast manager fills). Called on network handler threads.
 */
@FunctionalInterface
public interface BroadcastSource {

    /** A source that has no broadcasts: every fetch fails, naming the id. */
    BroadcastSource NONE = id -> {
        throw new IllegalStateException("Broadcast " + id + " is unknown: this driver serves no broadcasts");
    };

    /** The serialized value of broadcast {@code broadcastId}; an unknown id is an exception naming it. */
    byte[] broadcastBytes(long broadcastId) throws Exception;
}
