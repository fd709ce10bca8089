package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one block over a {@link TransportClient}: asks its size, then requests chunks of
 * {@link NetworkConfig#chunkBytes()} in order, keeping several requests outstanding (they travel one
 * after another on the connection) but never more than {@code kindling.reducer.maxBytesInFlight}
 * bytes requested and not yet written to the sink; that bound is what limits the memory a fetch holds.
 * Runs on the calling thread; one fetch per instance at a time.
 */
final class BlockFetcher {

    private final TransportClient client;
    private final NetworkConfig config;

    BlockFetcher(TransportClient client, NetworkConfig config) {
        this.client = client;
        this.config = config;
    }

    private record Chunk(long offset, int length, CompletableFuture<ByteBuf> frame) {
    }

    FetchResult fetch(String blockId, OutputStream sink) throws IOException {
        byte[] id = Frames.utf8(blockId);
        long size;
        ByteBuf sizeFrame = TransportClient.await(client.call(FrameType.BLOCK_SIZE_REQUEST, id));
        try {
            size = sizeFrame.readLong();
        } finally {
            sizeFrame.release();
        }
        int chunkBytes = config.chunkBytes();
        long bound = config.maxBytesInFlight();
        ArrayDeque<Chunk> outstanding = new ArrayDeque<>();
        long requested = 0;
        long inFlight = 0;
        long maxInFlight = 0;
        int chunks = 0;
        try {
            while (requested < size || !outstanding.isEmpty()) {
                while (requested < size && inFlight + Math.min(chunkBytes, size - requested) <= bound) {
                    int length = (int) Math.min(chunkBytes, size - requested);
                    byte[] payload = ByteBuffer.allocate(12 + id.length).putLong(requested).putInt(length).put(id).array();
                    outstanding.add(new Chunk(requested, length, client.call(FrameType.CHUNK_REQUEST, payload)));
                    requested += length;
                    inFlight += length;
                    chunks++;
                    maxInFlight = Math.max(maxInFlight, inFlight);
                }
                Chunk next = outstanding.poll();
                ByteBuf data;
                try {
                    data = TransportClient.await(next.frame());
                } catch (IOException e) {
                    throw new IOException("Fetching block " + blockId + " from " + client.remoteAddress() + " failed at byte "
                            + next.offset() + " of " + size + ": " + e.getMessage(), e);
                }
                try {
                    if (data.readableBytes() != next.length()) {
                        throw new IOException("Fetching block " + blockId + " from " + client.remoteAddress() + ": chunk at "
                                + next.offset() + " has " + data.readableBytes() + " bytes, expected " + next.length());
                    }
                    data.readBytes(sink, next.length());
                } finally {
                    data.release();
                }
                inFlight -= next.length();
            }
        } finally {
            for (Chunk c : outstanding) {
                c.frame().thenAccept(ByteBuf::release); // free what still arrives after a failure
            }
        }
        return new FetchResult(size, chunks, maxInFlight);
    }
}
