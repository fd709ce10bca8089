package dev.kindling.internal.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The settings of one network endpoint (a server or a client factory), read once from
 * {@code kindling.network.*} string keys and passed to the transport; immutable.
 *
 * <ol>
 *   <li>{@value #MAX_FRAME_BYTES}: the largest frame (type byte and payload) a peer may send; a larger
 *       length prefix closes the connection before any of it is buffered. Larger blocks travel as chunks.</li>
 *   <li>{@value #TIMEOUT_MS}: how long a request waits for its response, and how long a new connection
 *       may take to authenticate before it is closed.</li>
 *   <li>{@value #MAX_BYTES_IN_FLIGHT}: a fetcher's bound on the chunk bytes it has requested and not yet
 *       handed on (Spark's {@code spark.reducer.maxSizeInFlight}, 48 MiB).</li>
 *   <li>{@value #CRYPTO_ENABLED}: whether frames after the handshake are encrypted (AES-GCM, keys
 *       derived from the handshake); both sides must agree.</li>
 *   <li>the bind host: the loopback address unless the caller passes the value of its host key
 *       ({@code kindling.driver.host} for a driver, {@code kindling.executor.host} for an executor).</li>
 * </ol>
 *
 * @param maxFrameBytes      largest frame in bytes, type byte included
 * @param timeoutMs          request and handshake timeout in milliseconds
 * @param maxBytesInFlight   a fetcher's bound on requested, not yet consumed chunk bytes
 * @param cryptoEnabled      whether frames after the handshake are encrypted
 * @param bindHost           the host a server binds to; {@code null} for the loopback address
 */
public record NetworkConfig(int maxFrameBytes, long timeoutMs, long maxBytesInFlight, boolean cryptoEnabled,
                            String bindHost) {

    /** Largest frame in bytes (type byte plus payload); default 16 MiB. */
    public static final String MAX_FRAME_BYTES = "kindling.network.maxFrameBytes";
    /** Request and authentication timeout in milliseconds; default 120000 (Spark's network timeout). */
    public static final String TIMEOUT_MS = "kindling.network.timeoutMs";
    /** Bytes of fetched chunks a fetcher has requested and not yet consumed; default 48 MiB. */
    public static final String MAX_BYTES_IN_FLIGHT = "kindling.reducer.maxBytesInFlight";
    /** Whether frames after the handshake are encrypted with AES-GCM; default false. */
    public static final String CRYPTO_ENABLED = "kindling.network.crypto.enabled";

    /** Default of {@value #MAX_FRAME_BYTES}: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** Default of {@value #TIMEOUT_MS}: two minutes. */
    public static final long DEFAULT_TIMEOUT_MS = 120_000;
    /** Default of {@value #MAX_BYTES_IN_FLIGHT}: 48 MiB, as Spark. */
    public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 48L << 20;
    /** The smallest frame limit accepted: room for the handshake and a useful chunk. */
    public static final int MIN_MAX_FRAME_BYTES = 1024;
    /** Largest chunk a fetch asks for in one frame, when the frame and in-flight limits allow it. */
    static final int PREFERRED_CHUNK_BYTES = 1 << 20;

    /** Checks every value; the message names the key, the value and the accepted range. */
    public NetworkConfig {
        if (maxFrameBytes < MIN_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(MAX_FRAME_BYTES + " must be at least " + MIN_MAX_FRAME_BYTES
                    + " (got " + maxFrameBytes + ")");
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException(TIMEOUT_MS + " must be at least 1 (got " + timeoutMs + ")");
        }
        if (maxBytesInFlight < 1) {
            throw new IllegalArgumentException(MAX_BYTES_IN_FLIGHT + " must be at least 1 (got " + maxBytesInFlight + ")");
        }
        if (bindHost != null && bindHost.isBlank()) {
            bindHost = null;
        }
    }

    /** The defaults: 16 MiB frames, two-minute timeout, 48 MiB in flight, no encryption, loopback. */
    public static NetworkConfig defaults() {
        return new NetworkConfig(DEFAULT_MAX_FRAME_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES_IN_FLIGHT, false, null);
    }

    /**
     * Reads the keys from {@code conf} (missing keys take their defaults); {@code hostKey} names the key
     * whose value is the bind host ({@code kindling.driver.host} or {@code kindling.executor.host}), or is
     * {@code null} for loopback. A value that is not a number names its key and what to write instead.
     */
    public static NetworkConfig fromMap(Map<String, String> conf, String hostKey) {
        int frame = (int) parse(conf, MAX_FRAME_BYTES, DEFAULT_MAX_FRAME_BYTES, Integer.MAX_VALUE);
        long timeout = parse(conf, TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Long.MAX_VALUE);
        long inFlight = parse(conf, MAX_BYTES_IN_FLIGHT, DEFAULT_MAX_BYTES_IN_FLIGHT, Long.MAX_VALUE);
        String crypto = conf.getOrDefault(CRYPTO_ENABLED, "false").trim();
        if (!crypto.equalsIgnoreCase("true") && !crypto.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(CRYPTO_ENABLED + " must be true or false (got \"" + crypto + "\")");
        }
        String host = hostKey == null ? null : conf.get(hostKey);
        return new NetworkConfig(frame, timeout, inFlight, Boolean.parseBoolean(crypto), host);
    }

    private static long parse(Map<String, String> conf, String key, long dflt, long max) {
        String value = conf.get(key);
        if (value == null) {
            return dflt;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > max) {
                throw new IllegalArgumentException(key + " must be at most " + max + " (got " + value + ")");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number (got \"" + value + "\"); the default is "
                    + dflt, e);
        }
    }

    /** A copy with another frame limit. */
    public NetworkConfig withMaxFrameBytes(int bytes) {
        return new NetworkConfig(bytes, timeoutMs, maxBytesInFlight, cryptoEnabled, bindHost);
    }

    /** A copy with another timeout. */
    public NetworkConfig withTimeoutMs(long ms) {
        return new NetworkConfig(maxFrameBytes, ms, maxBytesInFlight, cryptoEnabled, bindHost);
    }

    /** A copy with another in-flight bound. */
    public NetworkConfig withMaxBytesInFlight(long bytes) {
        return new NetworkConfig(maxFrameBytes, timeoutMs, bytes, cryptoEnabled, bindHost);
    }

    /** A copy that binds servers to {@code host} ({@code null}: loopback). */
    public NetworkConfig withBindHost(String host) {
        return new NetworkConfig(maxFrameBytes, timeoutMs, maxBytesInFlight, cryptoEnabled, host);
    }

    /** A copy with encryption on or off. */
    public NetworkConfig withCryptoEnabled(boolean enabled) {
        return new NetworkConfig(maxFrameBytes, timeoutMs, maxBytesInFlight, enabled, bindHost);
    }

    /** The address a server binds to: the configured host, or the loopback address. */
    InetAddress bindAddress() {
        if (bindHost == null) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            return InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Cannot resolve the configured bind host \"" + bindHost
                    + "\"; set kindling.driver.host / kindling.executor.host to an address of this machine", e);
        }
    }

    /** Bytes one fetched chunk carries: within the frame limit (less its header) and the in-flight bound. */
    int chunkBytes() {
        long byFrame = maxFrameBytes - Frames.CHUNK_OVERHEAD;
        return (int) Math.max(1, Math.min(Math.min(byFrame, PREFERRED_CHUNK_BYTES), maxBytesInFlight));
    }
}
