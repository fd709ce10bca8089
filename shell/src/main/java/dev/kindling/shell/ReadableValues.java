package dev.kindling.shell;

import dev.kindling.Pair;
import dev.kindling.Triple;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * How the shell shows values, where JShell's own way is hard to read:
 * <ul>
 *   <li>multi-line strings as text rather than as one escaped Java literal, so that
 *       {@code rdd.toDebugString()} typed at the prompt prints the lineage as a readable tree, the
 *       way Spark's Scala shell shows it;</li>
 *   <li>arrays, and pairs, triples, collections, maps and optionals holding arrays, with the
 *       arrays' elements (deeply, as {@link java.util.Arrays#deepToString}): a histogram is
 *       {@code ([0.0, 5.0, 10.0],[3, 7])} instead of {@code ([D@1b6d3586,[J@4554617c)}, and
 *       {@code double[][]} is {@code [[1.0, 2.0], [3.0]]} instead of JShell's
 *       {@code double[2][] { double[2] { 1.0, 2.0 }, double[1] { 3.0 } }}.</li>
 * </ul>
 * Other values are left as JShell formats them.
 */
final class ReadableValues {

    /** Containers are searched for arrays this deep, and this many elements into each. */
    private static final int SEARCH_DEPTH = 4;
    private static final int SEARCH_ELEMENTS = 10_000;

    private ReadableValues() {
    }

    /**
     * How to show {@code value}, which JShell would show as {@code shown}: with its arrays' elements
     * if it is or holds an array, otherwise {@link #readable(String) readable(shown)}.
     */
    static String readable(String shown, Object value) {
        return holdsArray(value, SEARCH_DEPTH) ? format(value) : readable(shown);
    }

    /** Whether {@code value} is an array or a pair, triple, collection, map or optional holding one. */
    static boolean holdsArray(Object value, int depth) {
        if (value == null || depth < 0) {
            return false;
        }
        if (value.getClass().isArray()) {
            return true;
        }
        if (value instanceof Pair<?, ?> p) {
            return holdsArray(p.key(), depth - 1) || holdsArray(p.value(), depth - 1);
        }
        if (value instanceof Triple<?, ?, ?> t) {
            return holdsArray(t.first(), depth - 1) || holdsArray(t.second(), depth - 1) || holdsArray(t.third(), depth - 1);
        }
        if (value instanceof Optional<?> o) {
            return o.isPresent() && holdsArray(o.get(), depth - 1);
        }
        if (value instanceof Map<?, ?> m) {
            return holdsArray(m.keySet(), depth) || holdsArray(m.values(), depth);
        }
        if (value instanceof Collection<?> c) {
            Iterator<?> it = c.iterator();
            for (int i = 0; i < SEARCH_ELEMENTS && it.hasNext(); i++) {
                if (holdsArray(it.next(), depth - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code value} as text with arrays shown element by element, nested ones too; pairs and triples
     * as their own {@code toString} ({@code (a,b)}), collections, maps and optionals as the JDK's.
     */
    static String format(Object value) {
        StringBuilder sb = new StringBuilder();
        format(value, sb);
        return sb.toString();
    }

    private static void format(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value.getClass().isArray()) {
            sb.append('[');
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                Object element = Array.get(value, i);
                if (element == value) {
                    sb.append("[...]");
                } else {
                    format(element, sb);
                }
            }
            sb.append(']');
        } else if (value instanceof Pair<?, ?> p) {
            sb.append('(');
            format(p.key(), sb);
            sb.append(',');
            format(p.value(), sb);
            sb.append(')');
        } else if (value instanceof Triple<?, ?, ?> t) {
            sb.append('(');
            format(t.first(), sb);
            sb.append(',');
            format(t.second(), sb);
            sb.append(',');
            format(t.third(), sb);
            sb.append(')');
        } else if (value instanceof Optional<?> o) {
            if (o.isPresent()) {
                sb.append("Optional[");
                format(o.get(), sb);
                sb.append(']');
            } else {
                sb.append("Optional.empty");
            }
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                format(e.getKey(), sb);
                sb.append('=');
                format(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object element : c) {
                sb.append(first ? "" : ", ");
                first = false;
                format(element, sb);
            }
            sb.append(']');
        } else {
            sb.append(value);
        }
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
