package dev.kindling.shell;

/**
 * Makes JShell show multi-line strings as text rather than as one escaped Java literal, so that
 * {@code rdd.toDebugString()} typed at the prompt prints the lineage as a readable tree, the way
 * Spark's Scala shell shows it. Other values are left as JShell formats them.
 */
final class ReadableValues {

    private ReadableValues() {
    }

    /**
     * Returns the text of {@code shown} when it is a quoted Java string literal spanning several
     * lines; otherwise returns {@code shown} unchanged (also when it contains an escape this method
     * does not know).
     */
    static String readable(String shown) {
        if (shown == null || shown.length() < 2 || shown.charAt(0) != '"' || shown.charAt(shown.length() - 1) != '"'
                || !shown.contains("\\n")) {
            return shown;
        }
        StringBuilder text = new StringBuilder(shown.length());
        for (int i = 1; i < shown.length() - 1; i++) {
            char c = shown.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            if (i + 1 >= shown.length() - 1) {
                return shown;
            }
            char e = shown.charAt(++i);
            switch (e) {
                case 'n': text.append('\n'); break;
                case 't': text.append('\t'); break;
                case 'r': text.append('\r'); break;
                case 'b': text.append('\b'); break;
                case 'f': text.append('\f'); break;
                case '"': text.append('"'); break;
                case '\'': text.append('\''); break;
                case '\\': text.append('\\'); break;
                case 'u':
                    if (i + 4 >= shown.length() - 1) {
                        return shown;
                    }
                    try {
                        text.append((char) Integer.parseInt(shown.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException ex) {
                        return shown;
                    }
                    i += 4;
                    break;
                default:
                    return shown;
            }
        }
        return text.toString();
    }
}
