package dev.kindling.shell.ui;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response of the UI's router: status, content type, body and extra headers.
 *
 * @param status      the HTTP status code
 * @param contentType the Content-Type header
 * @param body        the body bytes
 * @param headers     extra headers (Set-Cookie, Location)
 */
record UiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String HTML = "text/html; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    static UiResponse html(String page) {
        return new UiResponse(200, HTML, page.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static UiResponse of(int status, String contentType, String body) {
        return new UiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A plain-text error page saying what was wrong and what to do. */
    static UiResponse error(int status, String message) {
        return of(status, TEXT, message + "\n");
    }

    static UiResponse redirect(String location) {
        return new UiResponse(303, TEXT, new byte[0], Map.of("Location", location));
    }

    /** This response with one more header. */
    UiResponse with(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new UiResponse(status, contentType, body, h);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
