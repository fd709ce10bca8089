package dev.kindling.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writing frames: a 4-byte big-endian length (of what follows it), the type byte, the payload. The
 * length counts the type byte, so it is at least 1 and at most {@link NetworkConfig#maxFrameBytes()}.
 */
final class Frames {

    /** Bytes of the length prefix. */
    static final int LENGTH_BYTES = 4;
    /** What a chunk frame adds to its data within the frame limit: type byte and request id. */
    static final int CHUNK_OVERHEAD = 1 + 8;
    /** What a request or response frame adds to its body within the frame limit. */
    static final int MESSAGE_OVERHEAD = 1 + 8;

    private Frames() {
    }

    /** A buffer holding the length prefix and type byte of a frame with {@code payloadBytes} to follow. */
    static ByteBuf header(ByteBufAllocator alloc, FrameType type, int payloadBytes, int extraCapacity) {
        ByteBuf buf = alloc.buffer(LENGTH_BYTES + 1 + extraCapacity);
        buf.writeInt(1 + payloadBytes);
        buf.writeByte(type.code);
        return buf;
    }

    /** A whole frame: type, then {@code id}, then {@code body}. */
    static ByteBuf withId(ByteBufAllocator alloc, FrameType type, long id, byte[] body) {
        ByteBuf buf = header(alloc, type, 8 + body.length, 8 + body.length);
        buf.writeLong(id);
        buf.writeBytes(body);
        return buf;
    }

    /** A whole frame: type, then {@code body}. */
    static ByteBuf plain(ByteBufAllocator alloc, FrameType type, byte[] body) {
        ByteBuf buf = header(alloc, type, body.length, body.length);
        buf.writeBytes(body);
        return buf;
    }

    /** Concatenation of byte arrays. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The remaining bytes of {@code buf}, read. */
    static byte[] readRest(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** The remaining bytes of {@code buf} as UTF-8, read. */
    static String readUtf8(ByteBuf buf) {
        return new String(readRest(buf), StandardCharsets.UTF_8);
    }

    /** {@code s} in UTF-8. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
