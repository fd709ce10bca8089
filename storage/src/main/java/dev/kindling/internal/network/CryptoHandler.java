package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts and authenticates every frame after the handshake ({@code kindling.network.crypto.enabled}):
 * AES-256-GCM with the {@link SessionKeys} of the connection, a 96-bit nonce that counts the frames of
 * each direction (never reused: one key per direction, one count per key), and a 128-bit tag. On the
 * wire a frame keeps its length prefix; what follows it (type byte and payload) is the ciphertext and
 * tag. A frame that fails its tag (changed, replayed, reordered or dropped) closes the connection.
 *
 * <p>It sits right after the {@link FrameDecoder}: inbound it turns sealed frames into plain ones;
 * outbound it takes whole plain frames (length prefix included) as {@link ByteBuf}s, so chunked
 * fetches on an encrypted connection read file bytes into memory instead of sending them zero-copy.
 * One instance per channel; runs on the channel's event loop.
 */
final class CryptoHandler extends ChannelDuplexHandler {

    /** Bytes the tag adds to every frame. */
    static final int TAG_BYTES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(CryptoHandler.class);

    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Cipher cipher;
    private long sent;
    private long received;

    CryptoHandler(SessionKeys keys) {
        this.sendKey = new SecretKeySpec(keys.send(), "AES");
        this.receiveKey = new SecretKeySpec(keys.receive(), "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM; turn off kindling.network.crypto.enabled", e);
        }
    }

    private static GCMParameterSpec nonce(long counter) {
        return new GCMParameterSpec(TAG_BYTES * 8, ByteBuffer.allocate(12).putLong(4, counter).array());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] sealed;
        try {
            sealed = Frames.readRest((ByteBuf) msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        byte[] plain;
        try {
            cipher.init(Cipher.DECRYPT_MODE, receiveKey, nonce(received++));
            plain = cipher.doFinal(sealed);
        } catch (GeneralSecurityException e) {
            LOG.warn("Closing connection with {}: frame {} failed its authentication tag (changed, replayed or out of order)",
                    ctx.channel().remoteAddress(), received - 1);
            ctx.close();
            return;
        }
        if (plain.length == 0) {
            ctx.close();
            return;
        }
        ctx.fireChannelRead(ctx.alloc().buffer(plain.length).writeBytes(plain));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalStateException("an encrypted connection sends whole frames as ByteBufs, not "
                    + msg.getClass().getName()));
            return;
        }
        byte[] plain;
        try {
            frame.skipBytes(Frames.LENGTH_BYTES);
            plain = Frames.readRest(frame);
        } finally {
            frame.release();
        }
        byte[] sealed;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, sendKey, nonce(sent++));
            sealed = cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            promise.setFailure(e);
            return;
        }
        ByteBuf out = ctx.alloc().buffer(Frames.LENGTH_BYTES + sealed.length);
        out.writeInt(sealed.length).writeBytes(sealed);
        ctx.write(out, promise);
    }
}
