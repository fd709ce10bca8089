package dev.kindling.internal.network;

/**
 * The type byte that follows a frame's length prefix. Handshake types are the only ones accepted
 * before a connection has authenticated; every other type is accepted only after.
 */
enum FrameType {
    /** Client to server, first frame: protocol version byte, 32-byte client nonce. */
    AUTH_HELLO(1),
    /** Server to client: 32-byte server nonce, 32-byte server proof. */
    AUTH_CHALLENGE(2),
    /** Client to server: 32-byte client proof. */
    AUTH_PROOF(3),
    /** Server to client, empty: the connection is authenticated both ways. */
    AUTH_OK(4),
    /** Request id (8 bytes), then the request body. */
    REQUEST(16),
    /** Request id, then the response body (to a request, or the size of a block). */
    RESPONSE(17),
    /** Request id, then the failure's message in UTF-8. */
    ERROR(18),
    /** A message without a response: the body only. */
    ONE_WAY(19),
    /** Request id, then a block id in UTF-8: asks for the block's size in bytes. */
    BLOCK_SIZE_REQUEST(32),
    /** Request id, offset (8 bytes), length (4 bytes), then a block id in UTF-8. */
    CHUNK_REQUEST(33),
    /** Request id, then the requested bytes of the block. */
    CHUNK(34);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    /** The type with this code, or {@code null} for a code no frame type has. */
    static FrameType of(byte code) {
        return BY_CODE[code & 0xFF];
    }
}
