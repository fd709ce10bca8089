package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches the frames of an authenticated connection to the requests waiting for them by id: a
 * RESPONSE or CHUNK completes the request's future with the frame (positioned after the id; the
 * receiver releases it), an ERROR fails it with a {@link RemoteFailureException}. A frame for no
 * waiting request (one that timed out) is dropped; a closed connection fails every waiting request.
 * One instance per channel; runs on the channel's event loop.
 */
final class ClientResponseHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientResponseHandler.class);

    private final Map<Long, CompletableFuture<ByteBuf>> pending;

    ClientResponseHandler(Map<Long, CompletableFuture<ByteBuf>> pending) {
        this.pending = pending;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        FrameType type = FrameType.of(frame.readByte());
        if ((type != FrameType.RESPONSE && type != FrameType.CHUNK && type != FrameType.ERROR) || frame.readableBytes() < 8) {
            frame.release();
            LOG.warn("Closing connection to {}: a server may not send {}", ctx.channel().remoteAddress(), type);
            ctx.close();
            return;
        }
        long id = frame.readLong();
        CompletableFuture<ByteBuf> waiting = pending.remove(id);
        if (waiting == null) {
            frame.release(); // its request timed out or was abandoned
            return;
        }
        if (type == FrameType.ERROR) {
            String message = Frames.readUtf8(frame);
            frame.release();
            waiting.completeExceptionally(new RemoteFailureException("Request " + id + " failed on the server at "
                    + ctx.channel().remoteAddress() + ": " + message));
        } else if (!waiting.complete(frame)) {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException closed = new IOException("The connection to " + ctx.channel().remoteAddress()
                + " closed before the response came (the server stopped or closed it; see its log)");
        for (Long id : pending.keySet()) {
            CompletableFuture<ByteBuf> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(closed);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Closing connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
