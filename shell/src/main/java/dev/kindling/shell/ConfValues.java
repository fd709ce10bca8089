package dev.kindling.shell;

import dev.kindling.KindlingConf;
import dev.kindling.internal.io.TextFileRDD;
import dev.kindling.internal.yarn.YarnKeys;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the values of the {@code kindling.*} keys given on the command line before anything runs,
 * so that a typo is a usage error (exit status 2) naming the key, the value and what it takes,
 * rather than a failure (exit status 1) once the example has started. Keys this table does not know
 * are passed through unchecked (the context checks them when it reads them).
 */
final class ConfValues {

    private static final Pattern MASTER = Pattern.compile("local(?:\\[(\\*|[1-9]\\d*)(?:\\s*,\\s*[1-9]\\d*)?])?");
    /** {@code local-cluster[E,C,M]}: E executor processes, C slots each, M MiB of heap each (at least 64). */
    private static final Pattern LOCAL_CLUSTER = Pattern.compile(
            "local-cluster\\[\\s*[1-9]\\d{0,4}\\s*,\\s*[1-9]\\d{0,4}\\s*,\\s*(\\d{1,7})\\s*]");

    /** The kinds of value a key takes. */
    private enum Kind { POSITIVE_INT, NON_NEGATIVE_LONG, POSITIVE_LONG, FRACTION, BOOLEAN, COPY_MODE }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry(KindlingConf.TASK_MAX_FAILURES, Kind.POSITIVE_INT),
            Map.entry(YarnKeys.INSTANCES, Kind.POSITIVE_INT),
            Map.entry(YarnKeys.CORES, Kind.POSITIVE_INT),
            Map.entry(KindlingConf.DEFAULT_PARALLELISM, Kind.POSITIVE_INT),
            Map.entry(KindlingConf.SHUTDOWN_TIMEOUT_MS, Kind.NON_NEGATIVE_LONG),
            Map.entry(TextFileRDD.SPLIT_SIZE, Kind.POSITIVE_LONG),
            Map.entry(KindlingConf.MEMORY_BYTES, Kind.POSITIVE_LONG),
            Map.entry(KindlingConf.MEMORY_FRACTION, Kind.FRACTION),
            Map.entry(KindlingConf.OUTPUT_OVERWRITE, Kind.BOOLEAN),
            Map.entry(KindlingConf.SHOW_CONSOLE_PROGRESS, Kind.BOOLEAN),
            Map.entry(KindlingConf.CLOSURE_COPY_PER_TASK, Kind.COPY_MODE));

    private ConfValues() {
    }

    /** Null when {@code value} is a valid value of {@code key} (or the key is not checked here); else what is wrong. */
    static String problem(String key, String value) {
        String v = value.trim();
        if (key.equals(KindlingConf.MASTER)) {
            Matcher cluster = LOCAL_CLUSTER.matcher(v);
            boolean ok = MASTER.matcher(v).matches() || cluster.matches() && Integer.parseInt(cluster.group(1)) >= 64
                    || YarnKeys.isYarn(v);
            return ok ? null
                    : "must be local, local[N] with N >= 1, local[*], local[N,F]/local[*,F] with F >= 1 attempts"
                    + " per task, local-cluster[E,C,M] with E executor processes, C >= 1 cores and M >= 64 MiB of"
                    + " heap each (e.g. local-cluster[2,1,1024]), or yarn";
        }
        if (key.equals(YarnKeys.MEMORY) || key.equals(YarnKeys.MEMORY_OVERHEAD) || key.equals(YarnKeys.AM_MEMORY)
                || key.equals(YarnKeys.DRIVER_MEMORY) || key.equals(YarnKeys.DRIVER_MEMORY_OVERHEAD)) {
            try {
                YarnKeys.parseMemoryMb(key, v);
                return null;
            } catch (IllegalArgumentException e) {
                return "must be a size such as 512m or 2g";
            }
        }
        Kind kind = KINDS.get(key);
        if (kind == null) {
            return null;
        }
        try {
            return switch (kind) {
                case POSITIVE_INT -> Integer.parseInt(v) >= 1 ? null : "must be an integer >= 1";
                case NON_NEGATIVE_LONG -> Long.parseLong(v) >= 0 ? null : "must be an integer >= 0";
                case POSITIVE_LONG -> Long.parseLong(v) >= 1 ? null : "must be an integer >= 1";
                case FRACTION -> {
                    double d = Double.parseDouble(v);
                    yield d > 0 && d <= 1 ? null : "must be a number in (0, 1]";
                }
                case BOOLEAN -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "must be true or false";
                case COPY_MODE -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("always")
                        ? null : "must be true, false or always";
            };
        } catch (NumberFormatException e) {
            return switch (kind) {
                case FRACTION -> "must be a number in (0, 1]";
                case NON_NEGATIVE_LONG -> "must be an integer >= 0";
                default -> "must be an integer >= 1";
            };
        }
    }
}
