package dev.kindling.internal.eventlog;

import java.util.Map;

/**
 * What the first line of an event log says about the application: its id (the log's file name),
 * name, start time, user, Kindling version and effective configuration (secrets already redacted).
 *
 * @param schemaVersion version of the line schema the log was written with
 * @param appId         application id, such as {@code local-1764671400000-0}
 * @param appName       the {@code kindling.app.name}
 * @param startTime     milliseconds since the epoch when the context started
 * @param user          the user the driver ran as
 * @param kindlingVersion the version of Kindling that wrote the log
 * @param configuration the context's configuration, with secret values replaced
 */
public record ApplicationInfo(int schemaVersion, String appId, String appName, long startTime, String user,
                              String kindlingVersion, Map<String, String> configuration) {

    /** The value written in place of a secret configuration value. */
    public static final String REDACTED = "*********(redacted)";

    /** Whether a configuration key names a secret: it contains secret, password or token, in any case. */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("secret") || lower.contains("password") || lower.contains("token");
    }

    /** A copy of {@code configuration}, in the same order, with the values of secret keys replaced by {@link #REDACTED}. */
    public static Map<String, String> redact(Map<String, String> configuration) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        configuration.forEach((k, v) -> out.put(k, isSecretKey(k) ? REDACTED : v));
        return java.util.Collections.unmodifiableMap(out);
    }
}
