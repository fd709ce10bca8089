package dev.kindling.internal.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The mutual challenge-response that opens every connection, before any other frame is acted on:
 *
 * <pre>
 *   client                                    server
 *     AUTH_HELLO  version, flags F, nonce C  --------->
 *               <---------  AUTH_CHALLENGE  nonce S, HMAC(secret, "server" | F | C | S)
 *     (checks the server's proof)
 *     AUTH_PROOF  HMAC(secret, "client" | F | C | S)  -->
 *                                           (checks the client's proof)
 *               <---------  AUTH_OK
 * </pre>
 *
 * Both nonces are fresh 256-bit random values, so a recorded proof is useless on another connection;
 * the role label keeps one side's proof from being replayed as the other's. Proofs are compared in
 * constant time ({@link MessageDigest#isEqual}). The secret itself never crosses the wire. The flags
 * byte says whether the connection will be encrypted ({@link CryptoHandler}); a server whose setting
 * differs refuses the connection, and the proofs cover the flags, so no one in between can change them.
 */
final class Handshake {

    /** Protocol version carried by AUTH_HELLO. */
    static final byte VERSION = 1;
    /** Bytes of a nonce. */
    static final int NONCE_BYTES = 32;
    /** Bytes of a proof (HMAC-SHA256). */
    static final int PROOF_BYTES = 32;

    private static final byte[] SERVER_LABEL = "kindling-auth-v1 server".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT_LABEL = "kindling-auth-v1 client".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    /** A fresh random nonce. */
    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** Flag bit: frames after the handshake are encrypted. */
    static final byte FLAG_CRYPTO = 1;

    /** The flags byte for a connection with encryption on or off. */
    static byte flags(boolean crypto) {
        return crypto ? FLAG_CRYPTO : 0;
    }

    /** What the server sends to prove it knows the secret. */
    static byte[] serverProof(AppSecret secret, byte flags, byte[] clientNonce, byte[] serverNonce) {
        return secret.hmac(SERVER_LABEL, new byte[] {flags}, clientNonce, serverNonce);
    }

    /** What the client sends to prove it knows the secret. */
    static byte[] clientProof(AppSecret secret, byte flags, byte[] clientNonce, byte[] serverNonce) {
        return secret.hmac(CLIENT_LABEL, new byte[] {flags}, clientNonce, serverNonce);
    }

    /** Constant-time comparison of a received proof with the expected one. */
    static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }
}
