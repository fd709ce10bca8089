package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Cuts the byte stream into frames (one {@link ByteBuf} each: type byte and payload). A length prefix
 * below 1 or above the current limit fails the connection before any of that frame is buffered. Until
 * {@link #authenticated} the limit is {@link #HANDSHAKE_LIMIT}, so an unauthenticated peer cannot make
 * the server hold more than a few dozen bytes. Each frame is a buffer of its own (never a view of the
 * receive buffer), so it may be read on any thread. One instance per channel.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /** Largest frame accepted before authentication: the biggest handshake frame is 65 bytes. */
    static final int HANDSHAKE_LIMIT = 128;

    private final int maxFrameBytes;
    private int limit = HANDSHAKE_LIMIT;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Raises the limit to the configured maximum (plus {@code extra} bytes an encryption tag adds);
     * called by the handshake on the channel's event loop.
     */
    void authenticated(int extra) {
        limit = maxFrameBytes + extra;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Frames.LENGTH_BYTES) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 1 || length > limit) {
            in.skipBytes(in.readableBytes());
            throw new CorruptedFrameException("frame length " + length + " is outside 1.." + limit
                    + (limit == HANDSHAKE_LIMIT ? " (before authentication)" : " (" + NetworkConfig.MAX_FRAME_BYTES + ")"));
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES + length) {
            return;
        }
        in.skipBytes(Frames.LENGTH_BYTES);
        // A copy, not a retained slice of the receive buffer: frames are read on other threads (a
        // fetcher, the RPC handlers) while this event loop goes on filling that buffer, and slices
        // of it came back with 64 KiB runs of wrong bytes (BlockFetchTest's two-client fetch: about
        // half of the 100 MB fetches, with Netty's adaptive and pooled allocators alike). One copy
        // per received byte costs far less than the socket read before it.
        out.add(in.readBytes(length));
    }
}
