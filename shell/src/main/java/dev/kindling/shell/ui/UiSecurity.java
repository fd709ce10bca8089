package dev.kindling.shell.ui;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The UI's rules for who may see and change what:
 * <ol>
 *   <li>Bound to a loopback address (the default) pages need no token, but a request must name a
 *       loopback host in its {@code Host} header (a web page elsewhere cannot reach the UI by DNS
 *       rebinding).</li>
 *   <li>Bound to any other address, every request needs the access token ({@code kindling.ui.token},
 *       generated when unset), as {@code ?token=} (then kept in an HttpOnly, SameSite=Strict cookie),
 *       the cookie, or an {@code Authorization: Bearer} header; unless
 *       {@code kindling.ui.tokenRequired=false}, which the UI warns about.</li>
 *   <li>Only "kill job/stage" changes state: a POST that needs {@code kindling.ui.killEnabled=true}
 *       and the token, wherever the UI is bound. Every other POST, PUT, DELETE... is refused.</li>
 * </ol>
 */
final class UiSecurity {

    /** The cookie that carries the token once a browser opened the URL with {@code ?token=}. */
    static final String COOKIE = "kindling_ui_token";

    final String token;
    final boolean tokenRequired;
    final boolean killEnabled;
    final boolean loopback;

    UiSecurity(String token, boolean tokenRequired, boolean killEnabled, boolean loopback) {
        this.token = token;
        this.tokenRequired = tokenRequired;
        this.killEnabled = killEnabled;
        this.loopback = loopback;
    }

    /** A random token: 24 hex digits from a secure random source. */
    static String newToken() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether {@code address} is a loopback address. */
    static boolean isLoopback(InetAddress address) {
        return address.isLoopbackAddress();
    }

    /** Whether the request carries the right token (query, cookie or bearer header), compared in constant time. */
    boolean hasToken(UiRequest r) {
        return matches(r.params().get("token")) || matches(r.cookies().get(COOKIE)) || matches(r.bearer());
    }

    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Null when the request may proceed to the routes, else the refusal. */
    UiResponse check(UiRequest r) {
        if (loopback && !loopbackHost(r.host())) {
            return UiResponse.error(403, "This Kindling UI serves only requests for a loopback host (localhost, "
                    + "127.0.0.1, [::1]); got Host: " + r.host() + ". Open it as http://127.0.0.1:<port>/");
        }
        if (tokenRequired && !hasToken(r)) {
            return UiResponse.error(401, "This Kindling UI needs its access token: open the URL it printed at start "
                    + "(it ends in ?token=...), or send the header 'Authorization: Bearer <token>'. The token is "
                    + "kindling.ui.token, or a new one each start when that is unset.");
        }
        return null;
    }

    /** Null when a kill request may proceed, else the refusal. */
    UiResponse checkKill(UiRequest r) {
        if (!killEnabled) {
            return UiResponse.error(403, "Killing jobs and stages from the UI is off; start the application with "
                    + "kindling.ui.killEnabled=true to allow it.");
        }
        if (!hasToken(r)) {
            return UiResponse.error(403, "Killing a job or stage needs the UI's access token: open the URL printed "
                    + "at start (with ?token=...) first, or send 'Authorization: Bearer <token>'.");
        }
        return null;
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.startsWith("[::1]");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.startsWith("127.");
    }
}
