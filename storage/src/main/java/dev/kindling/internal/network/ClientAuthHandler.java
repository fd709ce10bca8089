package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of the {@link Handshake}: sends AUTH_HELLO when connected, checks the server's
 * proof (so a client never talks to a server that does not know the secret), sends its own, and
 * completes {@link #result()} on AUTH_OK, after which it removes itself. Anything else fails the
 * result with an {@link AuthenticationException} naming the server, and closes the connection.
 * One instance per channel; runs on the channel's event loop.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {

    private final AppSecret secret;
    private final FrameDecoder decoder;
    private final long timeoutMs;
    private final boolean crypto;
    private byte[] serverNonce;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private final byte[] clientNonce = Handshake.nonce();
    private boolean proofSent;
    private ScheduledFuture<?> timeout;

    ClientAuthHandler(AppSecret secret, FrameDecoder decoder, NetworkConfig config) {
        this.secret = secret;
        this.decoder = decoder;
        this.timeoutMs = config.timeoutMs();
        this.crypto = config.cryptoEnabled();
    }

    /** Completes when the server has accepted this client; fails when the handshake did not succeed. */
    CompletableFuture<Void> result() {
        return result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, "no handshake answer within " + NetworkConfig.TIMEOUT_MS
                + "=" + timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        byte[] hello = new byte[2 + Handshake.NONCE_BYTES];
        hello[0] = Handshake.VERSION;
        hello[1] = Handshake.flags(crypto);
        System.arraycopy(clientNonce, 0, hello, 2, Handshake.NONCE_BYTES);
        ctx.writeAndFlush(Frames.plain(ctx.alloc(), FrameType.AUTH_HELLO, hello));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!result.isDone()) {
                handle(ctx, (ByteBuf) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = FrameType.of(frame.readByte());
        if (!proofSent) {
            if (type != FrameType.AUTH_CHALLENGE || frame.readableBytes() != Handshake.NONCE_BYTES + Handshake.PROOF_BYTES) {
                fail(ctx, "the server answered the handshake with an unexpected frame");
                return;
            }
            serverNonce = new byte[Handshake.NONCE_BYTES];
            byte[] serverProof = new byte[Handshake.PROOF_BYTES];
            frame.readBytes(serverNonce).readBytes(serverProof);
            if (!Handshake.matches(Handshake.serverProof(secret, Handshake.flags(crypto), clientNonce, serverNonce), serverProof)) {
                fail(ctx, "the server does not know this application's secret");
                return;
            }
            proofSent = true;
            ctx.writeAndFlush(Frames.plain(ctx.alloc(), FrameType.AUTH_PROOF,
                    Handshake.clientProof(secret, Handshake.flags(crypto), clientNonce, serverNonce)));
            return;
        }
        if (type != FrameType.AUTH_OK || frame.readableBytes() != 0) {
            fail(ctx, "the server answered the proof with an unexpected frame");
            return;
        }
        timeout.cancel(false);
        if (crypto) {
            decoder.authenticated(CryptoHandler.TAG_BYTES);
            ctx.pipeline().addAfter("frames", "crypto",
                    new CryptoHandler(SessionKeys.derive(secret, clientNonce, serverNonce, true)));
        } else {
            decoder.authenticated(0);
        }
        ctx.pipeline().remove(this);
        result.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "bad frame during the handshake: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, proofSent ? "the server closed the connection after our proof: it does not accept this "
                + "application's secret" : "the server closed the connection during the handshake (a different secret "
                + "or " + NetworkConfig.CRYPTO_ENABLED + " setting; the server's log says which)");
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (result.isDone()) {
            return;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        result.completeExceptionally(new AuthenticationException("Cannot authenticate to " + ctx.channel().remoteAddress()
                + ": " + reason + "; both sides must use the same app secret (" + AppSecret.ENV_VAR
                + " or the secret file)"));
        ctx.close();
    }
}
