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

    /** The id of the block that holds broadcast {@code broadcastId}'s serialized value on the driver's server. */
    static String blockId(long broadcastId) {
        return BLOCK_PREFIX + broadcastId;
    }

    /** The prefix of broadcast block ids. */
    String BLOCK_PREFIX = "broadcast_";

    /**
     * These broadcasts as blocks {@code broadcast_<id>} (served from memory, without a copy, in chunks),
     * which executors fetch so that no broadcast travels in one frame; any other block id is not here
     * (null). An unknown or destroyed broadcast is an exception whose message the fetching executor gets.
     */
    default dev.kindling.internal.network.BlockSource asBlocks() {
        return blockId -> {
            if (blockId == null || !blockId.startsWith(BLOCK_PREFIX)) {
                return null;
            }
            long id;
            try {
                id = Long.parseLong(blockId.substring(BLOCK_PREFIX.length()));
            } catch (NumberFormatException e) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = broadcastBytes(id);
            } catch (RuntimeException | java.io.IOException e) {
                throw e;
            } catch (Exception e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
            return new dev.kindling.internal.network.BlockData.InMemory(java.nio.ByteBuffer.wrap(bytes));
        };
    }
}
