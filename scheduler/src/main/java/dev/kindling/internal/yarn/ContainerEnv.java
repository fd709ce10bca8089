package dev.kindling.internal.yarn;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables on their way into YARN containers: an environment packed into one variable
 * (so nothing expands it on the way to the application master), and values escaped for the
 * NodeManager's launch script. Refers to no Hadoop class.
 */
final class ContainerEnv {

    private ContainerEnv() {
    }

    /**
     * {@code value} escaped for the NodeManager's launch script, which writes each variable as
     * {@code export NAME="value"} (a class name such as {@code A$Factory} would lose {@code $Factory});
     * YARN's own {@code {{PWD}}} markers stay as they are.
     */
    static String shellQuoted(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '"' || c == '$' || c == '`') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Encodes an environment so that no shell or YARN expansion touches it on the way to the application master. */
    static String encodeEnv(Map<String, String> env) {
        StringBuilder s = new StringBuilder();
        env.forEach((k, v) -> s.append(k).append('\0').append(v).append('\0'));
        return Base64.getEncoder().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@link #encodeEnv} back. */
    static Map<String, String> decodeEnv(String encoded) {
        String[] parts = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\0", -1);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            env.put(parts[i], parts[i + 1]);
        }
        return env;
    }
}
