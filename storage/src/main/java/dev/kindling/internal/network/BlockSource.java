package dev.kindling.internal.network;

import java.io.IOException;

/**
 * Where a {@link TransportServer} finds the blocks peers fetch, by id (a shuffle block, a cached or
 * broadcast block). Called on the server's handler threads, once per chunk request, so it should be
 * a cheap lookup.
 */
@FunctionalInterface
public interface BlockSource {

    /** A source that has no blocks. */
    BlockSource NONE = blockId -> null;

    /** The block with id {@code blockId}, or {@code null} when this server has no such block. */
    BlockData open(String blockId) throws IOException;
}
