package dev.kindling.internal.storage.block;

/**
 * Names one block in the {@link BlockManager}: a cached RDD partition, a piece of shuffle output or
 * a piece of a broadcast variable. {@link #name()} is unique and safe as a file name.
 */
public sealed interface BlockId permits BlockId.RDDBlock, BlockId.ShuffleBlock, BlockId.BroadcastBlock {

    /** A file-name-safe unique name, e.g. {@code rdd_3_0}. */
    String name();

    /** Partition {@code partition} of RDD {@code rddId}. */
    static RDDBlock rdd(int rddId, int partition) {
        return new RDDBlock(rddId, partition);
    }

    /** A cached RDD partition. */
    record RDDBlock(int rddId, int partition) implements BlockId {
        @Override
        public String name() {
            return "rdd_" + rddId + "_" + partition;
        }
    }

    /** The bucket {@code reduceId} of map output {@code mapId} of a shuffle. */
    record ShuffleBlock(int shuffleId, int mapId, int reduceId) implements BlockId {
        @Override
        public String name() {
            return "shuffle_" + shuffleId + "_" + mapId + "_" + reduceId;
        }
    }

    /** Piece {@code piece} of broadcast variable {@code broadcastId}. */
    record BroadcastBlock(long broadcastId, int piece) implements BlockId {
        @Override
        public String name() {
            return "broadcast_" + broadcastId + "_" + piece;
        }
    }
}
