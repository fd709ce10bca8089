package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the {@link Handshake}: accepts AUTH_HELLO, then AUTH_PROOF, and nothing else;
 * passes no frame on to the handlers after it. Any other frame, a wrong proof, a decoding error or no
 * handshake within the timeout closes the connection, logged once with the remote address. On
 * success it raises the frame limit and removes itself, so later frames reach the dispatcher.
 * One instance per channel; runs on the channel's event loop.
 */
final class ServerAuthHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAuthHandler.class);

    private final AppSecret secret;
    private final FrameDecoder decoder;
    private final long timeoutMs;
    private final boolean crypto;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private boolean failed;
    private ScheduledFuture<?> timeout;

    ServerAuthHandler(AppSecret secret, FrameDecoder decoder, NetworkConfig config) {
        this.secret = secret;
        this.decoder = decoder;
        this.timeoutMs = config.timeoutMs();
        this.crypto = config.cryptoEnabled();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, "no authentication within "
                + NetworkConfig.TIMEOUT_MS + "=" + timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!failed) {
                handle(ctx, (ByteBuf) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = FrameType.of(frame.readByte());
        if (clientNonce == null) {
            if (type != FrameType.AUTH_HELLO || frame.readableBytes() != 2 + Handshake.NONCE_BYTES) {
                fail(ctx, "expected AUTH_HELLO as the first frame, got " + describe(type, frame));
                return;
            }
            byte version = frame.readByte();
            if (version != Handshake.VERSION) {
                fail(ctx, "unsupported handshake version " + version + " (this server speaks " + Handshake.VERSION + ")");
                return;
            }
            byte flags = frame.readByte();
            if (flags != Handshake.flags(crypto)) {
                fail(ctx, "the client has " + NetworkConfig.CRYPTO_ENABLED + "=" + ((flags & Handshake.FLAG_CRYPTO) != 0)
                        + ", this server " + crypto + "; set it the same on both sides");
                return;
            }
            clientNonce = new byte[Handshake.NONCE_BYTES];
            frame.readBytes(clientNonce);
            serverNonce = Handshake.nonce();
            byte[] proof = Handshake.serverProof(secret, flags, clientNonce, serverNonce);
            ctx.writeAndFlush(Frames.plain(ctx.alloc(), FrameType.AUTH_CHALLENGE, Frames.concat(serverNonce, proof)));
            return;
        }
        if (type != FrameType.AUTH_PROOF || frame.readableBytes() != Handshake.PROOF_BYTES) {
            fail(ctx, "expected AUTH_PROOF, got " + describe(type, frame));
            return;
        }
        byte[] proof = new byte[Handshake.PROOF_BYTES];
        frame.readBytes(proof);
        if (!Handshake.matches(Handshake.clientProof(secret, Handshake.flags(crypto), clientNonce, serverNonce), proof)) {
            fail(ctx, "wrong proof: the client does not know this application's secret");
            return;
        }
        timeout.cancel(false);
        ctx.writeAndFlush(Frames.plain(ctx.alloc(), FrameType.AUTH_OK, new byte[0])); // the last plain frame
        if (crypto) {
            decoder.authenticated(CryptoHandler.TAG_BYTES);
            ctx.pipeline().addAfter("frames", "crypto",
                    new CryptoHandler(SessionKeys.derive(secret, clientNonce, serverNonce, false)));
        } else {
            decoder.authenticated(0);
        }
        ctx.pipeline().remove(this);
    }

    private static String describe(FrameType type, ByteBuf frame) {
        return (type == null ? "an unknown frame type" : type.name()) + " with " + frame.readableBytes() + " payload bytes";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "bad frame: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (failed) {
            return;
        }
        failed = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        LOG.warn("Closed unauthenticated connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
