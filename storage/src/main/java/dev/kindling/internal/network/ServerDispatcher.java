package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the frames of an authenticated connection (it sits behind {@link ServerAuthHandler}, which
 * passes nothing on until the handshake succeeded): requests and one-way messages go to the
 * {@link RpcHandler}, size and chunk requests to the {@link BlockSource}, each on the handler
 * executor; answers are written back from there. A frame a client must not send closes the connection.
 * Shared by all connections of one server.
 */
final class ServerDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerDispatcher.class);

    private final RpcHandler handler;
    private final BlockSource blocks;
    private final Executor executor;
    private final NetworkConfig config;
    private final DeserializationLimits limits;

    ServerDispatcher(RpcHandler handler, BlockSource blocks, Executor executor, NetworkConfig config) {
        this.handler = handler;
        this.blocks = blocks;
        this.executor = executor;
        this.config = config;
        this.limits = DeserializationLimits.forFrames(config.maxFrameBytes());
    }

    @Override
    public boolean isSharable() {
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            FrameType type = FrameType.of(frame.readByte());
            Channel ch = ctx.channel();
            if (type == FrameType.ONE_WAY) {
                InboundMessage m = new InboundMessage(Frames.readRest(frame), ch.remoteAddress(), limits);
                try {
                    if (handler.receiveOneWayOnEventLoop(m)) {
                        return;
                    }
                } catch (Exception e) {
                    LOG.warn("One-way message from {} failed in its handler", ch.remoteAddress(), e);
                    return;
                }
                run(ch, () -> {
                    try {
                        handler.receiveOneWay(m);
                    } catch (Exception e) {
                        LOG.warn("One-way message from {} failed in its handler", ch.remoteAddress(), e);
                    }
                });
                return;
            }
            if ((type != FrameType.REQUEST && type != FrameType.BLOCK_SIZE_REQUEST && type != FrameType.CHUNK_REQUEST)
                    || frame.readableBytes() < 8) {
                LOG.warn("Closing connection from {}: a client may not send {}", ch.remoteAddress(),
                        type == null ? "an unknown frame type" : type + " frames of " + frame.readableBytes() + " bytes");
                ctx.close();
                return;
            }
            long id = frame.readLong();
            if (type == FrameType.REQUEST) {
                InboundMessage m = new InboundMessage(Frames.readRest(frame), ch.remoteAddress(), limits);
                run(ch, () -> answer(ch, id, () -> handler.receive(m)));
            } else if (type == FrameType.BLOCK_SIZE_REQUEST) {
                String blockId = Frames.readUtf8(frame);
                run(ch, () -> answer(ch, id, () -> ByteBuffer.allocate(8).putLong(open(ch, blockId).size()).array()));
            } else if (frame.readableBytes() < 12) {
                LOG.warn("Closing connection from {}: a chunk request of {} bytes", ch.remoteAddress(), frame.readableBytes());
                ctx.close();
            } else {
                long offset = frame.readLong();
                int length = frame.readInt();
                String blockId = Frames.readUtf8(frame);
                run(ch, () -> sendChunk(ch, id, blockId, offset, length));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private interface Answer {
        byte[] get() throws Exception;
    }

    private void answer(Channel ch, long id, Answer answer) {
        byte[] body;
        try {
            body = answer.get();
        } catch (Throwable t) {
            error(ch, id, t.getClass().getName() + ": " + t.getMessage());
            if (t instanceof Error e) {
                throw e; // answered, and still reported on this thread
            }
            return;
        }
        if (body == null) {
            error(ch, id, "the server's handler returned null; it must return a response body (an empty array for none)");
            return;
        }
        if (body.length > config.maxFrameBytes() - Frames.MESSAGE_OVERHEAD) {
            error(ch, id, "the response of " + body.length + " bytes does not fit in a frame ("
                    + NetworkConfig.MAX_FRAME_BYTES + "=" + config.maxFrameBytes() + "); serve it as a block to fetch in chunks");
            return;
        }
        ch.writeAndFlush(Frames.withId(ch.alloc(), FrameType.RESPONSE, id, body));
    }

    private BlockData open(Channel ch, String blockId) throws Exception {
        BlockData data = blocks.open(blockId);
        if (data == null) {
            throw new IllegalArgumentException("no block " + blockId + " on the server at " + ch.localAddress());
        }
        return data;
    }

    private void sendChunk(Channel ch, long id, String blockId, long offset, int length) {
        BlockData data;
        try {
            data = open(ch, blockId);
        } catch (Exception e) {
            error(ch, id, e.getClass().getName() + ": " + e.getMessage());
            return;
        }
        if (offset < 0 || length < 0 || offset + length > data.size()
                || length > config.maxFrameBytes() - Frames.CHUNK_OVERHEAD) {
            error(ch, id, "chunk [" + offset + ", " + offset + "+" + length + ") is outside block " + blockId
                    + " of " + data.size() + " bytes or larger than a frame");
            return;
        }
        ByteBuf header = Frames.header(ch.alloc(), FrameType.CHUNK, 8 + length, 8);
        header.writeLong(id);
        if (data instanceof BlockData.FileSegment seg && config.cryptoEnabled()) {
            // An encrypted connection seals whole frames, so the file's bytes are read into memory.
            ByteBuf body = ch.alloc().buffer(length);
            try (FileChannel file = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
                while (body.writableBytes() > 0 && body.writerIndex() < length) {
                    if (body.writeBytes(file, seg.offset() + offset + body.writerIndex(), length - body.writerIndex()) < 0) {
                        throw new EOFException("file " + seg.file() + " ended before byte " + (seg.offset() + offset + length));
                    }
                }
            } catch (IOException e) {
                header.release();
                body.release();
                error(ch, id, e.getClass().getName() + ": " + e.getMessage());
                return;
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(header, body));
        } else if (data instanceof BlockData.FileSegment seg) {
            // Zero-copy: the kernel sends the file's bytes; the region opens and closes the file itself.
            // Header and region are written in one event-loop task, so chunks of other handler threads
            // cannot come between them.
            DefaultFileRegion region = new DefaultFileRegion(seg.file().toFile(), seg.offset() + offset, length);
            try {
                ch.eventLoop().execute(() -> {
                    ch.write(header);
                    // A file that shrank leaves the frame unfinished: the stream cannot go on after it.
                    ch.writeAndFlush(region).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                });
            } catch (RejectedExecutionException e) {
                header.release(); // the server is closing
                region.release();
            }
        } else {
            ByteBuffer buf = ((BlockData.InMemory) data).buffer().duplicate();
            buf.position(buf.position() + (int) offset).limit(buf.position() + length);
            ch.writeAndFlush(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(buf)));
        }
    }

    private void error(Channel ch, long id, String message) {
        byte[] text = Frames.utf8(message);
        int max = config.maxFrameBytes() - Frames.MESSAGE_OVERHEAD;
        if (text.length > max) {
            text = java.util.Arrays.copyOf(text, max);
        }
        ch.writeAndFlush(Frames.withId(ch.alloc(), FrameType.ERROR, id, text));
    }

    private void run(Channel ch, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            ch.close(); // the server is closing
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
