package dev.kindling.internal.network;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of one encrypted connection, derived HKDF-style from the application's secret and
 * both handshake nonces: {@code PRK = HMAC(secret, label | C | S)}, then one key per direction
 * {@code HMAC(PRK, "client->server" | 1)} and {@code HMAC(PRK, "server->client" | 1)}. Fresh nonces
 * make fresh keys for every connection; separate keys per direction let both sides count their
 * GCM nonces from zero.
 *
 * @param send    the key for frames this side sends
 * @param receive the key for frames this side receives
 */
record SessionKeys(byte[] send, byte[] receive) {

    private static final byte[] EXTRACT_LABEL = ascii("kindling-hkdf-v1");
    private static final byte[] CLIENT_TO_SERVER = ascii("client->server");
    private static final byte[] SERVER_TO_CLIENT = ascii("server->client");

    /** The keys for the client ({@code client} true) or the server side of a connection. */
    static SessionKeys derive(AppSecret secret, byte[] clientNonce, byte[] serverNonce, boolean client) {
        byte[] prk = secret.hmac(EXTRACT_LABEL, clientNonce, serverNonce);
        byte[] c2s = expand(prk, CLIENT_TO_SERVER);
        byte[] s2c = expand(prk, SERVER_TO_CLIENT);
        return client ? new SessionKeys(c2s, s2c) : new SessionKeys(s2c, c2s);
    }

    private static byte[] expand(byte[] prk, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
