package dev.kindling.shell.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP request as the UI's router sees it, independent of Netty (so routes and security rules are
 * tested without sockets): method, decoded path, query (and, for a form POST, body) parameters, the
 * {@code Host} header and the cookies.
 *
 * @param method  GET, HEAD, POST...
 * @param path    the path, percent-decoded
 * @param rawQuery the query string as sent (no '?'), or ""
 * @param params  query parameters, then form fields of a POST body (first value of each name)
 * @param host    the Host header, or null
 * @param cookies cookies by name
 * @param bearer  the token of an {@code Authorization: Bearer} header, or null
 */
record UiRequest(String method, String path, String rawQuery, Map<String, String> params, String host,
                 Map<String, String> cookies, String bearer) {

    /** Parses {@code uri} (path and query), an optional form {@code body}, and the headers given. */
    static UiRequest of(String method, String uri, String body, String host, String cookieHeader, String authorization) {
        int q = uri.indexOf('?');
        String path = decode(q < 0 ? uri : uri.substring(0, q));
        String query = q < 0 ? "" : uri.substring(q + 1);
        Map<String, String> params = new LinkedHashMap<>();
        parseForm(query, params);
        if (body != null && !body.isEmpty()) {
            parseForm(body, params);
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        if (cookieHeader != null) {
            for (String c : cookieHeader.split(";")) {
                int eq = c.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(c.substring(0, eq).trim(), c.substring(eq + 1).trim());
                }
            }
        }
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return new UiRequest(method, path, query, params, host, cookies, bearer);
    }

    private static void parseForm(String form, Map<String, String> into) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            into.putIfAbsent(k, v);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape: keep it as sent (it then matches no route)
        }
    }

    /** An int parameter, or {@code otherwise} when absent or not a number. */
    int intParam(String name, int otherwise) {
        try {
            String v = params.get(name);
            return v == null ? otherwise : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
