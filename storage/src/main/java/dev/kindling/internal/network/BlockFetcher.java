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
        return fetch(blockId, size -> sink);
    }

    /**
     * Fetches block {@code blockId} into an array of exactly its size, so a large block is held once
     * (never grown and copied); a block of more than {@link #MAX_ARRAY_BYTES} bytes is an IOException.
     */
    byte[] fetchBytes(String blockId) throws IOException {
        byte[][] target = new byte[1][];
        fetch(blockId, size -> {
            if (size > MAX_ARRAY_BYTES) {
                throw new IOException("Block " + blockId + " on " + client.remoteAddress() + " is " + size
                        + " bytes, more than one array holds (" + MAX_ARRAY_BYTES + ")");
            }
            target[0] = new byte[(int) size];
            return new ArrayFiller(target[0]);
        });
        return target[0];
    }

    /** The largest array the JVM allocates. */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /** Makes the sink of a fetch once the block's size is known. */
    private interface SinkForSize {
        OutputStream open(long size) throws IOException;
    }

    /** Writes into a fixed array, in order; writing past its end is an IOException. */
    private static final class ArrayFiller extends OutputStream {
        private final byte[] target;
        private int position;

        ArrayFiller(byte[] target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > target.length - position) {
                throw new IOException("A fetched block holds more bytes than its announced size " + target.length);
            }
            System.arraycopy(b, off, target, position, len);
            position += len;
        }
    }

    private FetchResult fetch(String blockId, SinkForSize sinks) throws IOException {
        byte[] id = Frames.utf8(blockId);
        long size;
        ByteBuf sizeFrame = TransportClient.await(client.call(FrameType.BLOCK_SIZE_REQUEST, id));
        try {
            size = sizeFrame.readLong();
        } finally {
            sizeFrame.release();
        }
        OutputStream sink = sinks.open(size);
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
